package io.stratos.lxc.shell.autoscaler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.autoscaler.AutoscalePolicy;
import io.stratos.lxc.api.autoscaler.MetricTarget;
import io.stratos.lxc.testsupport.RecordingAutoscaler;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PolicyCreateCommandTest {

    @Test
    void optionsAfterTheNameWork() {
        PolicyCreateCommand command = new PolicyCreateCommand();
        RecordingAutoscaler autoscaler = new RecordingAutoscaler();
        command.autoscaler = autoscaler;
        command.name = "web";
        command.trailing = List.of("--cpu", "60", "--requests", "10", "--metric", "queueDepth=20", "--min", "2", "--max", "8",
                "--up-step", "3", "--down-step", "2", "--up-cooldown", "30", "--down-stabilization", "120",
                "--tolerance", "0.05", "--predict");
        command.execute();
        assertThat(autoscaler.created).containsExactly(new AutoscalePolicy("web", Map.of("cpuPercent", new MetricTarget(60.0),
                "requestsInFlight", new MetricTarget(10.0), "queueDepth", new MetricTarget(20.0)), 2, 8, 3, 2, 30, 120, 0.05, true));
    }

    @Test
    void anApplicationMetricTargetsItsNameWithAnAggregate() {
        PolicyCreateCommand command = new PolicyCreateCommand();
        RecordingAutoscaler autoscaler = new RecordingAutoscaler();
        command.autoscaler = autoscaler;
        command.name = "jobs";
        command.trailing = List.of("--app-metric", "queue_depth=5:max");
        command.execute();
        AutoscalePolicy created = autoscaler.created.get(0);
        assertThat(created.metrics()).containsExactly(Map.entry("custom", new MetricTarget(5.0, "queue_depth", "max")));
        assertThat(PolicyListCommand.targets(created.metrics())).isEqualTo("custom queue_depth (max)=5.0");
        assertThat(PolicyCreateCommand.applicationMetric("queue_depth=2.5")).isEqualTo(new MetricTarget(2.5, "queue_depth", null));
        assertThatThrownBy(() -> PolicyCreateCommand.applicationMetric("queue_depth")).isInstanceOfSatisfying(StratosException.class,
                e -> assertThat(e.field()).isEqualTo("metrics.custom"));
        assertThatThrownBy(() -> PolicyCreateCommand.applicationMetric("queue_depth=lots:avg"))
                .isInstanceOfSatisfying(StratosException.class, e -> assertThat(e.field()).isEqualTo("metrics.custom.target"));
    }

    @Test
    void badTrailingOptionsAreNamed() {
        PolicyCreateCommand command = new PolicyCreateCommand();
        command.autoscaler = new RecordingAutoscaler();
        command.name = "web";
        command.trailing = List.of("--cpu", "lots");
        assertThatThrownBy(command::execute).isInstanceOfSatisfying(StratosException.class,
                e -> assertThat(e.field()).isEqualTo("--cpu"));
        command.trailing = List.of("--colour", "red");
        assertThatThrownBy(command::execute).isInstanceOfSatisfying(StratosException.class,
                e -> assertThat(e.getMessage()).contains("unknown option --colour"));
    }
}
