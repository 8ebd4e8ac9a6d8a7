package io.stratos.lxc.shell.autoscaler;

import io.stratos.lxc.api.autoscaler.AutoscalePolicy;
import io.stratos.lxc.api.autoscaler.Autoscaler;
import io.stratos.lxc.api.autoscaler.MetricTarget;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

@Command(scope = "stratos", name = "policy-list", description = "Lists autoscale policies.")
@Service
public class PolicyListCommand implements Action {

    @Reference
    Autoscaler autoscaler;

    @Override
    public Object execute() {
        ShellTable table = new ShellTable();
        for (String column : new String[] {"Name", "Targets", "Processes", "Steps (up/down)", "Cool-down", "Stabilisation",
                "Tolerance", "Predict", "To zero after"}) {
            table.column(column);
        }
        for (AutoscalePolicy p : autoscaler.policies()) {
            table.addRow().addContent(p.name(), targets(p.metrics()), bounds(p), p.scaleUpStep() + "/" + p.scaleDownStep(),
                    p.scaleUpCooldownSeconds() + " s", p.scaleDownStabilizationSeconds() + " s", p.tolerance(), p.predict(),
                    p.scaleToZeroAfterSeconds() == null ? "never" : p.scaleToZeroAfterSeconds() + " s");
        }
        table.print(System.out);
        return null;
    }

    static String targets(Map<String, MetricTarget> metrics) {
        return metrics.entrySet().stream().map(e -> target(e.getKey(), e.getValue())).collect(Collectors.joining(", "));
    }

    /** {@code cpuPercent=60.0}; an application metric as {@code custom queue_depth (avg)=5.0}. */
    static String target(String key, MetricTarget target) {
        return AutoscalePolicy.CUSTOM.equals(key) && target.name() != null
                ? "custom " + target.name() + " (" + (target.aggregate() == null ? MetricTarget.AVG : target.aggregate()) + ")="
                        + target.target()
                : key + "=" + target.target();
    }

    static String bounds(AutoscalePolicy p) {
        return (p.minProcesses() == null ? "sub" : String.valueOf(p.minProcesses())) + ".."
                + (p.maxProcesses() == null ? "sub" : String.valueOf(p.maxProcesses()));
    }

    static String describe(AutoscalePolicy p) {
        return targets(p.metrics()) + "; processes " + bounds(p) + "; steps " + p.scaleUpStep() + "/" + p.scaleDownStep()
                + "; cool-down " + p.scaleUpCooldownSeconds() + " s; stabilisation " + p.scaleDownStabilizationSeconds()
                + " s; tolerance " + p.tolerance() + (Boolean.TRUE.equals(p.predict()) ? "; predict" : "")
                + (p.scaleToZeroAfterSeconds() == null ? "" : "; to zero after " + p.scaleToZeroAfterSeconds() + " s quiet");
    }
}
