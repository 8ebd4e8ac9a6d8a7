package io.stratos.lxc.agent.internal;

import io.stratos.lxc.agent.protocol.ProcessSupervisor;
import io.stratos.lxc.api.agent.AgentReport;
import io.stratos.lxc.api.agent.DesiredState;
import io.stratos.lxc.api.agent.ProcessReport;
import io.stratos.lxc.api.controller.ProcessMetrics;
import io.stratos.lxc.api.controller.ProcessState;
import java.util.List;

/**
 * Until the container runtimes are wired to the reconciler, the agent acknowledges what it is asked to
 * run without running it, and says so in each process's reason.
 */
final class WaitingSupervisor implements ProcessSupervisor {

    private volatile DesiredState desired = new DesiredState(0, List.of());

    @Override
    public void apply(DesiredState desired) {
        this.desired = desired;
    }

    @Override
    public AgentReport report(long revision) {
        List<ProcessReport> processes = desired.processes().stream()
                .map(p -> new ProcessReport(p.processId(), ProcessState.STARTING, 0, "no container runtime wired in this agent yet",
                        ProcessMetrics.NONE))
                .toList();
        return new AgentReport(revision, processes, List.of());
    }
}
