package io.stratos.lxc.shell.router;

import io.stratos.lxc.api.router.RemoteRouter;
import io.stratos.lxc.api.router.RemoteRouters;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "stratos", name = "router-list", description = "Lists the routers apart from the controller that reported lately.")
@Service
public class RouterListCommand implements Action {

    @Reference
    RemoteRouters routers;

    @Override
    public Object execute() {
        List<RemoteRouter> all = routers.routers();
        if (all.isEmpty()) {
            System.out.println("No router apart from the controller has reported in the last 10 minutes.");
            return null;
        }
        ShellTable table = new ShellTable();
        for (String column : new String[] {"Router", "Last report", "Reporting", "Route revision", "Up to date", "In flight"}) {
            table.column(column);
        }
        for (RemoteRouter r : all) {
            table.addRow().addContent(r.name(), r.lastReport(), r.fresh() ? "yes" : "no (stale)", r.revision(),
                    r.upToDate() ? "yes" : "behind", r.requestsInFlight());
        }
        table.print(System.out);
        return null;
    }
}
