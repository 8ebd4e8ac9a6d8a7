package io.stratos.lxc.api.agent;

import io.stratos.lxc.api.controller.Resources;
import java.util.List;

/** {@code POST /stratos/agent/v1/register}: an agent introduces itself with its VM's join token. */
public record AgentRegistration(String joinToken, String vmId, String partition, Resources capacity,
                                List<String> runtimes, List<String> cachedImages, String agentVersion) {

    @Override
    public String toString() {
        return "AgentRegistration[vmId=" + vmId + ", partition=" + partition + ", capacity=" + capacity
                + ", runtimes=" + runtimes + ", agentVersion=" + agentVersion + "]";
    }
}
