package io.stratos.lxc.iaas.jclouds;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratos.lxc.testsupport.ShippedConfig;
import org.junit.jupiter.api.Test;

/**
 * The metatype of PID {@code io.stratos.lxc.iaas.jclouds} and the commented .cfg the distribution ships name the same keys with the
 * same defaults, so that {@code config:} and the file never disagree.
 * ({@code org.ops4j.pax.web.listening.addresses} in its comments is another PID's key.)
 */
class JcloudsConfigTest {

    @Test
    void describesEveryKeyOfTheShippedCfgWithItsDefault() throws Exception {
        assertThat(ShippedConfig.differences(JcloudsConfig.class, "io.stratos.lxc.iaas.jclouds", "org.ops4j.pax.web.listening.addresses")).isEmpty();
    }
}
