package io.stratos.lxc.api.agent;

import java.util.List;

/**
 * {@code POST .../agents/{id}/status}: what actually runs on the VM, every few seconds and on change.
 *
 * @param agentVersion the agent's version (also after a controller restart, which forgets what registration said);
 *                     null from agents that do not send it
 * @param address      the VM's address its processes are published on, as at registration; null: unchanged
 * @param problem      what keeps the agent from running processes (its publish address cannot be bound, ...): the VM
 *                     shows DEGRADED with it and gets no new processes; null when there is none
 */
public record AgentReport(long revision, List<ProcessReport> processes, List<String> cachedImages, String agentVersion,
                          String address, String problem) {

    public AgentReport {
        processes = processes == null ? List.of() : List.copyOf(processes);
        cachedImages = cachedImages == null ? List.of() : List.copyOf(cachedImages);
    }

    public AgentReport(long revision, List<ProcessReport> processes, List<String> cachedImages, String agentVersion) {
        this(revision, processes, cachedImages, agentVersion, null, null);
    }

    public AgentReport(long revision, List<ProcessReport> processes, List<String> cachedImages) {
        this(revision, processes, cachedImages, null, null, null);
    }

    public AgentReport withAgentVersion(String version) {
        return new AgentReport(revision, processes, cachedImages, version, address, problem);
    }
}
