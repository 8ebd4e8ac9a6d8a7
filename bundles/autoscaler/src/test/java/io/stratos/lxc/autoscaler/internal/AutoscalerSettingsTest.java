package io.stratos.lxc.autoscaler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratos.lxc.config.ConfigValues;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AutoscalerSettingsTest {

    @Test
    void defaults() {
        AutoscalerSettings s = AutoscalerSettings.initial();
        assertThat(s.enabled()).isTrue();
        assertThat(s.intervalMillis()).isEqualTo(1000);
        assertThat(s.decisionHistory()).isEqualTo(1000);
        assertThat(s.vmScaleInUtilisation()).isEqualTo(0.3);
        assertThat(s.defaults().tolerance()).isEqualTo(0.1);
    }

    @Test
    void readsEveryKey() {
        ConfigValues values = AutoscalerSettings.read(Map.of("enabled", "false", "intervalMillis", "250",
                "decisionHistory", "50", "metricWindowSeconds", "30", "vmScalingEnabled", "false",
                "vmScaleInUtilisation", "0.5", "vmScaleInWindowSeconds", "300", "defaultScaleUpStep", "2",
                "defaultScaleDownStep", "3", "defaultScaleUpCooldownSeconds", "5"));
        AutoscalerSettings s = AutoscalerSettings.from(values);
        assertThat(values.valid()).isTrue();
        assertThat(s).isEqualTo(new AutoscalerSettings(false, 250, 50, 30, false, 0.5, 300,
                new AutoscalerSettings.PolicyDefaults(2, 3, 5, 60, 0.1, false)));
    }

    @Test
    void badValuesAreNamedAndDefaultsKept() {
        ConfigValues values = AutoscalerSettings.read(Map.of("intervalMillis", "fast", "vmScaleInUtilisation", "30%",
                "defaultTolerance", "2"));
        AutoscalerSettings s = AutoscalerSettings.from(values);
        assertThat(values.valid()).isFalse();
        assertThat(values.describeProblems()).contains("intervalMillis").contains("vmScaleInUtilisation")
                .contains("defaultTolerance").contains("io.stratos.lxc.autoscaler");
        assertThat(s.intervalMillis()).isEqualTo(1000);
        assertThat(s.vmScaleInUtilisation()).isEqualTo(0.3);
    }
}
