package io.stratos.lxc.shell.controller;

import io.stratos.lxc.api.controller.CloudController;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "stratos", name = "unsubscribe", description = "Stops and removes a subscription's processes and frees its alias.")
@Service
public class UnsubscribeCommand implements Action {

    @Argument(index = 0, name = "alias", required = true)
    @Completion(AliasCompleter.class)
    String alias;

    @Reference
    CloudController controller;

    @Override
    public Object execute() {
        controller.unsubscribe(alias);
        System.out.println("Unsubscribed " + alias);
        return null;
    }
}
