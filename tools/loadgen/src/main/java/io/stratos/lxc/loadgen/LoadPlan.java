package io.stratos.lxc.loadgen;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;

/**
 * What to send: a GET to {@code target} (on 127.0.0.0/8 only), open or closed loop, on a schedule,
 * bounded in count and time.
 *
 * @param target         an {@code http://127.x.y.z:port/...} URL
 * @param hostHeader     a Host header to send instead of the URL's (the router's {@code <alias>.<domain>} form), or null
 * @param mode           {@link Mode#OPEN}: the level is requests per second; {@link Mode#CLOSED}: concurrent clients
 * @param schedule       the level over time; the run ends with it
 * @param interval       the length of one record interval
 * @param timeout        how long one request may take before it counts as failed ("timeout")
 * @param maxRequests    no more than this many requests in the whole run
 * @param maxOutstanding open loop: requests in flight beyond this are not sent but counted as failed ("overload")
 * @param method         GET (default) or POST (with an empty body): a proxy may repeat a failed GET on another
 *                       backend but not a POST, so POST shows requests a proxy lost
 */
public record LoadPlan(URI target, String hostHeader, Mode mode, Schedule schedule, Duration interval, Duration timeout,
                       long maxRequests, int maxOutstanding, String method) {

    public enum Mode { OPEN, CLOSED }

    /** Hard limits: a load generator for tests and benchmarks on one machine, not a stress tool. */
    public static final int MAX_CLIENTS = 1000;
    public static final double MAX_RATE = 20_000;
    public static final Duration MAX_DURATION = Duration.ofHours(6);
    public static final long MAX_REQUESTS = 100_000_000L;

    public LoadPlan {
        requireLoopback(target);
        if (mode == null) {
            throw new IllegalArgumentException("a mode is needed: open (a request rate) or closed (concurrent clients)");
        }
        if (schedule == null) {
            throw new IllegalArgumentException("a schedule is needed, e.g. 10s:1,30s:8");
        }
        if (schedule.total().compareTo(MAX_DURATION) > 0) {
            throw new IllegalArgumentException("the schedule lasts " + schedule.total() + "; at most " + MAX_DURATION + " is allowed");
        }
        double max = schedule.maxLevel();
        if (mode == Mode.CLOSED && (max > MAX_CLIENTS || max != Math.rint(max))) {
            throw new IllegalArgumentException("closed loop levels are whole numbers of clients up to " + MAX_CLIENTS + ", not " + max);
        }
        if (mode == Mode.OPEN && max > MAX_RATE) {
            throw new IllegalArgumentException("open loop rates go up to " + MAX_RATE + " requests/s, not " + max);
        }
        if (interval == null || interval.toMillis() < 10) {
            throw new IllegalArgumentException("the record interval must be at least 10 ms, not " + interval);
        }
        if (timeout == null || timeout.toMillis() < 1) {
            throw new IllegalArgumentException("the request timeout must be positive, not " + timeout);
        }
        if (maxRequests < 1 || maxRequests > MAX_REQUESTS) {
            throw new IllegalArgumentException("maxRequests must be from 1 to " + MAX_REQUESTS + ", not " + maxRequests);
        }
        if (maxOutstanding < 1 || maxOutstanding > 100_000) {
            throw new IllegalArgumentException("maxOutstanding must be from 1 to 100000, not " + maxOutstanding);
        }
        if (!"GET".equals(method) && !"POST".equals(method)) {
            throw new IllegalArgumentException("the method is GET or POST, not " + method);
        }
    }

    /** The plan before it had a method: GET. */
    public LoadPlan(URI target, String hostHeader, Mode mode, Schedule schedule, Duration interval, Duration timeout,
                    long maxRequests, int maxOutstanding) {
        this(target, hostHeader, mode, schedule, interval, timeout, maxRequests, maxOutstanding, "GET");
    }

    /** A plan with the usual bounds: 1 s intervals, 10 s timeout, 10 million requests, 2000 outstanding. */
    public static LoadPlan of(URI target, Mode mode, Schedule schedule) {
        return new LoadPlan(target, null, mode, schedule, Duration.ofSeconds(1), Duration.ofSeconds(10), 10_000_000L, 2000, "GET");
    }

    public LoadPlan withHostHeader(String host) {
        return new LoadPlan(target, host, mode, schedule, interval, timeout, maxRequests, maxOutstanding, method);
    }

    public LoadPlan withInterval(Duration value) {
        return new LoadPlan(target, hostHeader, mode, schedule, value, timeout, maxRequests, maxOutstanding, method);
    }

    public LoadPlan withTimeout(Duration value) {
        return new LoadPlan(target, hostHeader, mode, schedule, interval, value, maxRequests, maxOutstanding, method);
    }

    public LoadPlan withMaxRequests(long value) {
        return new LoadPlan(target, hostHeader, mode, schedule, interval, timeout, value, maxOutstanding, method);
    }

    /** GET or POST (empty body). */
    public LoadPlan withMethod(String value) {
        return new LoadPlan(target, hostHeader, mode, schedule, interval, timeout, maxRequests, maxOutstanding, value);
    }

    public LoadPlan withMaxOutstanding(int value) {
        return new LoadPlan(target, hostHeader, mode, schedule, interval, timeout, maxRequests, value, method);
    }

    /**
     * Tests and benchmarks send traffic to this machine only: the target must be an http URL whose host
     * is an address in 127.0.0.0/8 (written as such, or {@code localhost}).
     */
    static void requireLoopback(URI target) {
        if (target == null) {
            throw new IllegalArgumentException("a target URL is needed, e.g. http://127.0.0.1:8280/alias/");
        }
        String refused = "the load generator sends only to 127.0.0.0/8 (this machine), refusing " + target
                + ": use http://127.0.0.1:<port>/...";
        if (!"http".equalsIgnoreCase(target.getScheme()) || target.getHost() == null) {
            throw new IllegalArgumentException(refused);
        }
        String host = target.getHost();
        if (host.equalsIgnoreCase("localhost")) {
            return;
        }
        if (!host.matches("\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}")) {
            throw new IllegalArgumentException(refused); // a name would need a look-up, and could point anywhere
        }
        try {
            byte[] address = InetAddress.getByName(host).getAddress(); // a literal: no look-up
            if (address.length != 4 || address[0] != 127) {
                throw new IllegalArgumentException(refused);
            }
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(refused);
        }
    }
}
