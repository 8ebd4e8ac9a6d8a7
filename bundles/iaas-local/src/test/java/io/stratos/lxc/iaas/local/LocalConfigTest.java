package io.stratos.lxc.iaas.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratos.lxc.testsupport.ShippedConfig;
import org.junit.jupiter.api.Test;

/**
 * The metatype of PID {@code io.stratos.lxc.iaas.local} and the commented .cfg the distribution ships name the same keys with the
 * same defaults, so that {@code config:} and the file never disagree.
 */
class LocalConfigTest {

    @Test
    void describesEveryKeyOfTheShippedCfgWithItsDefault() throws Exception {
        assertThat(ShippedConfig.differences(LocalConfig.class, "io.stratos.lxc.iaas.local")).isEmpty();
    }
}
