package io.stratos.lxc.autoscaler.internal;

import io.stratos.lxc.api.autoscaler.MetricTarget;
import io.stratos.lxc.api.controller.CartridgeProcess;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;

/**
 * An application metric's value for a policy's {@code custom} target: what the agents scraped from the subscription's
 * RUNNING processes, aggregated as the target says. A process without a value (its scrape failed: the reason is in
 * its process detail) is left out, or counts as 0 for {@code sum}; it never fails the pass.
 */
final class ApplicationMetricValues {

    private ApplicationMetricValues() {
    }

    /**
     * The value per process to compare with the target, empty while no process reported one. Puts the values the
     * decision log shows into {@code shown}: how many processes reported, their lowest and highest value.
     */
    static OptionalDouble of(MetricTarget target, List<CartridgeProcess> running, Map<String, Double> shown) {
        String name = target.name();
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        int reported = 0;
        for (CartridgeProcess process : running) {
            Double value = process.metrics() == null ? null : process.metrics().application().get(name);
            if (value == null || !Double.isFinite(value)) {
                continue;
            }
            reported++;
            sum += value;
            min = Math.min(min, value);
            max = Math.max(max, value);
        }
        shown.put(name + ".reported", (double) reported);
        if (reported == 0) {
            return OptionalDouble.empty();
        }
        shown.put(name + ".min", min);
        shown.put(name + ".max", max);
        String aggregate = target.aggregate() == null ? MetricTarget.AVG : target.aggregate();
        return switch (aggregate) {
            case MetricTarget.MAX -> OptionalDouble.of(max);
            case MetricTarget.SUM -> {
                shown.put(name + ".total", sum);
                yield OptionalDouble.of(sum / running.size());
            }
            default -> OptionalDouble.of(sum / reported);
        };
    }
}
