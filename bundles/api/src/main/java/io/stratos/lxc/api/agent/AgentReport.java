package io.stratos.lxc.api.agent;

import java.util.List;

/**
 * {@code POST .../agents/{id}/status}: what actually runs on the VM, every few seconds and on change.
 *
 * @param agentVersion the agent's version (also after a controller restart, which forgets what registration said);
 *                     null from agents that do not send it
 */
public record AgentReport(long revision, List<ProcessReport> processes, List<String> cachedImages, String agentVersion) {

    public AgentReport {
        processes = processes == null ? List.of() : List.copyOf(processes);
        cachedImages = cachedImages == null ? List.of() : List.copyOf(cachedImages);
    }

    public AgentReport(long revision, List<ProcessReport> processes, List<String> cachedImages) {
        this(revision, processes, cachedImages, null);
    }

    public AgentReport withAgentVersion(String version) {
        return new AgentReport(revision, processes, cachedImages, version);
    }
}
