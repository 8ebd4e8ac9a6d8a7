package io.stratos.lxc.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratos.lxc.config.ConfigValues;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentSettingsTest {

    private static AgentSettings read(Map<String, ?> properties, Map<String, String> env, ConfigValues[] out) {
        ConfigValues values = ConfigValues.of(AgentSettings.PID, AgentSettings.merge(properties, env));
        out[0] = values;
        return AgentSettings.from(values, "host-1", "/var/lib/stratos");
    }

    @Test
    void environmentVariablesOverrideTheConfigurationFile() {
        ConfigValues[] values = new ConfigValues[1];
        AgentSettings settings = read(Map.of("vmId", "from-file", "cpuMillis", "2000"),
                Map.of("STRATOS_AGENT_VM_ID", "vm-42", "STRATOS_AGENT_JOIN_TOKEN", "s3cret",
                        "STRATOS_AGENT_PORT_RANGE_START", "31000", "STRATOS_AGENT_PORT_RANGE_END", "31099"), values);

        assertThat(values[0].valid()).isTrue();
        assertThat(settings.vmId()).isEqualTo("vm-42");
        assertThat(settings.joinToken()).isEqualTo("s3cret");
        assertThat(settings.cpuMillis()).isEqualTo(2000);
        assertThat(settings.portRangeStart()).isEqualTo(31000);
        assertThat(settings.portRangeEnd()).isEqualTo(31099);
    }

    @Test
    void defaultsNeedNoConfigurationAtAll() {
        ConfigValues[] values = new ConfigValues[1];
        AgentSettings settings = read(Map.of(), Map.of(), values);

        assertThat(values[0].valid()).isTrue();
        assertThat(settings.vmId()).isEqualTo("host-1");
        assertThat(settings.dataDir()).isEqualTo("/var/lib/stratos");
        assertThat(settings.runtimes()).containsExactly("lxc", "docker");
        assertThat(settings.network()).isEqualTo("bridge");
        assertThat(settings.bridge()).isEqualTo("stratosbr0");
        assertThat(settings.bridgeSubnet()).isEqualTo("10.213.0.0/16");
        // unprivileged containers wherever the host can run them
        assertThat(settings.unprivileged()).isEqualTo(io.stratos.lxc.agent.internal.lxc.LxcRuntime.userNamespacesAvailable());
        assertThat(settings.imageCacheMiB()).isEqualTo(10240);
        assertThat(settings.dockerHost()).isEqualTo("unix:///var/run/docker.sock");
    }

    @Test
    void runtimeSettingsAreCheckedAndNamed() {
        ConfigValues[] values = new ConfigValues[1];
        AgentSettings settings = read(Map.of("network", "overlay", "bridge", "a-name-far-too-long", "bridgeSubnet", "10.213.0.0/33",
                "dockerHost", "http://x", "imageCacheMiB", "0"), Map.of("STRATOS_AGENT_UNPRIVILEGED", "true"), values);

        assertThat(values[0].problems()).extracting(p -> p.key())
                .containsExactlyInAnyOrder("network", "bridge", "bridgeSubnet", "dockerHost", "imageCacheMiB");
        assertThat(settings.network()).isEqualTo("bridge");
        assertThat(settings.bridgeSubnet()).isEqualTo("10.213.0.0/16");
        assertThat(settings.unprivileged()).isTrue();
    }

    @Test
    void badValuesAreNamedAndTheJoinTokenIsNeverPrinted() {
        ConfigValues[] values = new ConfigValues[1];
        AgentSettings settings = read(Map.of("runtimes", "lxc,rkt", "portRangeStart", "30000", "portRangeEnd", "29000",
                "joinToken", "do-not-print"), Map.of(), values);

        assertThat(values[0].problems()).extracting(p -> p.key()).containsExactly("portRangeEnd", "runtimes");
        assertThat(settings.runtimes()).isEqualTo(List.of("lxc", "docker"));
        assertThat(settings.toString()).doesNotContain("do-not-print").contains("joinToken=(set)");
    }

    @Test
    void envNamesAreUpperSnakeCase() {
        assertThat(AgentSettings.envName("controllerUrl")).isEqualTo("STRATOS_AGENT_CONTROLLER_URL");
        assertThat(AgentSettings.envName("memoryMiB")).isEqualTo("STRATOS_AGENT_MEMORY_MIB");
        assertThat(AgentSettings.envName("publishAddress")).isEqualTo("STRATOS_AGENT_PUBLISH_ADDRESS");
        assertThat(AgentSettings.envName("allowedSources")).isEqualTo("STRATOS_AGENT_ALLOWED_SOURCES");
    }

    @Test
    void publishAddressAndAllowedSourcesComeFromTheEnvironmentOfALocalVm() {
        ConfigValues[] values = new ConfigValues[1];
        AgentSettings settings = read(Map.of("publishAddress", "127.0.0.1"),
                Map.of("STRATOS_AGENT_PUBLISH_ADDRESS", "10.240.0.5", "STRATOS_AGENT_ALLOWED_SOURCES", " 10.240.0.1, 10.0.8.0/24 ,fd00::/8"),
                values);

        assertThat(values[0].valid()).as(values[0].describeProblems()).isTrue();
        assertThat(settings.publishAddress()).isEqualTo("10.240.0.5");
        assertThat(settings.allowedSources()).containsExactly("10.240.0.1", "10.0.8.0/24", "fd00::/8");
        assertThat(settings.toString()).contains("publishAddress=10.240.0.5");
    }

    @Test
    void byDefaultThePublishAddressIsChosenAndTheControllerIsTheSource() {
        ConfigValues[] values = new ConfigValues[1];
        AgentSettings settings = read(Map.of(), Map.of(), values);

        assertThat(settings.publishAddress()).isEmpty();
        assertThat(settings.allowedSources()).isEmpty();
        assertThat(settings.toString()).contains("publishAddress=(route to the controller)", "allowedSources=(the controller's)");
        // an IPv6 literal is kept in its short form
        assertThat(read(Map.of("publishAddress", "fd00:0:0:0:0:0:0:5"), Map.of(), values).publishAddress()).isEqualTo("fd00::5");
    }

    @Test
    void aPublishAddressMustBeAUnicastIpLiteral() {
        for (String bad : List.of("vm-1.example", "0.0.0.0", "::", "224.0.0.251", "ff02::1", "10.240.0", "10.240.0.5:20000")) {
            ConfigValues[] values = new ConfigValues[1];
            AgentSettings settings = read(Map.of(), Map.of("STRATOS_AGENT_PUBLISH_ADDRESS", bad), values);

            assertThat(values[0].problems()).as(bad).extracting(p -> p.key()).containsExactly("publishAddress");
            assertThat(values[0].describeProblems()).contains(bad, "unicast");
            assertThat(settings.publishAddress()).isEmpty();
        }
    }

    @Test
    void allowedSourcesMustBeAddressesOrRanges() {
        ConfigValues[] values = new ConfigValues[1];
        AgentSettings settings = read(Map.of("allowedSources", "10.240.0.1,routers.example,10.0.0.0/40"), Map.of(), values);

        assertThat(values[0].problems()).extracting(p -> p.key()).containsExactly("allowedSources");
        assertThat(values[0].describeProblems()).contains("routers.example", "CIDR");
        assertThat(settings.allowedSources()).isEmpty();
    }
}
