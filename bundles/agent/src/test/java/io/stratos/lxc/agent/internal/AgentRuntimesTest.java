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
