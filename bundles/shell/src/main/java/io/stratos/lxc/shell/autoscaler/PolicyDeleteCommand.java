package io.stratos.lxc.shell.autoscaler;

import io.stratos.lxc.api.autoscaler.Autoscaler;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "stratos", name = "policy-delete", description = "Deletes an autoscale policy that no subscription names.")
@Service
public class PolicyDeleteCommand implements Action {

    @Argument(index = 0, name = "name", required = true)
    @Completion(PolicyCompleter.class)
    String name;

    @Reference
    Autoscaler autoscaler;

    @Override
    public Object execute() {
        autoscaler.deletePolicy(name);
        System.out.println("Policy " + name + " deleted");
        return null;
    }
}
