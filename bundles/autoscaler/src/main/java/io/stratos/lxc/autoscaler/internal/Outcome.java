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

    /** The same conclusion with more values to show (e.g. an application metric's spread over the processes). */
    Outcome withMetrics(Map<String, Double> more) {
        if (more.isEmpty()) {
            return this;
        }
        Map<String, Double> all = new LinkedHashMap<>(metrics);
        all.putAll(more);
        return new Outcome(from, to, reason, all);
    }

    boolean changes() {
        return to != from;
    }
}
