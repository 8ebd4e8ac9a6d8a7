package io.stratos.lxc.shell.controller;

import io.stratos.lxc.api.controller.CloudController;
import io.stratos.lxc.api.controller.Subscription;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "stratos", name = "scale", description = "Sets a subscription's number of processes, within its min and max.")
@Service
public class ScaleCommand implements Action {

    @Argument(index = 0, name = "alias", required = true)
    @Completion(AliasCompleter.class)
    String alias;

    @Argument(index = 1, name = "processes", required = true)
    int processes;

    @Reference
    CloudController controller;

    @Override
    public Object execute() {
        Subscription s = controller.scale(alias, processes);
        System.out.println(s.alias() + " scaled to " + s.desiredProcesses() + " processes");
        return null;
    }
}
