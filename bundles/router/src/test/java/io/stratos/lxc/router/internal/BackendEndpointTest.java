package io.stratos.lxc.router.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class BackendEndpointTest {

    @Test
    void anEndpointIsAnAddressAndAPortWithIpv6InBrackets() {
        assertThat(Backend.at("p1", "10.214.0.2:20001").base()).hasToString("http://10.214.0.2:20001");
        assertThat(Backend.at("p1", "[fd00::2]:20001").base()).hasToString("http://[fd00::2]:20001");
        assertThat(Backend.at("p1", "10.214.0.2:20001").key()).isEqualTo("p1@10.214.0.2:20001");
    }

    @Test
    void aMissingOrMalformedEndpointIsNoBackend() {
        assertThat(Backend.at("p1", null)).isNull();
        assertThat(Backend.at("p1", "10.214.0.2")).isNull();
        assertThat(Backend.at("p1", "10.214.0.2:")).isNull();
        assertThat(Backend.at("p1", ":80")).isNull();
        assertThat(Backend.at("p1", "10.214.0.2:0")).isNull();
        assertThat(Backend.at("p1", "10.214.0.2:70000")).isNull();
        assertThat(Backend.at("p1", "10.214.0.2:http")).isNull();
    }
}
