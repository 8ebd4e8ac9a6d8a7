package io.stratos.lxc.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratos.lxc.agent.runtime.ContainerInfo;
import io.stratos.lxc.agent.runtime.ContainerRuntime;
import io.stratos.lxc.agent.runtime.ContainerSpec;
import io.stratos.lxc.agent.runtime.ContainerState;
import io.stratos.lxc.agent.runtime.ContainerStats;
import io.stratos.lxc.agent.runtime.RuntimeAvailability;
import io.stratos.lxc.agent.status.LogTail;
import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.config.ConfigValues;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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
    void anOfferedRuntimeThatIsNotInstalledSaysSoAndHowToGetItAndAsksForItsFeatureOnce() {
        try (AgentRuntimes runtimes = runtimes(Map.of("runtimes", "lxc,docker"))) {
            List<String> installs = new ArrayList<>();
            runtimes.installWith(installs::add);
            for (int i = 0; i < 2; i++) {
                assertThatThrownBy(() -> runtimes.runtime("docker"))
                        .isInstanceOfSatisfying(StratosException.class, e -> assertThat(e.kind()).isEqualTo(StratosException.Kind.UNAVAILABLE))
                        .hasMessageContaining("the docker runtime is not installed on this VM")
                        .hasMessageContaining("it comes with the agent feature stratos-agent-docker")
                        .hasMessageEndingWith("(installing)");
            }
            assertThat(installs).containsExactly("docker");
            assertThat(runtimes.describe()).contains("docker not installed (feature stratos-agent-docker)");
            AgentSettings settings = AgentSettings.from(ConfigValues.of(AgentSettings.PID, Map.of("runtimes", "lxc,docker")), "vm-1",
                    data.toString());
            assertThat(new AgentStatusView(() -> settings, () -> runtimes, () -> null, () -> "standalone").summary().runtimes())
                    .containsKeys("lxc", "docker")
                    .hasEntrySatisfying("docker", state -> assertThat(state).startsWith("unavailable: the docker runtime is not installed"));

            // a desired docker process fails with that message as its reason, before any image is fetched
            ProcessLauncher.Outcome outcome = runtimes.launcher().launch(
                    new ProcessLauncher.Request("p-docker", "docker", "sha256:" + "0".repeat(64), Map.of(), 100, 64, 0, null));
            assertThat(outcome.running()).isFalse();
            assertThat(outcome.reason()).startsWith("the docker runtime is not installed on this VM");
        }
    }

    @Test
    void theWhiteboardUsesAnOfferedRuntimeServiceUntilItGoesAndIgnoresOneNotOffered() {
        try (AgentRuntimes runtimes = runtimes(Map.of("runtimes", "docker,lxc"))) {
            FakeRuntime docker = new FakeRuntime("docker", List.of());
            FakeRuntime rkt = new FakeRuntime("rkt", List.of());
            assertThat(runtimes.add(docker)).isTrue();
            assertThat(runtimes.add(rkt)).isFalse();
            assertThat(runtimes.runtime("docker")).isSameAs(docker);
            assertThat(runtimes.runtimes()).containsOnlyKeys("docker", "lxc");
            assertThat(runtimes.runtimes().keySet()).containsExactly("docker", "lxc"); // the setting's order of preference

            runtimes.remove(docker);
            assertThatThrownBy(() -> runtimes.runtime("docker")).hasMessageContaining("not installed on this VM");
            assertThatThrownBy(() -> runtimes.runtime("rkt")).hasMessageContaining("unknown runtime 'rkt'");
        }
    }

    @Test
    void aRuntimeThatArrivesAfterTheAgentStartedAdoptsTheContainersAPreviousRunLeft() {
        try (AgentRuntimes runtimes = runtimes(Map.of("runtimes", "lxc,docker", "portRangeStart", "24600", "portRangeEnd", "24610"))) {
            runtimes.adopt();
            ContainerInfo left = new ContainerInfo("p-left", "stratos-p-left", "docker", ContainerState.RUNNING, null, false, 24600,
                    "", "", "");
            FakeRuntime docker = new FakeRuntime("docker", List.of(left));
            runtimes.add(docker);
            assertThat(docker.adopted).isEqualTo(1);
            // its port is held for it: the next process gets another
            assertThat(runtimes.ports().allocate("p-new")).isNotEqualTo(24600);
        }
    }

    /** A runtime service of another bundle, as the whiteboard sees it. */
    private static final class FakeRuntime implements ContainerRuntime {
        private final String name;
        private final List<ContainerInfo> left;
        int adopted;

        FakeRuntime(String name, List<ContainerInfo> left) {
            this.name = name;
            this.left = left;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public RuntimeAvailability available() {
            return RuntimeAvailability.yes("fake");
        }

        @Override
        public ContainerInfo start(ContainerSpec spec) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void stop(String processId) {
        }

        @Override
        public void remove(String processId) {
        }

        @Override
        public List<ContainerInfo> list() {
            return left;
        }

        @Override
        public List<ContainerInfo> adopt() {
            adopted++;
            return left;
        }

        @Override
        public Optional<ContainerInfo> inspect(String processId) {
            return Optional.empty();
        }

        @Override
        public Optional<ContainerStats> stats(String processId) {
            return Optional.empty();
        }

        @Override
        public Optional<LogTail> logTail(String processId, int lines) {
            return Optional.empty();
        }
    }
}
