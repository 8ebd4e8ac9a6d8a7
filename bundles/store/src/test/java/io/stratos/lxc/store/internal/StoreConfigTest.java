package io.stratos.lxc.store.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratos.lxc.testsupport.ShippedConfig;
import org.junit.jupiter.api.Test;

/** The metatype of PID {@code io.stratos.lxc.store} and the commented .cfg the distribution ships name the same keys and defaults. */
class StoreConfigTest {

    @Test
    void describesEveryKeyOfTheShippedCfgWithItsDefault() throws Exception {
        assertThat(ShippedConfig.differences(StoreConfig.class, "io.stratos.lxc.store")).isEmpty();
    }
}
