package io.stratos.lxc.api.agent;

import java.util.concurrent.CompletionStage;

/**
 * The controller's side of the agent protocol. Agents call in; the controller never calls an agent.
 * A wrong token or secret is a NOT_FOUND/INVALID_INPUT {@link io.stratos.lxc.api.StratosException}
 * that says nothing about other agents.
 */
public interface AgentRegistry {

    AgentCredentials register(AgentRegistration registration);

    /**
     * Completes when the desired state's revision differs from {@code since}, or with the current state
     * once the long-poll time has passed (asynchronous, so thousands of agents do not hold threads).
     */
    CompletionStage<DesiredState> desiredState(String agentId, String secret, long since);

    void report(String agentId, String secret, AgentReport report);

    /** Whether these are a registered agent's credentials (for the user API's image downloads). */
    boolean authenticates(String agentId, String secret);
}
