package io.stratos.lxc.api.agent;

import io.stratos.lxc.api.controller.Resources;
import java.util.List;

/**
 * {@code POST /stratos/agent/v1/register}: an agent introduces itself. The first time with its VM's join token,
 * which works once; from then on (after an agent or controller restart) with the secret that answer gave it.
 *
 * @param capacity what the agent says its VM has; at most what the controller created the VM with
 * @param secret   the secret of an earlier registration, kept by the agent; null on its first
 * @param address  the VM's address, where its processes are published ({@code publishAddress}); null from agents
 *                 older than it (taken as 127.0.0.1, accepted only for VMs on the controller's own host)
 */
public record AgentRegistration(String joinToken, String vmId, String partition, Resources capacity,
                                List<String> runtimes, List<String> cachedImages, String agentVersion, String secret,
                                String address) {

    public AgentRegistration(String joinToken, String vmId, String partition, Resources capacity,
                             List<String> runtimes, List<String> cachedImages, String agentVersion, String secret) {
        this(joinToken, vmId, partition, capacity, runtimes, cachedImages, agentVersion, secret, null);
    }

    /** A first registration, with the join token only. */
    public AgentRegistration(String joinToken, String vmId, String partition, Resources capacity,
                             List<String> runtimes, List<String> cachedImages, String agentVersion) {
        this(joinToken, vmId, partition, capacity, runtimes, cachedImages, agentVersion, null);
    }

    @Override
    public String toString() {
        return "AgentRegistration[vmId=" + vmId + ", partition=" + partition + ", capacity=" + capacity
                + ", address=" + address + ", runtimes=" + runtimes + ", agentVersion=" + agentVersion + ", with " + (secret != null ? "its secret" : "a join token") + "]";
    }
}
