package io.stratos.lxc.agent.net;

import io.stratos.lxc.api.net.Cidr;

import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which sources may connect to the VM's published ports ({@code allowedSources}): a connection from anywhere else is
 * closed at once and counted. The refusals are logged at most once a minute, with how many there were since the last
 * line: a scan of the port range must not flood the log.
 */
public final class SourceFilter {

    private static final Logger LOG = LoggerFactory.getLogger(SourceFilter.class);
    static final long LOG_INTERVAL_NANOS = 60_000_000_000L;

    private final LongSupplier nanoClock;
    private volatile List<Cidr> allowed;
    private final AtomicLong refused = new AtomicLong();
    private long refusedAtLastLog;
    private long lastLogNanos;
    private boolean logged;

    public SourceFilter(List<Cidr> allowed) {
        this(allowed, System::nanoTime);
    }

    SourceFilter(List<Cidr> allowed, LongSupplier nanoClock) {
        this.allowed = List.copyOf(allowed);
        this.nanoClock = nanoClock;
    }

    /** Replaces the allowed sources (the controller told new ones at registration). */
    public void allow(List<Cidr> ranges) {
        allowed = List.copyOf(ranges);
    }

    public List<Cidr> allowed() {
        return allowed;
    }

    public boolean allows(InetAddress source) {
        for (Cidr range : allowed) {
            if (range.contains(source)) {
                return true;
            }
        }
        return false;
    }

    /** Counts a refused connection; logs it unless a line was written less than a minute ago (then returns false). */
    public boolean refused(InetAddress source, String where) {
        long total = refused.incrementAndGet();
        boolean log;
        long since;
        synchronized (this) {
            long now = nanoClock.getAsLong();
            log = !logged || now - lastLogNanos >= LOG_INTERVAL_NANOS;
            since = total - refusedAtLastLog;
            if (log) {
                logged = true;
                lastLogNanos = now;
                refusedAtLastLog = total;
            }
        }
        if (log) {
            LOG.warn("Refused a connection from {} to {}: not an allowed source {} ({} refused since the last such line, {} in all; "
                    + "allowedSources of PID io.stratos.lxc.agent or the controller's list sets them)", source.getHostAddress(), where,
                    allowed, since, total);
        }
        return log;
    }

    /** Connections refused since the agent started. */
    public long refusedCount() {
        return refused.get();
    }
}
