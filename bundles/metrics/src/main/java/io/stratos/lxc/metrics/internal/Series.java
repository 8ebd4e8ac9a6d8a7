package io.stratos.lxc.metrics.internal;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.util.ArrayList;
import java.util.List;

/**
 * One gauge or counter family being filled during a scrape: a name, a help text, fixed label names, and data points
 * added one by one. Keeps the collector's code to one line per value.
 */
final class Series {

    private final String name;
    private final String help;
    private final String[] labelNames;
    private final boolean counter;
    private final List<GaugeDataPointSnapshot> gauges = new ArrayList<>();
    private final List<CounterDataPointSnapshot> counters = new ArrayList<>();

    private Series(String name, String help, boolean counter, String... labelNames) {
        this.name = name;
        this.help = help;
        this.counter = counter;
        this.labelNames = labelNames;
    }

    static Series gauge(String name, String help, String... labelNames) {
        return new Series(name, help, false, labelNames);
    }

    /** A counter: the name without {@code _total}, which the writers add. */
    static Series counter(String name, String help, String... labelNames) {
        return new Series(name, help, true, labelNames);
    }

    /** One value; {@code labelValues} in the order of the label names (null is written as empty). */
    Series add(double value, String... labelValues) {
        String[] values = new String[labelValues.length];
        for (int i = 0; i < values.length; i++) {
            values[i] = labelValues[i] == null ? "" : labelValues[i];
        }
        Labels labels = labelNames.length == 0 ? Labels.EMPTY : Labels.of(labelNames, values);
        if (counter) {
            counters.add(CounterDataPointSnapshot.builder().value(value).labels(labels).build());
        } else {
            gauges.add(GaugeDataPointSnapshot.builder().value(value).labels(labels).build());
        }
        return this;
    }

    int size() {
        return counter ? counters.size() : gauges.size();
    }

    /** Adds the family to {@code into}, unless it got no value (a family without data points says nothing). */
    void addTo(List<MetricSnapshot> into) {
        if (counter && !counters.isEmpty()) {
            into.add(new CounterSnapshot(new MetricMetadata(name, help), counters));
        } else if (!counter && !gauges.isEmpty()) {
            into.add(new GaugeSnapshot(new MetricMetadata(name, help), gauges));
        }
    }
}
