package io.stratos.lxc.autoscaler.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.autoscaler.AutoscalePolicy;
import io.stratos.lxc.api.autoscaler.MetricTarget;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PolicyValidatorTest {

    static final AutoscalerSettings.PolicyDefaults DEFAULTS = AutoscalerSettings.initial().defaults();
    static final Map<String, MetricTarget> CPU = Map.of("cpuPercent", new MetricTarget(60.0));

    static AutoscalePolicy minimal(String name) {
        return new AutoscalePolicy(name, CPU, null, null, null, null, null, null, null, null);
    }

    @Test
    void fillsInTheDefaults() {
        AutoscalePolicy valid = PolicyValidator.validate(minimal("web"), DEFAULTS);
        assertThat(valid.scaleUpStep()).isEqualTo(DEFAULTS.scaleUpStep());
        assertThat(valid.scaleDownStep()).isEqualTo(DEFAULTS.scaleDownStep());
        assertThat(valid.scaleUpCooldownSeconds()).isEqualTo(DEFAULTS.scaleUpCooldownSeconds());
        assertThat(valid.scaleDownStabilizationSeconds()).isEqualTo(DEFAULTS.scaleDownStabilizationSeconds());
        assertThat(valid.tolerance()).isEqualTo(DEFAULTS.tolerance());
        assertThat(valid.predict()).isEqualTo(DEFAULTS.predict());
        assertThat(valid.minProcesses()).isNull();
        assertThat(valid.maxProcesses()).isNull();
    }

    @Test
    void acceptsCustomMetricsAndAllFields() {
        AutoscalePolicy policy = new AutoscalePolicy("web", Map.of("requestsInFlight", new MetricTarget(10.0),
                "queue.depth", new MetricTarget(3.5)), 2, 8, 2, 1, 30, 120, 0.05, true);
        assertThat(PolicyValidator.validate(policy, DEFAULTS)).isEqualTo(new AutoscalePolicy("web",
                policy.metrics(), 2, 8, 2, 1, 30, 120, 0.05, true));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "name|                  ",
            "name|Web_1             ",
            "name|-web              ",
            "metrics|<none>         ",
            "metrics|<empty>        ",
            "metrics.9bad|<badname> ",
            "metrics.cpuPercent.target|<null-target>",
            "metrics.cpuPercent.target|0",
            "metrics.cpuPercent.target|-5",
            "metrics.cpuPercent.target|NaN",
            "metrics.cpuPercent.target|5000",
            "metrics.memoryPercent.target|<memory-150>",
            "minProcesses|-1",
            "maxProcesses|0",
            "maxProcesses|<max-below-min>",
            "scaleUpStep|0",
            "scaleDownStep|0",
            "scaleUpCooldownSeconds|-1",
            "scaleDownStabilizationSeconds|100000",
            "tolerance|1.0",
            "tolerance|-0.1",
    })
    void rejectsEachBadFieldNamingIt(String field, String value) {
        String name = "web";
        Map<String, MetricTarget> metrics = new HashMap<>(CPU);
        Integer min = null, max = null, up = null, down = null, cooldown = null, stabilisation = null;
        Double tolerance = null;
        String v = value == null ? "" : value.trim();
        switch (field) {
            case "name" -> name = v.isEmpty() ? null : v;
            case "metrics" -> metrics = v.equals("<none>") ? null : Map.of();
            case "metrics.9bad" -> metrics.put("9bad", new MetricTarget(1.0));
            case "metrics.cpuPercent.target" -> metrics.put("cpuPercent", new MetricTarget(v.equals("<null-target>") ? null
                    : Double.valueOf(v)));
            case "metrics.memoryPercent.target" -> metrics.put("memoryPercent", new MetricTarget(150.0));
            case "minProcesses" -> min = Integer.valueOf(v);
            case "maxProcesses" -> {
                if (v.equals("<max-below-min>")) {
                    min = 5;
                    max = 3;
                } else {
                    max = Integer.valueOf(v);
                }
            }
            case "scaleUpStep" -> up = Integer.valueOf(v);
            case "scaleDownStep" -> down = Integer.valueOf(v);
            case "scaleUpCooldownSeconds" -> cooldown = Integer.valueOf(v);
            case "scaleDownStabilizationSeconds" -> stabilisation = Integer.valueOf(v);
            case "tolerance" -> tolerance = Double.valueOf(v);
            default -> throw new IllegalArgumentException(field);
        }
        AutoscalePolicy policy = new AutoscalePolicy(name, metrics, min, max, up, down, cooldown, stabilisation, tolerance, null);
        assertThatThrownBy(() -> PolicyValidator.validate(policy, DEFAULTS))
                .isInstanceOfSatisfying(StratosException.class, e -> {
                    assertThat(e.kind()).isEqualTo(StratosException.Kind.INVALID_INPUT);
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.getMessage()).isNotBlank();
                });
    }

    @Test
    void anApplicationMetricTargetDefaultsToTheAverage() {
        AutoscalePolicy policy = new AutoscalePolicy("web", Map.of("custom", new MetricTarget(5.0, "queue_depth", null)),
                null, null, null, null, null, null, null, null);
        assertThat(PolicyValidator.validate(policy, DEFAULTS).metrics())
                .containsExactly(Map.entry("custom", new MetricTarget(5.0, "queue_depth", "avg")));
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', nullValues = "<null>", value = {
            "metrics.custom.name|<null>|avg|5",
            "metrics.custom.name|queue-depth|avg|5",
            "metrics.custom.name|9lives|avg|5",
            "metrics.custom.aggregate|queue_depth|median|5",
            "metrics.custom.target|queue_depth|max|0",
            "metrics.cpuPercent|queue_depth|avg|50",
    })
    void rejectsABadApplicationMetricNamingTheField(String field, String name, String aggregate, double target) {
        String key = field.startsWith("metrics.custom") ? "custom" : "cpuPercent";
        AutoscalePolicy policy = new AutoscalePolicy("web", Map.of(key, new MetricTarget(target, name, aggregate)),
                null, null, null, null, null, null, null, null);
        assertThatThrownBy(() -> PolicyValidator.validate(policy, DEFAULTS))
                .isInstanceOfSatisfying(StratosException.class, e -> {
                    assertThat(e.kind()).isEqualTo(StratosException.Kind.INVALID_INPUT);
                    assertThat(e.field()).isEqualTo(field);
                    assertThat(e.hint()).isNotBlank();
                });
    }

    @Test
    void noBodyIsInvalid() {
        assertThatThrownBy(() -> PolicyValidator.validate(null, DEFAULTS))
                .isInstanceOfSatisfying(StratosException.class,
                        e -> assertThat(e.kind()).isEqualTo(StratosException.Kind.INVALID_INPUT));
    }
}
