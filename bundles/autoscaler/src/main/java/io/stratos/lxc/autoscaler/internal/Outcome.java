package io.stratos.lxc.autoscaler.internal;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one evaluation of a subscription or a partition concluded: a new count ({@link #changes()}),
 * or holding at the current one, with the reason and the values it was based on.
 */
record Outcome(int from, int to, String reason, Map<String, Double> metrics) {

    Outcome {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics)); // keeps the order for display
    }

    static Outcome hold(int current, String reason, Map<String, Double> metrics) {
        return new Outcome(current, current, reason, metrics);
    }

    boolean changes() {
        return to != from;
    }
}
