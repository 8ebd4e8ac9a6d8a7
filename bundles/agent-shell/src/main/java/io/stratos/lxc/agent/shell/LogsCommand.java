package io.stratos.lxc.agent.shell;

import io.stratos.lxc.agent.status.AgentStatus;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "agent", name = "logs", description = "Prints the end of a process's console output (LXC: console.log beside the container; Docker: its logs).")
@Service
public class LogsCommand implements Action {

    @Argument(index = 0, name = "process", description = "The process id (see agent:process-list)", required = true)
    @Completion(ProcessIdCompleter.class)
    String processId;

    @Option(name = "-n", aliases = "--lines", description = "How many lines, from the end (default 50)")
    int lines = 50;

    @Reference
    AgentStatus status;

    @Override
    public Object execute() {
        AgentFormat.log(status.logTail(processId, lines), System.out);
        return null;
    }
}
