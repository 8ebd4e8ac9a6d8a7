package io.stratos.lxc.router.internal;

import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * One request's wait for its subscription's first process (scale from zero): held in {@link ColdStarts}, ended by the
 * process being there, by the subscription not waking, or by {@code holdTimeoutSeconds}. Every outcome runs on the
 * request's event loop, and only one of them does.
 */
final class HeldRequest implements ColdStarts.Held {

    /** The exchange that waits. */
    interface Waiting {
        /** The alias has backends now: go on with them. */
        void resume(AliasRoute route);

        /** No process will come in time: answer 503 with Retry-After. */
        void refuse(String error, String hint);
    }

    private final ColdStarts starts;
    private final String alias;
    private final EventLoop loop;
    private final Waiting exchange;
    private ScheduledFuture<?> timeout;
    /** Until an outcome: touched on the event loop only. */
    private boolean waiting;

    HeldRequest(ColdStarts starts, String alias, EventLoop loop, Waiting exchange) {
        this.starts = starts;
        this.alias = alias;
        this.loop = loop;
        this.exchange = exchange;
    }

    /** Holds the request; false (nothing held) when the bound of held requests is reached. */
    boolean begin(int timeoutSeconds) {
        if (!starts.hold(alias, this)) {
            return false;
        }
        waiting = true;
        timeout = loop.schedule(() -> {
            if (waiting && starts.release(alias, this)) {
                waiting = false;
                exchange.refuse("no process of subscription '" + alias + "' started within " + timeoutSeconds + " s",
                        "see stratos:process-list " + alias + " (holdTimeoutSeconds of io.stratos.lxc.router)");
            }
        }, timeoutSeconds, TimeUnit.SECONDS);
        return true;
    }

    /** The exchange ended otherwise (its client left): stop waiting. */
    void cancel() {
        if (waiting) {
            waiting = false;
            timeout.cancel(false);
            starts.release(alias, this);
        }
    }

    @Override
    public void resume(AliasRoute route) {
        loop.execute(() -> {
            if (waiting) {
                waiting = false;
                timeout.cancel(false);
                exchange.resume(route);
            }
        });
    }

    @Override
    public void refused(String why) {
        loop.execute(() -> {
            if (waiting) {
                waiting = false;
                timeout.cancel(false);
                exchange.refuse(why, "scale it up (stratos:scale " + alias + " 1), or see its autoscale policy");
            }
        });
    }
}
