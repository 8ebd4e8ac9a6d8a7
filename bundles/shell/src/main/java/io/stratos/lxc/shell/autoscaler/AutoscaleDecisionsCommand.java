package io.stratos.lxc.shell.autoscaler;

import io.stratos.lxc.api.autoscaler.Autoscaler;
import io.stratos.lxc.api.autoscaler.ScalingDecision;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "stratos", name = "autoscale-decisions", description = "Lists the autoscaler's recent decisions, newest first.")
@Service
public class AutoscaleDecisionsCommand implements Action {

    @Option(name = "-n", aliases = "--limit", description = "How many (default 20)")
    int limit = 20;

    @Reference
    Autoscaler autoscaler;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        for (String column : new String[] {"Time", "Level", "Target", "Policy", "From", "To", "Metrics", "Reason"}) {
            table.column(column);
        }
        for (ScalingDecision d : autoscaler.decisions(limit)) {
            table.addRow().addContent(d.time(), d.level(), d.target(), d.policy() == null ? "-" : d.policy(), d.from(), d.to(),
                    metrics(d.metrics()), d.reason());
        }
        table.print(System.out);
        return null;
    }

    static String metrics(Map<String, Double> metrics) {
        return metrics.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + String.format(Locale.ROOT, "%.2f", e.getValue()))
                .collect(Collectors.joining(" "));
    }
}
