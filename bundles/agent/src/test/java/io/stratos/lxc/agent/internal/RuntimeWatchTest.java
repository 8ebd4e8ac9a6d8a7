package io.stratos.lxc.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratos.lxc.api.agent.DesiredProcess;
import io.stratos.lxc.api.agent.DesiredState;
import io.stratos.lxc.api.controller.ProcessState;
import io.stratos.lxc.config.ConfigValues;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A desired process whose runtime is offered but not installed on this VM (no stratos-agent-docker bundle). */
class RuntimeWatchTest {

    @TempDir
    Path data;

    @Test
    void aProcessOfAnOfferedRuntimeThatIsNotInstalledWaitsSayingSoAndItsFeatureIsInstalledOnce() {
        ConfigValues values = ConfigValues.of(AgentSettings.PID, Map.of("runtimes", "docker", "portRangeStart", "24620",
                "portRangeEnd", "24630"));
        List<String> installs = new CopyOnWriteArrayList<>();
        try (AgentRuntimes runtimes = new AgentRuntimes(AgentSettings.from(values, "vm-1", data.toString()));
             Reconciler reconciler = new Reconciler(runtimes, System::currentTimeMillis)) {
            runtimes.installWith(installs::add);
            // an idle VM that offers docker installs nothing
            assertThat(new RuntimeWatch(runtimes).survey().get("docker").available()).isFalse();
            assertThat(installs).isEmpty();

            reconciler.apply(new DesiredState(1, List.of(new DesiredProcess("p-docker", "hello", "static-httpd", "1.0.0",
                    "sha256:x", "docker", 100, 64, Map.of()))));
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Reconciler.Observed seen = reconciler.observed().get(0);
                assertThat(seen.state()).isEqualTo(ProcessState.FAILED);
                assertThat(seen.reason()).isEqualTo("waiting for runtime docker: the docker runtime is not installed on this VM: "
                        + "it comes with the agent feature stratos-agent-docker, which the agent installs from its own repository "
                        + "when a docker process is wanted (installing)");
                assertThat(seen.restarts()).isZero();
            });
            runtimes.installFailed("docker", "feature stratos-agent-docker not found");
            Awaitility.await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(reconciler.observed().get(0).reason())
                    .contains("installing it failed: feature stratos-agent-docker not found"));
            assertThat(installs).containsExactly("docker");
        }
    }
}
