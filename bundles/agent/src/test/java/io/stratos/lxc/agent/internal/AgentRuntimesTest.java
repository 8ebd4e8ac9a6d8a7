package io.stratos.lxc.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.config.ConfigValues;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentRuntimesTest {

    @TempDir
    Path data;

    private AgentRuntimes runtimes(Map<String, ?> properties) {
        ConfigValues values = ConfigValues.of(AgentSettings.PID, properties);
        return new AgentRuntimes(AgentSettings.from(values, "vm-1", data.toString()));
    }

    @Test
    void anUnknownRuntimeIsRefusedWithWhatThisVmOffers() {
        try (AgentRuntimes runtimes = runtimes(Map.of("runtimes", "lxc"))) {
            assertThat(runtimes.runtimes()).containsOnlyKeys("lxc");
            assertThatThrownBy(() -> runtimes.runtime("docker"))
                    .isInstanceOfSatisfying(StratosException.class, e -> {
                        assertThat(e.kind()).isEqualTo(StratosException.Kind.INVALID_INPUT);
                        assertThat(e.field()).isEqualTo("runtime");
                    })
                    .hasMessageContaining("unknown runtime 'docker'").hasMessageContaining("[lxc]");
            assertThatThrownBy(() -> runtimes.runtime("rkt")).hasMessageContaining("unknown runtime 'rkt'");
        }
    }

    @Test
    void onABridgeSmallerThanTheRangeNoProcessGetsAPortThatMapsToAReservedAddress() {
        // 10.213.192.0/20 has 4096 addresses: port 24575 is its broadcast, 24576 its network, 24577 the bridge
        try (AgentRuntimes runtimes = runtimes(Map.of("runtimes", "lxc", "bridgeSubnet", "10.213.192.0/20",
                "portRangeStart", "24574", "portRangeEnd", "24579"))) {
            assertThat(runtimes.ports().allocate("p1")).isEqualTo(24574);
            assertThat(runtimes.ports().allocate("p2")).isEqualTo(24578);
            assertThat(runtimes.ports().allocate("p3")).isEqualTo(24579);
        }
        // on the host network every port is a port
        try (AgentRuntimes runtimes = runtimes(Map.of("runtimes", "lxc", "network", "host", "bridgeSubnet", "10.213.192.0/20",
                "portRangeStart", "24575", "portRangeEnd", "24576"))) {
            assertThat(runtimes.ports().allocate("p1")).isEqualTo(24575);
        }
    }

    @Test
    void anOfferedRuntimeThatCannotRunSaysWhy() {
        try (AgentRuntimes runtimes = runtimes(Map.of("runtimes", "docker", "dockerHost", "unix:///nonexistent/docker.sock"))) {
            assertThatThrownBy(() -> runtimes.runtime("docker"))
                    .isInstanceOfSatisfying(StratosException.class, e -> assertThat(e.kind()).isEqualTo(StratosException.Kind.UNAVAILABLE))
                    .hasMessageContaining("/nonexistent/docker.sock");
            assertThat(runtimes.describe()).contains("docker unavailable");
            assertThat(runtimes.ports().start()).isEqualTo(20000);
        }
    }
}
