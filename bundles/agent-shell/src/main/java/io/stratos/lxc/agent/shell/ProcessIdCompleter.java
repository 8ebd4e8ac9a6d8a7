package io.stratos.lxc.agent.shell;

import io.stratos.lxc.agent.status.AgentProcess;
import io.stratos.lxc.agent.status.AgentStatus;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes the ids of the processes on this VM. */
@Service
public class ProcessIdCompleter implements Completer {

    @Reference
    AgentStatus status;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter delegate = new StringsCompleter();
        for (AgentProcess process : status.processes()) {
            delegate.getStrings().add(process.processId());
        }
        return delegate.complete(session, commandLine, candidates);
    }
}
