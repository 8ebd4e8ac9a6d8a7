package io.stratos.lxc.shell.router;

import io.stratos.lxc.api.router.AliasTraffic;
import io.stratos.lxc.api.router.RouterMetrics;
import io.stratos.lxc.api.router.RouterStats;
import io.stratos.lxc.shell.controller.AliasCompleter;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "stratos", name = "router-stats", description = "Shows where the router listens and its traffic per subscription alias.")
@Service
public class RouterStatsCommand implements Action {

    @Argument(index = 0, name = "alias", description = "Only this subscription")
    @Completion(AliasCompleter.class)
    String alias;

    @Reference
    RouterMetrics router;

    @Override
    public Object execute() {
        RouterStats stats = router.stats();
        System.out.println("Router " + (stats.listening() ? "listening on " : "NOT listening on ") + stats.bindAddress() + ":"
                + stats.port() + ", serving <alias>." + stats.domain() + " and /<alias>/");
        List<AliasTraffic> rows = alias == null ? stats.aliases() : List.of(router.traffic(alias));
        ShellTable table = new ShellTable();
        for (String column : new String[] {"Alias", "In flight", "Requests", "Errors", "Avg ms", "p50 ms", "p99 ms", "Backends", "Down"}) {
            table.column(column);
        }
        for (AliasTraffic t : rows) {
            table.addRow().addContent(t.alias(), t.requestsInFlight(), t.requests(), t.errors(),
                    String.format("%.1f", t.latencyEwmaMillis()), t.latencyP50Millis(), t.latencyP99Millis(), t.backends(),
                    t.backendsDown());
        }
        table.print(System.out);
        return null;
    }
}
