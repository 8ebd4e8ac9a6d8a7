package io.stratos.lxc.api.autoscaler;

/**
 * What a policy aims at for one metric: the value per process that the autoscaler keeps the
 * subscription at, e.g. {@code {"target": 60}} for 60 % CPU of each process's request.
 * <p>
 * Under the key {@link AutoscalePolicy#CUSTOM} it names an application metric, one the processes serve themselves
 * (their cartridge's manifest declares {@code "metrics": {"http": "/metrics"}}):
 * {@code "custom": {"name": "queue_depth", "target": 5, "aggregate": "avg"}}.
 *
 * @param target    the value per process to keep the subscription at
 * @param name      only for {@code custom}: the metric's name in the processes' OpenMetrics text (its samples are added
 *                  up per process, over their labels)
 * @param aggregate only for {@code custom}: how the values of the subscription's RUNNING processes make the value
 *                  compared with the target: {@code avg} (default; of the processes that reported one), {@code max}
 *                  (the busiest process is kept at the target), {@code sum} (the total, spread over the running
 *                  processes: one that does not answer counts as 0)
 */
public record MetricTarget(Double target, String name, String aggregate) {

    public static final String AVG = "avg";
    public static final String MAX = "max";
    public static final String SUM = "sum";

    /** A built-in metric's target. */
    public MetricTarget(Double target) {
        this(target, null, null);
    }
}
