package io.stratos.lxc.api.iaas;

import io.stratos.lxc.api.controller.Resources;
import java.util.Map;

/**
 * What an adapter needs to create a partition VM that runs the agent. The agent must be started
 * with these values (environment {@code STRATOS_AGENT_*} or its .cfg).
 */
public record VmSpec(String vmId, String partition, Resources capacity, Map<String, String> template,
                     String controllerUrl, String joinToken) {

    @Override
    public String toString() {
        // Never print the join token.
        return "VmSpec[vmId=" + vmId + ", partition=" + partition + ", capacity=" + capacity + ", template=" + template + "]";
    }
}
