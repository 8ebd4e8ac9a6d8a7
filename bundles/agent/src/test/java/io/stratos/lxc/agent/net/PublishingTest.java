package io.stratos.lxc.agent.net;

import io.stratos.lxc.api.net.Cidr;
import io.stratos.lxc.api.net.IpLiteral;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class PublishingTest {

    @Test
    void byDefaultTheAddressIsTheOneOnTheRouteToTheController() {
        Publishing publishing = Publishing.of("", List.of(), "http://127.0.0.1:8181/stratos");

        assertThat(publishing.chosen()).isTrue();
        assertThat(publishing.address()).isEqualTo(InetAddress.getLoopbackAddress());
        assertThat(publishing.check()).isNull();
        assertThat(publishing.problem()).isNull();
        assertThat(publishing.endpoint(20001)).isEqualTo("127.0.0.1:20001");
    }

    @Test
    void byDefaultTheControllerAndThisVmAreTheAllowedSources() {
        Publishing publishing = Publishing.of("127.0.0.2", List.of(), "http://127.0.0.9:8181/stratos");
        SourceFilter filter = publishing.filter();

        assertThat(filter.allows(IpLiteral.require("127.0.0.9"))).isTrue(); // the controller
        assertThat(filter.allows(IpLiteral.require("127.0.0.2"))).isTrue(); // the agent's health checks
        assertThat(filter.allows(IpLiteral.require("10.240.0.9"))).isFalse();

        // the routers the controller names at registration
        publishing.controllerAllows(List.of("10.240.0.0/29", "not-an-address"));
        assertThat(filter.allows(IpLiteral.require("10.240.0.7"))).isTrue();
        assertThat(filter.allows(IpLiteral.require("10.240.0.9"))).isFalse();
        assertThat(filter.allows(IpLiteral.require("127.0.0.9"))).isTrue();
    }

    @Test
    void configuredSourcesReplaceTheControllersButNeverLockOutTheVmItself() {
        Publishing publishing = Publishing.of("127.0.0.2", List.of("10.0.8.0/24"), "http://127.0.0.9:8181/stratos");
        publishing.controllerAllows(List.of("10.240.0.0/29"));
        SourceFilter filter = publishing.filter();

        assertThat(filter.allows(IpLiteral.require("10.0.8.200"))).isTrue();
        assertThat(filter.allows(IpLiteral.require("127.0.0.2"))).isTrue();
        assertThat(filter.allows(IpLiteral.require("10.240.0.7"))).isFalse();
    }

    @Test
    void anAddressThisVmDoesNotHaveIsAProblemThatSaysHowToFixIt() {
        // TEST-NET-1 (RFC 5737): on no interface here; binding it sends nothing
        Publishing publishing = Publishing.of("192.0.2.10", List.of(), "http://127.0.0.1:8181/stratos");

        assertThat(publishing.chosen()).isFalse();
        assertThat(publishing.check()).contains("192.0.2.10", "cannot be bound", "STRATOS_AGENT_PUBLISH_ADDRESS");
        assertThat(publishing.problem()).contains("192.0.2.10");
    }

    @Test
    void aControllerWithoutARouteLeavesTheAgentOnLoopbackWithAProblem() {
        Publishing publishing = Publishing.of("", List.of(), "http://controller.invalid:8181/stratos");

        assertThat(publishing.address()).isEqualTo(InetAddress.getLoopbackAddress());
        assertThat(publishing.problem()).contains("controller.invalid:8181", "STRATOS_AGENT_PUBLISH_ADDRESS");
    }

    @Test
    void ipv6EndpointsAreBracketed() {
        Publishing publishing = Publishing.of("::1", List.of(), "http://127.0.0.1:8181/stratos");
        assertThat(publishing.addressText()).isEqualTo("::1");
        assertThat(publishing.endpoint(20001)).isEqualTo("[::1]:20001");
    }
}
