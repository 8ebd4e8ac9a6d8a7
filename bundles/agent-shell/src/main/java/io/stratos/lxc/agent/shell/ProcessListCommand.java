package io.stratos.lxc.agent.shell;

import io.stratos.lxc.agent.status.AgentStatus;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "agent", name = "process-list", description = "Lists the processes on this VM: state, host port, CPU and memory, restarts.")
@Service
public class ProcessListCommand implements Action {

    @Reference
    AgentStatus status;

    @Override
    public Object execute() {
        AgentFormat.processes(status.processes(), System.out);
        return null;
    }
}
