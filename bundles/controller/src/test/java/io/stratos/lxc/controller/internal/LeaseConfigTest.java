package io.stratos.lxc.controller.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratos.lxc.testsupport.ShippedConfig;
import org.junit.jupiter.api.Test;

/** The metatype of PID {@code io.stratos.lxc.ha} and the commented .cfg the distribution ships name the same keys and defaults. */
class LeaseConfigTest {

    @Test
    void describesEveryKeyOfTheShippedCfgWithItsDefault() throws Exception {
        assertThat(ShippedConfig.differences(LeaseConfig.class, "io.stratos.lxc.ha")).isEmpty();
    }
}
