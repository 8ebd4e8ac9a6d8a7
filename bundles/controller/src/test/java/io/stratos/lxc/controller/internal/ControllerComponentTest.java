package io.stratos.lxc.controller.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratos.lxc.api.status.ComponentState;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ControllerComponentTest {

    @Test
    void aValidConfigurationIsAppliedAndTheControllerIsActive() {
        ControllerComponent controller = new ControllerComponent();
        controller.configure(Map.of("agentGracePeriodSeconds", "60", "desiredStateLongPollSeconds", "20",
                "routerDomain", "apps.example.org"));

        assertThat(controller.settings()).isEqualTo(new ControllerSettings(60, 20, "apps.example.org", 8280, 1000, ""));
        assertThat(controller.componentStatus().state()).isEqualTo(ComponentState.ACTIVE);
    }

    @Test
    void anUnparsableValueKeepsTheLastGoodSettingsAndShowsUnconfiguredNamingTheKey() {
        ControllerComponent controller = new ControllerComponent();
        controller.configure(Map.of("agentGracePeriodSeconds", "45"));
        controller.configure(Map.of("agentGracePeriodSeconds", "forty"));

        assertThat(controller.settings().agentGracePeriodSeconds()).isEqualTo(45);
        assertThat(controller.componentStatus().state()).isEqualTo(ComponentState.UNCONFIGURED);
        assertThat(controller.componentStatus().detail()).contains("agentGracePeriodSeconds").contains("forty");
    }

    @Test
    void fixingTheFileMakesTheControllerActiveAgain() {
        ControllerComponent controller = new ControllerComponent();
        controller.configure(Map.of("routerDomain", "Not A Domain!"));
        assertThat(controller.componentStatus().state()).isEqualTo(ComponentState.UNCONFIGURED);

        controller.configure(Map.of("routerDomain", "stratos.local"));
        assertThat(controller.componentStatus().state()).isEqualTo(ComponentState.ACTIVE);
    }

    @Test
    void theLongPollMustBeShorterThanTheGracePeriod() {
        ControllerComponent controller = new ControllerComponent();
        controller.configure(Map.of("agentGracePeriodSeconds", "10", "desiredStateLongPollSeconds", "10"));

        assertThat(controller.componentStatus().detail()).contains("desiredStateLongPollSeconds")
                .contains("less than agentGracePeriodSeconds (10)");
    }
}
