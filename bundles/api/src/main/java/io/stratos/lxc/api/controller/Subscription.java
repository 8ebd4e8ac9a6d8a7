package io.stratos.lxc.api.controller;

import java.util.Map;

/**
 * A tenant's instance of a cartridge under an alias unique in the controller.
 *
 * @param desiredProcesses how many processes it should have now (manual scale or the autoscaler)
 * @param processes        how many it has, per state
 * @param endpoint         where the router serves it
 * @param artifact         its application: deployed and desired version, rollout state; null before the first deployment
 */
public record Subscription(String alias, String tenant, String cartridge, String version, String digest, String policy,
                           int minProcesses, int maxProcesses, int desiredProcesses, Map<String, String> env,
                           Map<ProcessState, Integer> processes, String endpoint, String createdAt, Artifact artifact) {

    public Subscription(String alias, String tenant, String cartridge, String version, String digest, String policy,
                        int minProcesses, int maxProcesses, int desiredProcesses, Map<String, String> env,
                        Map<ProcessState, Integer> processes, String endpoint, String createdAt) {
        this(alias, tenant, cartridge, version, digest, policy, minProcesses, maxProcesses, desiredProcesses, env, processes,
                endpoint, createdAt, null);
    }

    /**
     * @param deployed       version number serving everywhere (0: the image's own content)
     * @param deployedDigest its artifact digest (null for 0)
     * @param desired        version number wanted
     * @param desiredDigest  its digest
     * @param rollout        IDLE, ROLLING_OUT or FAILED (the last rollout stopped; see the history)
     */
    public record Artifact(int deployed, String deployedDigest, int desired, String desiredDigest, String rollout) {
    }
}
