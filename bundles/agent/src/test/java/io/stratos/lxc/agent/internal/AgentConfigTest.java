package io.stratos.lxc.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratos.lxc.testsupport.ShippedConfig;
import org.junit.jupiter.api.Test;

/** The metatype of PID {@code io.stratos.lxc.agent} and the commented .cfg the distributions ship name the same keys and defaults. */
class AgentConfigTest {

    @Test
    void describesEveryKeyOfTheShippedCfgWithItsDefault() throws Exception {
        assertThat(ShippedConfig.differences(AgentConfig.class, AgentSettings.PID)).isEmpty();
    }

    @Test
    void describesEveryKeyTheAgentReads() {
        assertThat(ShippedConfig.attributes(AgentConfig.class)).containsOnlyKeys(AgentSettings.KEYS);
    }
}
