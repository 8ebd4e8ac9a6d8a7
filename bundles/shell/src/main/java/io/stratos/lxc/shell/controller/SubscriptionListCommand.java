package io.stratos.lxc.shell.controller;

import io.stratos.lxc.api.controller.CloudController;
import io.stratos.lxc.api.controller.Subscription;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "stratos", name = "subscription-list", description = "Lists subscriptions with their processes per state.")
@Service
public class SubscriptionListCommand implements Action {

    @Reference
    CloudController controller;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        for (String column : new String[] {"Alias", "Tenant", "Cartridge", "Desired (min..max)", "Processes", "Endpoint"}) {
            table.column(column);
        }
        for (Subscription s : controller.subscriptions()) {
            table.addRow().addContent(s.alias(), s.tenant(), s.cartridge() + ":" + s.version(),
                    s.desiredProcesses() + " (" + s.minProcesses() + ".." + s.maxProcesses() + ")",
                    s.processes().toString().replaceAll("[{}]", ""), s.endpoint());
        }
        table.print(System.out);
        return null;
    }
}
