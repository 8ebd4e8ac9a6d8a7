package io.stratos.lxc.shell.controller;

import io.stratos.lxc.api.controller.CartridgeProcess;
import io.stratos.lxc.api.controller.CloudController;
import io.stratos.lxc.api.controller.ProcessMetrics;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "stratos", name = "process-list", description = "Lists cartridge processes, of one subscription or all.")
@Service
public class ProcessListCommand implements Action {

    @Argument(index = 0, name = "alias", description = "Only this subscription's processes")
    @Completion(AliasCompleter.class)
    String alias;

    @Reference
    CloudController controller;

    @Override
    public Object execute() {
        List<CartridgeProcess> processes = alias == null ? controller.processes() : controller.processes(alias);
        ShellTable table = new ShellTable();
        for (String column : new String[] {"Process", "Alias", "VM", "Runtime", "State", "Endpoint", "CPU %", "Memory MiB",
                "App metrics", "Reason"}) {
            table.column(column);
        }
        for (CartridgeProcess p : processes) {
            table.addRow().addContent(p.id(), p.alias(), p.vmId() == null ? "-" : p.vmId(), p.runtime() == null ? "-" : p.runtime(),
                    p.state(), p.endpoint() == null ? "-" : p.endpoint(), String.format("%.1f", p.metrics().cpuPercent()),
                    String.format("%.1f", p.metrics().memoryBytes() / (1024.0 * 1024)), applicationMetrics(p.metrics()), p.reason());
        }
        table.print(System.out);
        return null;
    }

    /** What the agent scraped from the process ({@code queue_depth=3}), and why some of it was ignored; "-" for nothing. */
    static String applicationMetrics(ProcessMetrics metrics) {
        String values = new java.util.TreeMap<>(metrics.application()).entrySet().stream()
                .map(e -> e.getKey() + "=" + java.math.BigDecimal.valueOf(e.getValue()).stripTrailingZeros().toPlainString())
                .collect(java.util.stream.Collectors.joining(" "));
        String problem = metrics.applicationProblem();
        if (problem == null) {
            return values.isEmpty() ? "-" : values;
        }
        return values.isEmpty() ? problem : values + "; " + problem;
    }
}
