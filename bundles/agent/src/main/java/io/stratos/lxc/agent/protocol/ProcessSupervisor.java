package io.stratos.lxc.agent.protocol;

import io.stratos.lxc.api.agent.AgentReport;
import io.stratos.lxc.api.agent.DesiredState;

/** What the agent connection drives: makes the VM's containers match the desired state, and says what runs. */
public interface ProcessSupervisor {

    /** Takes a new desired state; the work happens asynchronously. */
    void apply(DesiredState desired);

    /** The actual processes now, for the controller. */
    AgentReport report(long revision);
}
