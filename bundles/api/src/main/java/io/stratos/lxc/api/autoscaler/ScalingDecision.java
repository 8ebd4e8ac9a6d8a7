package io.stratos.lxc.api.autoscaler;

import java.util.Map;

/**
 * One change the autoscaler made (or tried to make).
 *
 * @param time    ISO-8601 instant
 * @param level   SUBSCRIPTION (processes of a subscription) or PARTITION (VMs of a partition)
 * @param target  the subscription alias or the partition name
 * @param policy  the policy that decided (level 1), null for level 2
 * @param metrics the values the decision was based on, by name (e.g. {@code cpuPercent},
 *                {@code cpuPercent.predicted}, {@code pending}, {@code utilisation})
 * @param from    the count before
 * @param to      the count asked for
 * @param reason  why, in words
 */
public record ScalingDecision(String time, Level level, String target, String policy, Map<String, Double> metrics,
                              int from, int to, String reason) {

    /** Level 1 scales a subscription's processes, level 2 a partition's VMs. */
    public enum Level { SUBSCRIPTION, PARTITION }
}
