package io.stratos.lxc.controller.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratos.lxc.api.status.ComponentState;
import io.stratos.lxc.api.status.ComponentStatus;
import io.stratos.lxc.api.status.SystemStatus;
import java.util.List;
import org.junit.jupiter.api.Test;

class StatusServiceImplTest {

    @Test
    void theOverallStateIsTheWorstComponentStateAndComponentsAreSortedByName() {
        SystemStatus status = StatusServiceImpl.summarise("1.0", "2026-01-01T00:00:00Z", 5, List.of(
                ComponentStatus.active("store"),
                new ComponentStatus("controller", ComponentState.UNCONFIGURED, "bad key"),
                ComponentStatus.active("autoscaler")));

        assertThat(status.state()).isEqualTo(ComponentState.UNCONFIGURED);
        assertThat(status.components()).extracting(ComponentStatus::name)
                .containsExactly("autoscaler", "controller", "store");
    }

    @Test
    void withNoComponentsTheControllerIsActive() {
        assertThat(StatusServiceImpl.summarise("1.0", "t", 0, List.of()).state()).isEqualTo(ComponentState.ACTIVE);
    }
}
