package io.stratos.lxc.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratos.lxc.agent.docker.DockerRuntime;
import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.config.ConfigValues;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent with the Docker runtime of this bundle on its whiteboard. */
class AgentRuntimesDockerTest {

    @TempDir
    Path data;

    private AgentRuntimes runtimes(Map<String, ?> properties) {
        ConfigValues values = ConfigValues.of(AgentSettings.PID, properties);
        return new AgentRuntimes(AgentSettings.from(values, "vm-1", data.toString()));
    }

    @Test
    void anOfferedRuntimeThatCannotRunSaysWhy() {
        try (AgentRuntimes runtimes = runtimes(Map.of("runtimes", "docker", "dockerHost", "unix:///nonexistent/docker.sock"))) {
            runtimes.add(DockerRuntime.on(runtimes));
            assertThatThrownBy(() -> runtimes.runtime("docker"))
                    .isInstanceOfSatisfying(StratosException.class, e -> assertThat(e.kind()).isEqualTo(StratosException.Kind.UNAVAILABLE))
                    .hasMessageContaining("/nonexistent/docker.sock");
            assertThat(runtimes.describe()).contains("docker unavailable");
            assertThat(runtimes.ports().start()).isEqualTo(20000);
        }
    }
}
