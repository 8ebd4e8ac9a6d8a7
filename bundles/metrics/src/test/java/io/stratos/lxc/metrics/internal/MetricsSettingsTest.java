package io.stratos.lxc.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsSettingsTest {

    @Test
    void defaultThenConfiguredThenABadValueKeepsTheLastGoodOne() {
        MetricsSettings settings = new MetricsSettings();
        settings.configure(Map.of());
        assertThat(settings.maxProcessSeries()).isEqualTo(10_000);
        settings.configure(Map.of("maxProcessSeries", "500"));
        assertThat(settings.maxProcessSeries()).isEqualTo(500);
        settings.configure(Map.of("maxProcessSeries", "lots"));
        assertThat(settings.maxProcessSeries()).isEqualTo(500);
        settings.configure(Map.of("maxProcessSeries", "-1"));
        assertThat(settings.maxProcessSeries()).isEqualTo(500);
    }
}
