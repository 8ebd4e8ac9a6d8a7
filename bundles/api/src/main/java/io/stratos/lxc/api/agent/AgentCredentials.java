package io.stratos.lxc.api.agent;

import java.util.List;

/**
 * The answer to a registration: the agent's id and the secret it presents from now on
 * (header {@code Authorization: Bearer <secret>}), and how often to report.
 *
 * @param allowedSources addresses or CIDR ranges (the routers) whose connections the agent's published ports accept,
 *                       besides the controller's own address; empty when the controller names none
 */
public record AgentCredentials(String agentId, String secret, int statusIntervalSeconds, int longPollSeconds,
                               List<String> allowedSources) {

    public AgentCredentials {
        allowedSources = allowedSources == null ? List.of() : List.copyOf(allowedSources);
    }

    public AgentCredentials(String agentId, String secret, int statusIntervalSeconds, int longPollSeconds) {
        this(agentId, secret, statusIntervalSeconds, longPollSeconds, List.of());
    }

    @Override
    public String toString() {
        return "AgentCredentials[agentId=" + agentId + "]";
    }
}
