package io.stratos.lxc.autoscaler.internal;

import io.stratos.lxc.api.autoscaler.AutoscalerStatistics;
import io.stratos.lxc.api.autoscaler.ScalingDecision.Level;
import java.util.concurrent.atomic.LongAdder;

/**
 * Running totals of decisions by direction and of pass durations, kept apart from the bounded decision history (which
 * forgets) and read without the core's lock, so that a metrics scrape never waits for a pass.
 */
final class DecisionCounters {

    private final LongAdder subscriptionsUp = new LongAdder();
    private final LongAdder subscriptionsDown = new LongAdder();
    private final LongAdder partitionsUp = new LongAdder();
    private final LongAdder partitionsDown = new LongAdder();
    private final LongAdder passes = new LongAdder();
    private final LongAdder passNanos = new LongAdder();
    private volatile long lastPassNanos;

    /** A decision the controller took, from {@code from} to {@code to}; one that changes nothing counts in neither. */
    void decided(Level level, int from, int to) {
        if (to == from) {
            return;
        }
        boolean up = to > from;
        if (level == Level.SUBSCRIPTION) {
            (up ? subscriptionsUp : subscriptionsDown).increment();
        } else {
            (up ? partitionsUp : partitionsDown).increment();
        }
    }

    void passed(long nanos) {
        passes.increment();
        passNanos.add(nanos);
        lastPassNanos = nanos;
    }

    AutoscalerStatistics statistics() {
        return new AutoscalerStatistics(subscriptionsUp.sum(), subscriptionsDown.sum(), partitionsUp.sum(),
                partitionsDown.sum(), passes.sum(), passNanos.sum() / 1e9, lastPassNanos / 1e9);
    }
}
