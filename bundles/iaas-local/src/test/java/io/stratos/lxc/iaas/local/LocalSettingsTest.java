package io.stratos.lxc.iaas.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratos.lxc.config.ConfigValues;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LocalSettingsTest {

    @Test
    void portRangesOfAllVmsMustFitBelow65536() {
        ConfigValues values = ConfigValues.of(LocalSettings.PID, Map.of("portRangeStart", "60000", "portsPerVm", "1000", "maxVms", "10"));
        LocalSettings settings = LocalSettings.from(values);

        assertThat(values.valid()).isFalse();
        assertThat(values.describeProblems()).contains("key 'maxVms'").contains("at most 5");
        assertThat(settings.maxVms()).isEqualTo(5);
    }

    @Test
    void defaultsGiveEachVmItsOwnHundredPorts() {
        ConfigValues values = ConfigValues.of(LocalSettings.PID, Map.of());
        LocalSettings settings = LocalSettings.from(values);

        assertThat(values.valid()).isTrue();
        assertThat(settings.portRangeStart()).isEqualTo(20000);
        assertThat(settings.portsPerVm()).isEqualTo(100);
    }
}
