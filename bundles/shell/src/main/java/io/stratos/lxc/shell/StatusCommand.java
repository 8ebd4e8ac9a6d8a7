package io.stratos.lxc.shell;

import io.stratos.lxc.api.status.ComponentStatus;
import io.stratos.lxc.api.status.StatusService;
import io.stratos.lxc.api.status.SystemStatus;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "stratos", name = "status", description = "Shows the controller's version, uptime and the state of each component.")
@Service
public class StatusCommand implements Action {

    @Reference
    StatusService statusService;

    @Override
    public Object execute() {
        SystemStatus status = statusService.status();
        System.out.println("Stratos LXC " + status.version() + ": " + status.state()
                + ", up " + status.uptimeSeconds() + " s (since " + status.startedAt() + ")");
        System.out.println("Role: " + status.role() + " (lease epoch " + status.leaseEpoch()
                + (status.leaseHolder().isEmpty() ? "" : ", active controller " + status.leaseHolder()) + ")");
        ShellTable table = new ShellTable();
        table.column("Component");
        table.column("State");
        table.column("Detail").maxSize(100).wrap();
        for (ComponentStatus component : status.components()) {
            table.addRow().addContent(component.name(), component.state(), component.detail());
        }
        table.print(System.out);
        return null;
    }
}
