package io.stratos.lxc.shell.autoscaler;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.autoscaler.AutoscalePolicy;
import io.stratos.lxc.api.autoscaler.Autoscaler;
import io.stratos.lxc.api.autoscaler.MetricTarget;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

@Command(scope = "stratos", name = "policy-create", description = "Creates (or with --replace, replaces) an autoscale policy: "
        + "metric targets per process, bounds, steps, cool-down and stabilisation. Left-out values take the configured defaults.")
@Service
public class PolicyCreateCommand implements Action {

    @Argument(index = 0, name = "name", description = "Policy name (a DNS label)", required = true)
    String name;

    @Option(name = "--cpu", description = "Target CPU % of each process's request")
    Double cpu;

    @Option(name = "--memory", description = "Target memory % of each process's limit")
    Double memory;

    @Option(name = "--requests", description = "Target requests in flight per process")
    Double requests;

    @Option(name = "--metric", description = "A custom metric target, name=target (repeatable)", multiValued = true)
    List<String> custom;

    @Option(name = "--app-metric", description = "An application metric the processes serve (their cartridge declares "
            + "metrics.http): name=target[:avg|max|sum], e.g. queue_depth=5:avg (default avg over the RUNNING processes)")
    String appMetric;

    @Option(name = "--min", description = "Minimum processes (within the subscription's own)")
    Integer min;

    @Option(name = "--max", description = "Maximum processes (within the subscription's own)")
    Integer max;

    @Option(name = "--up-step", description = "At most this many processes added per decision")
    Integer upStep;

    @Option(name = "--down-step", description = "At most this many processes removed per decision")
    Integer downStep;

    @Option(name = "--up-cooldown", description = "Seconds between scale-ups")
    Integer upCooldown;

    @Option(name = "--down-stabilization", description = "Seconds of recommendations a scale-down must agree with")
    Integer downStabilization;

    @Option(name = "--tolerance", description = "No change while within target * (1 +/- tolerance), e.g. 0.1")
    Double tolerance;

    @Option(name = "--predict", description = "Scale for the trend's value one interval ahead")
    boolean predict;

    @Option(name = "--scale-to-zero-after", description = "Seconds without a request after which the subscription goes to "
            + "zero processes (the next request starts one; needs --min 0 or none)")
    Integer scaleToZeroAfter;

    @Option(name = "--replace", description = "Replace the existing policy of that name")
    boolean replace;

    /** Karaf stops reading options at the first argument; so that {@code policy-create web --cpu 60} works too. */
    @Argument(index = 1, name = "options", description = "The options above may also follow the name", multiValued = true)
    List<String> trailing;

    @Reference
    Autoscaler autoscaler;

    @Override
    public Object execute() {
        if (trailing != null) {
            parseTrailing(trailing);
        }
        Map<String, MetricTarget> metrics = new LinkedHashMap<>();
        if (cpu != null) {
            metrics.put(AutoscalePolicy.CPU_PERCENT, new MetricTarget(cpu));
        }
        if (memory != null) {
            metrics.put(AutoscalePolicy.MEMORY_PERCENT, new MetricTarget(memory));
        }
        if (requests != null) {
            metrics.put(AutoscalePolicy.REQUESTS_IN_FLIGHT, new MetricTarget(requests));
        }
        if (custom != null) {
            for (String entry : custom) {
                int eq = entry.indexOf('=');
                if (eq <= 0) {
                    throw StratosException.invalid("metrics", "--metric '" + entry + "' is not name=target", "e.g. --metric queueDepth=20");
                }
                String metric = entry.substring(0, eq).trim();
                try {
                    metrics.put(metric, new MetricTarget(Double.valueOf(entry.substring(eq + 1).trim())));
                } catch (NumberFormatException e) {
                    throw StratosException.invalid("metrics." + metric + ".target", "--metric '" + entry + "' has no number as target",
                            "e.g. --metric queueDepth=20");
                }
            }
        }
        if (appMetric != null) {
            metrics.put(AutoscalePolicy.CUSTOM, applicationMetric(appMetric));
        }
        AutoscalePolicy policy = new AutoscalePolicy(name, metrics, min, max, upStep, downStep, upCooldown, downStabilization,
                tolerance, predict ? Boolean.TRUE : null, scaleToZeroAfter);
        AutoscalePolicy stored = replace ? autoscaler.updatePolicy(name, policy) : autoscaler.createPolicy(policy);
        System.out.println("Policy " + stored.name() + (replace ? " replaced: " : " created: ") + PolicyListCommand.describe(stored));
        return null;
    }

    /** {@code name=target[:aggregate]}; the autoscaler checks the name and the aggregate. */
    static MetricTarget applicationMetric(String text) {
        int eq = text.indexOf('=');
        if (eq <= 0) {
            throw StratosException.invalid("metrics.custom", "--app-metric '" + text + "' is not name=target[:aggregate]",
                    "e.g. --app-metric queue_depth=5:avg");
        }
        String rest = text.substring(eq + 1).trim();
        int colon = rest.indexOf(':');
        String aggregate = colon < 0 ? null : rest.substring(colon + 1).trim();
        try {
            return new MetricTarget(Double.valueOf(colon < 0 ? rest : rest.substring(0, colon).trim()),
                    text.substring(0, eq).trim(), aggregate);
        } catch (NumberFormatException e) {
            throw StratosException.invalid("metrics.custom.target", "--app-metric '" + text + "' has no number as target",
                    "e.g. --app-metric queue_depth=5:avg");
        }
    }

    void parseTrailing(List<String> tokens) {
        for (int i = 0; i < tokens.size(); i++) {
            String option = tokens.get(i);
            if (option.equals("--predict")) {
                predict = true;
                continue;
            }
            if (option.equals("--replace")) {
                replace = true;
                continue;
            }
            if (i + 1 >= tokens.size()) {
                throw StratosException.invalid(option, "option " + option + " needs a value", "see policy-create --help");
            }
            String value = tokens.get(++i);
            try {
                switch (option) {
                    case "--cpu" -> cpu = Double.valueOf(value);
                    case "--memory" -> memory = Double.valueOf(value);
                    case "--requests" -> requests = Double.valueOf(value);
                    case "--metric" -> {
                        custom = custom == null ? new ArrayList<>() : new ArrayList<>(custom);
                        custom.add(value);
                    }
                    case "--app-metric" -> appMetric = value;
                    case "--min" -> min = Integer.valueOf(value);
                    case "--max" -> max = Integer.valueOf(value);
                    case "--up-step" -> upStep = Integer.valueOf(value);
                    case "--down-step" -> downStep = Integer.valueOf(value);
                    case "--up-cooldown" -> upCooldown = Integer.valueOf(value);
                    case "--down-stabilization" -> downStabilization = Integer.valueOf(value);
                    case "--tolerance" -> tolerance = Double.valueOf(value);
                    case "--scale-to-zero-after" -> scaleToZeroAfter = Integer.valueOf(value);
                    default -> throw StratosException.invalid(option, "unknown option " + option, "see policy-create --help");
                }
            } catch (NumberFormatException e) {
                throw StratosException.invalid(option, "option " + option + " needs a number, not '" + value + "'",
                        "see policy-create --help");
            }
        }
    }
}
