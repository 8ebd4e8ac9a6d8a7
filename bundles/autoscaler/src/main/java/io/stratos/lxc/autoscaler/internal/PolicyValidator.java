package io.stratos.lxc.autoscaler.internal;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.autoscaler.AutoscalePolicy;
import io.stratos.lxc.api.autoscaler.MetricTarget;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Checks a policy field by field (INVALID_INPUT naming the first bad field) and fills in the
 * configured defaults, so what is stored and shown is what is applied.
 */
final class PolicyValidator {

    static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    static final Pattern METRIC_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,62}");
    /** The OpenMetrics metric name syntax. */
    static final Pattern APPLICATION_METRIC = Pattern.compile("[a-zA-Z_:][a-zA-Z0-9_:]{0,127}");
    static final java.util.List<String> AGGREGATES = java.util.List.of(MetricTarget.AVG, MetricTarget.MAX, MetricTarget.SUM);
    static final int MAX_PROCESSES = 1000;
    static final int MAX_SECONDS = 86_400;

    private PolicyValidator() {
    }

    static AutoscalePolicy validate(AutoscalePolicy policy, AutoscalerSettings.PolicyDefaults defaults) {
        if (policy == null) {
            throw StratosException.invalid(null, "a policy needs a JSON body",
                    "send {\"name\":\"web\",\"metrics\":{\"cpuPercent\":{\"target\":60}}}");
        }
        String name = policy.name();
        if (name == null || name.isBlank()) {
            throw StratosException.invalid("name", "name is required", "a DNS label such as 'web'");
        }
        if (!DNS_LABEL.matcher(name).matches()) {
            throw StratosException.invalid("name", "name '" + name + "' is not a DNS label",
                    "use 1 to 63 lower-case letters, digits and '-', not starting or ending with '-'");
        }
        if (policy.metrics() == null || policy.metrics().isEmpty()) {
            throw StratosException.invalid("metrics", "a policy needs at least one metric target",
                    "e.g. \"metrics\": {\"cpuPercent\": {\"target\": 60}, \"requestsInFlight\": {\"target\": 10}}");
        }
        Map<String, MetricTarget> metrics = new TreeMap<>();
        for (Map.Entry<String, MetricTarget> entry : policy.metrics().entrySet()) {
            String metric = entry.getKey();
            if (metric == null || !METRIC_NAME.matcher(metric).matches()) {
                throw StratosException.invalid("metrics." + metric, "metric name '" + metric + "' is not valid",
                        "cpuPercent, memoryPercent, requestsInFlight, custom (an application metric), or a name of letters, digits, '_', '.', '-'");
            }
            String field = "metrics." + metric + ".target";
            Double target = entry.getValue() == null ? null : entry.getValue().target();
            if (target == null) {
                throw StratosException.invalid(field, "metric '" + metric + "' needs a target", "e.g. {\"target\": 60}");
            }
            if (!Double.isFinite(target) || target <= 0) {
                throw StratosException.invalid(field, "the target of '" + metric + "' must be a positive number, not " + target,
                        "the value per process to keep the subscription at");
            }
            if (metric.equals(AutoscalePolicy.CUSTOM)) {
                metrics.put(metric, custom(entry.getValue(), target));
                continue;
            }
            if (entry.getValue().name() != null || entry.getValue().aggregate() != null) {
                throw StratosException.invalid("metrics." + metric, "only the \"custom\" target takes a name and an aggregate",
                        "e.g. \"metrics\": {\"custom\": {\"name\": \"queue_depth\", \"target\": 5, \"aggregate\": \"avg\"}}");
            }
            if (metric.equals(AutoscalePolicy.MEMORY_PERCENT) && target > 100) {
                throw StratosException.invalid(field, "memoryPercent target must be at most 100, not " + target,
                        "a percentage of each process's memory limit");
            }
            if (metric.equals(AutoscalePolicy.CPU_PERCENT) && target > 1000) {
                throw StratosException.invalid(field, "cpuPercent target must be at most 1000, not " + target,
                        "a percentage of each process's CPU request");
            }
            metrics.put(metric, new MetricTarget(target));
        }
        Integer min = policy.minProcesses();
        if (min != null && (min < 0 || min > MAX_PROCESSES)) {
            throw StratosException.invalid("minProcesses", "minProcesses must be from 0 to " + MAX_PROCESSES + ", not " + min, null);
        }
        Integer max = policy.maxProcesses();
        if (max != null && (max < 1 || max > MAX_PROCESSES)) {
            throw StratosException.invalid("maxProcesses", "maxProcesses must be from 1 to " + MAX_PROCESSES + ", not " + max, null);
        }
        if (min != null && max != null && max < min) {
            throw StratosException.invalid("maxProcesses", "maxProcesses (" + max + ") must be at least minProcesses (" + min + ")", null);
        }
        int up = range("scaleUpStep", policy.scaleUpStep(), defaults.scaleUpStep(), 1, MAX_PROCESSES);
        int down = range("scaleDownStep", policy.scaleDownStep(), defaults.scaleDownStep(), 1, MAX_PROCESSES);
        int cooldown = range("scaleUpCooldownSeconds", policy.scaleUpCooldownSeconds(), defaults.scaleUpCooldownSeconds(), 0, MAX_SECONDS);
        int stabilisation = range("scaleDownStabilizationSeconds", policy.scaleDownStabilizationSeconds(),
                defaults.scaleDownStabilizationSeconds(), 0, MAX_SECONDS);
        double tolerance = policy.tolerance() == null ? defaults.tolerance() : policy.tolerance();
        if (!Double.isFinite(tolerance) || tolerance < 0 || tolerance >= 1) {
            throw StratosException.invalid("tolerance", "tolerance must be at least 0 and less than 1, not " + tolerance,
                    "e.g. 0.1: no change while the metric is within 10 % of its target");
        }
        boolean predict = policy.predict() == null ? defaults.predict() : policy.predict();
        Integer toZero = policy.scaleToZeroAfterSeconds();
        if (toZero != null) {
            if (toZero < 1 || toZero > MAX_SECONDS) {
                throw StratosException.invalid("scaleToZeroAfterSeconds", "scaleToZeroAfterSeconds must be from 1 to "
                        + MAX_SECONDS + ", not " + toZero, "e.g. 300: zero processes after 5 minutes without a request");
            }
            if (min != null && min > 0) {
                throw StratosException.invalid("scaleToZeroAfterSeconds", "scaleToZeroAfterSeconds needs minProcesses 0, not "
                        + min, "set \"minProcesses\": 0 (or leave it out), and subscribe with \"minProcesses\": 0");
            }
            // Down to zero is the point of the setting: the subscription's own minimum is then the only bound.
            min = 0;
        }
        return new AutoscalePolicy(name, new LinkedHashMap<>(metrics), min, max, up, down, cooldown, stabilisation, tolerance,
                predict, toZero);
    }

    /** An application metric: the name the processes serve it under, and how their values are aggregated. */
    private static MetricTarget custom(MetricTarget target, double value) {
        String name = target.name();
        if (name == null || name.isBlank()) {
            throw StratosException.invalid("metrics.custom.name", "a custom metric needs the name the processes serve it under",
                    "e.g. {\"name\": \"queue_depth\", \"target\": 5, \"aggregate\": \"avg\"}");
        }
        if (!APPLICATION_METRIC.matcher(name).matches()) {
            throw StratosException.invalid("metrics.custom.name", "'" + name + "' is not an OpenMetrics metric name",
                    "letters, digits, '_' and ':', not starting with a digit, at most 128 characters");
        }
        String aggregate = target.aggregate() == null ? MetricTarget.AVG : target.aggregate();
        if (!AGGREGATES.contains(aggregate)) {
            throw StratosException.invalid("metrics.custom.aggregate", "aggregate '" + aggregate + "' is not known",
                    "avg, max or sum over the subscription's RUNNING processes");
        }
        return new MetricTarget(value, name, aggregate);
    }

    private static int range(String field, Integer value, int defaultValue, int min, int max) {
        if (value == null) {
            return defaultValue;
        }
        if (value < min || value > max) {
            throw StratosException.invalid(field, field + " must be from " + min + " to " + max + ", not " + value, null);
        }
        return value;
    }
}
