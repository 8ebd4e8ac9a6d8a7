package io.stratos.lxc.api.autoscaler;

import java.util.Map;

/**
 * An autoscale policy: how a subscription naming it is scaled (level 1 of the autoscaler).
 * <p>
 * Target tracking: for each metric, desired processes = ceil(running * observed / target), where
 * observed is the metric averaged over the subscription's RUNNING processes and over the recent window
 * (or, with {@code predict}, its trend extrapolated one evaluation interval ahead); the largest of
 * these wins. Null fields take the defaults of PID {@code io.stratos.lxc.autoscaler} when the policy
 * is stored, except {@code minProcesses} and {@code maxProcesses}, where null means the subscription's own.
 *
 * @param name                          a DNS label, unique
 * @param metrics                       metric name to its target per process. Built in: {@code cpuPercent}
 *                                      (% of the process's CPU request), {@code memoryPercent} (% of its
 *                                      memory limit), {@code requestsInFlight}; any other name is a custom
 *                                      metric some {@link MetricSource} reports; {@code custom}
 *                                      names an application metric the processes serve ({@link MetricTarget})
 * @param minProcesses                  lower bound; applies within the subscription's own min and max
 * @param maxProcesses                  upper bound; applies within the subscription's own min and max
 * @param scaleUpStep                   at most this many processes added per decision
 * @param scaleDownStep                 at most this many processes removed per decision
 * @param scaleUpCooldownSeconds        no scale-up sooner than this after the last scale-up
 * @param scaleDownStabilizationSeconds scale down only to the highest recommendation of this window
 * @param tolerance                     no change while observed/target is within 1 +/- tolerance (e.g. 0.1)
 * @param predict                       scale for the value the trend predicts one interval ahead
 * @param scaleToZeroAfterSeconds       null: never below one process by the metrics. Otherwise, after this many
 *                                      seconds without a request through any router, the subscription is scaled to
 *                                      zero processes (it must allow {@code minProcesses: 0}), and the next request is
 *                                      held by the router while one process starts ({@link ScaleFromZero})
 */
public record AutoscalePolicy(String name, Map<String, MetricTarget> metrics, Integer minProcesses, Integer maxProcesses,
                              Integer scaleUpStep, Integer scaleDownStep, Integer scaleUpCooldownSeconds,
                              Integer scaleDownStabilizationSeconds, Double tolerance, Boolean predict,
                              Integer scaleToZeroAfterSeconds) {

    /** A policy that never scales to zero. */
    public AutoscalePolicy(String name, Map<String, MetricTarget> metrics, Integer minProcesses, Integer maxProcesses,
                           Integer scaleUpStep, Integer scaleDownStep, Integer scaleUpCooldownSeconds,
                           Integer scaleDownStabilizationSeconds, Double tolerance, Boolean predict) {
        this(name, metrics, minProcesses, maxProcesses, scaleUpStep, scaleDownStep, scaleUpCooldownSeconds,
                scaleDownStabilizationSeconds, tolerance, predict, null);
    }

    public static final String CPU_PERCENT = "cpuPercent";
    public static final String MEMORY_PERCENT = "memoryPercent";
    public static final String REQUESTS_IN_FLIGHT = "requestsInFlight";
    /** The key of an application metric's target: {@code "custom": {"name": ..., "target": ..., "aggregate": ...}}. */
    public static final String CUSTOM = "custom";

    /** The same policy under another name (e.g. the name of a {@code PUT /autoscale-policies/{name}} path). */
    public AutoscalePolicy withName(String newName) {
        return new AutoscalePolicy(newName, metrics, minProcesses, maxProcesses, scaleUpStep, scaleDownStep,
                scaleUpCooldownSeconds, scaleDownStabilizationSeconds, tolerance, predict, scaleToZeroAfterSeconds);
    }
}
