package io.stratos.lxc.api.autoscaler;

/**
 * Running totals of the autoscaler since it started, cheap to read at any time (no lock): for the metrics endpoint.
 * Decisions count when the controller took them (not those it refused).
 *
 * @param subscriptionsUp   level-1 decisions that asked for more processes
 * @param subscriptionsDown level-1 decisions that asked for fewer processes
 * @param partitionsUp      level-2 decisions that asked for more VMs
 * @param partitionsDown    level-2 decisions that asked for fewer VMs
 * @param passes            evaluation passes (both levels) completed
 * @param passSecondsTotal  seconds all those passes took together
 * @param lastPassSeconds   seconds the last pass took (0 before the first)
 */
public record AutoscalerStatistics(long subscriptionsUp, long subscriptionsDown, long partitionsUp, long partitionsDown,
                                   long passes, double passSecondsTotal, double lastPassSeconds) {

    public static final AutoscalerStatistics NONE = new AutoscalerStatistics(0, 0, 0, 0, 0, 0, 0);
}
