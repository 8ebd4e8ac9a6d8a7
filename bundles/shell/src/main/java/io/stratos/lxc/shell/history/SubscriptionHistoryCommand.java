package io.stratos.lxc.shell.history;

import io.stratos.lxc.api.controller.CloudController;
import io.stratos.lxc.api.history.HistoryService;
import io.stratos.lxc.api.history.SubscriptionHistory;
import io.stratos.lxc.shell.controller.AliasCompleter;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Completion;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "stratos", name = "subscription-history",
        description = "Shows a subscription's last minutes as the controller sampled them: RUNNING processes, requests in flight, CPU, memory.")
@Service
public class SubscriptionHistoryCommand implements Action {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);

    @Argument(index = 0, name = "alias", required = true)
    @Completion(AliasCompleter.class)
    String alias;

    @Option(name = "-m", aliases = "--minutes", description = "How many minutes back, 1 to 60 (default 60)")
    int minutes = HistoryService.MAX_MINUTES;

    @Option(name = "-r", aliases = "--rows", description = "At most this many rows, evenly spread, the newest always shown (default 30; 0: every sample)")
    int rows = 30;

    @Reference
    CloudController controller;

    @Reference
    HistoryService history;

    @Override
    public Object execute() {
        controller.subscription(alias); // an unknown alias is an error, not an empty table
        SubscriptionHistory h = history.subscription(alias, minutes);
        if (!h.tracked()) {
            System.out.println(alias + ": no history kept (not sampled yet, or beyond maxSubscriptions in io.stratos.lxc.history)");
            return null;
        }
        List<SubscriptionHistory.Sample> shown = thin(h.samples(), rows);
        System.out.println(alias + ": " + h.samples().size() + " samples every " + h.intervalSeconds() + " s in the last " + minutes
                + " minutes" + (shown.size() < h.samples().size() ? ", " + shown.size() + " shown" : "") + " (times UTC)");
        ShellTable table = new ShellTable();
        for (String column : new String[] {"Time", "Running", "In flight", "CPU %", "Memory MiB"}) {
            table.column(column);
        }
        for (SubscriptionHistory.Sample s : shown) {
            table.addRow().addContent(TIME.format(Instant.ofEpochMilli(s.t())), s.running(), number(s.inFlight()), number(s.cpu()),
                    number(s.memoryBytes() / 1048576.0));
        }
        table.print(System.out);
        return null;
    }

    /** At most {@code rows} samples, evenly spread, always with the newest; all of them for 0. */
    static <T> List<T> thin(List<T> samples, int rows) {
        if (rows <= 0 || samples.size() <= rows) {
            return samples;
        }
        List<T> shown = new ArrayList<>(rows);
        int last = samples.size() - 1;
        for (int i = rows - 1; i >= 0; i--) {
            shown.add(samples.get(last - (int) ((long) i * last / (rows - 1 == 0 ? 1 : rows - 1))));
        }
        return shown;
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.1f", value);
    }
}
