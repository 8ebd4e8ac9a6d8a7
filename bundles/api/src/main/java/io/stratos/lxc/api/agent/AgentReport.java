package io.stratos.lxc.api.agent;

import java.util.List;

/** {@code POST .../agents/{id}/status}: what actually runs on the VM, every few seconds and on change. */
public record AgentReport(long revision, List<ProcessReport> processes, List<String> cachedImages) {

    public AgentReport {
        processes = processes == null ? List.of() : List.copyOf(processes);
        cachedImages = cachedImages == null ? List.of() : List.copyOf(cachedImages);
    }
}
