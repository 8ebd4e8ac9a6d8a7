package io.stratos.lxc.api.agent;

/**
 * The answer to a registration: the agent's id and the secret it presents from now on
 * (header {@code Authorization: Bearer <secret>}), and how often to report.
 */
public record AgentCredentials(String agentId, String secret, int statusIntervalSeconds, int longPollSeconds) {

    @Override
    public String toString() {
        return "AgentCredentials[agentId=" + agentId + "]";
    }
}
