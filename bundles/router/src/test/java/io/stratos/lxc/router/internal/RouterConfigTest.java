package io.stratos.lxc.router.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratos.lxc.testsupport.ShippedConfig;
import org.junit.jupiter.api.Test;

/** The metatype of PID {@code io.stratos.lxc.router} and the commented .cfg the distribution ships name the same keys and defaults. */
class RouterConfigTest {

    @Test
    void describesEveryKeyOfTheShippedCfgWithItsDefault() throws Exception {
        assertThat(ShippedConfig.differences(RouterConfig.class, "io.stratos.lxc.router")).isEmpty();
    }
}
