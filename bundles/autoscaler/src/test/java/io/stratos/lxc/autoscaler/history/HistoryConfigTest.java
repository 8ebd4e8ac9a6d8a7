package io.stratos.lxc.autoscaler.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratos.lxc.testsupport.ShippedConfig;
import org.junit.jupiter.api.Test;

/**
 * The metatype of PID {@code io.stratos.lxc.history} and the commented .cfg the distribution ships name the same keys with the
 * same defaults, so that {@code config:} and the file never disagree.
 */
class HistoryConfigTest {

    @Test
    void describesEveryKeyOfTheShippedCfgWithItsDefault() throws Exception {
        assertThat(ShippedConfig.differences(HistoryConfig.class, "io.stratos.lxc.history")).isEmpty();
    }
}
