package io.stratos.lxc.shell.autoscaler;

import io.stratos.lxc.api.autoscaler.AutoscalePolicy;
import io.stratos.lxc.api.autoscaler.Autoscaler;
import java.util.List;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.api.console.CommandLine;
import org.apache.karaf.shell.api.console.Completer;
import org.apache.karaf.shell.api.console.Session;
import org.apache.karaf.shell.support.completers.StringsCompleter;

/** Completes autoscale policy names. */
@Service
public class PolicyCompleter implements Completer {

    @Reference
    Autoscaler autoscaler;

    @Override
    public int complete(Session session, CommandLine commandLine, List<String> candidates) {
        StringsCompleter delegate = new StringsCompleter();
        for (AutoscalePolicy policy : autoscaler.policies()) {
            delegate.getStrings().add(policy.name());
        }
        return delegate.complete(session, commandLine, candidates);
    }
}
