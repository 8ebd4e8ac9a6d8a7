package io.stratos.lxc.agent.shell;

import io.stratos.lxc.agent.status.AgentStatus;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "agent", name = "status", description = "Shows this VM's agent: capacity, allocation, processes per state, ports, image cache, runtimes.")
@Service
public class StatusCommand implements Action {

    @Reference
    AgentStatus status;

    @Override
    public Object execute() {
        AgentFormat.summary(status.summary(), System.out);
        return null;
    }
}
