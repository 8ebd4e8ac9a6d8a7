package io.stratos.lxc.shell.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratos.lxc.api.controller.ProcessMetrics;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ProcessListCommandTest {

    @Test
    void aProcessShowsItsApplicationMetricsOrWhyTheyWereIgnored() {
        ProcessMetrics base = new ProcessMetrics(1, 1, 1, 1, 0);
        assertThat(ProcessListCommand.applicationMetrics(base)).isEqualTo("-");
        assertThat(ProcessListCommand.applicationMetrics(base.withApplication(Map.of("queue_depth", 12.0, "b", 0.5), null)))
                .isEqualTo("b=0.5 queue_depth=12");
        assertThat(ProcessListCommand.applicationMetrics(base.withApplication(Map.of(), "metrics GET /metrics: answered HTTP 500; ignored")))
                .isEqualTo("metrics GET /metrics: answered HTTP 500; ignored");
    }
}
