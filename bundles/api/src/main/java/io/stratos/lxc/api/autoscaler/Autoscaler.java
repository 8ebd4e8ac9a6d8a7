package io.stratos.lxc.api.autoscaler;

import java.util.List;

/**
 * The two-level autoscaler. Level 1 sets the number of processes of every subscription whose
 * {@code policy} names an existing policy; level 2 sets the number of VMs of every partition (more
 * when processes are pending for lack of room, one fewer when all VMs stayed under-used for a
 * window). Both act through the cloud controller, like a manual scale. Failures are
 * {@link io.stratos.lxc.api.StratosException}s: INVALID_INPUT naming the field, NOT_FOUND, CONFLICT.
 */
public interface Autoscaler {

    /** Validates and stores a policy; CONFLICT if the name is taken. Returns it with defaults filled in. */
    AutoscalePolicy createPolicy(AutoscalePolicy policy);

    List<AutoscalePolicy> policies();

    AutoscalePolicy policy(String name);

    /** Replaces a policy; the body's name, if given, must be {@code name}. */
    AutoscalePolicy updatePolicy(String name, AutoscalePolicy policy);

    /** Refused (CONFLICT) while a subscription names it. */
    void deletePolicy(String name);

    /** The most recent decisions, newest first, at most {@code limit}. */
    List<ScalingDecision> decisions(int limit);

    /** Decisions by direction and pass durations since start; never waits for a pass. */
    default AutoscalerStatistics statistics() {
        return AutoscalerStatistics.NONE;
    }
}
