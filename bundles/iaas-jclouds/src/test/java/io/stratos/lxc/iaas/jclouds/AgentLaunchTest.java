package io.stratos.lxc.iaas.jclouds;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratos.lxc.config.ConfigValues;
import io.stratos.lxc.api.controller.Resources;
import io.stratos.lxc.api.iaas.VmSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentLaunchTest {

    private final JcloudsSettings settings = JcloudsSettings.from(ConfigValues.of(JcloudsSettings.PID, Map.of(
            "provider", "docker", "endpoint", "http://127.0.0.1:2375", "portsPerVm", "100",
            "agentEnvironment", "STRATOS_AGENT_RUNTIMES=docker, STRATOS_AGENT_NETWORK=host")));
    private final VmSpec spec = new VmSpec("web-ab12", "web", new Resources(2000, 1024), Map.of(),
            "http://10.0.0.5:8181/stratos", "0123456789abcdef");

    @Test
    void theEnvironmentCarriesWhatTheLocalAdapterGivesItsAgents() {
        List<String> env = AgentLaunch.environment(AgentLaunch.values(spec, settings, 42000), settings);

        assertThat(env).contains("STRATOS_AGENT_CONTROLLER_URL=http://10.0.0.5:8181/stratos",
                "STRATOS_AGENT_JOIN_TOKEN=0123456789abcdef", "STRATOS_AGENT_VM_ID=web-ab12", "STRATOS_AGENT_PARTITION=web",
                "STRATOS_AGENT_CPU_MILLIS=2000", "STRATOS_AGENT_MEMORY_MIB=1024", "STRATOS_AGENT_PORT_RANGE_START=42000",
                "STRATOS_AGENT_PORT_RANGE_END=42099", "STRATOS_AGENT_RUNTIMES=docker", "STRATOS_AGENT_NETWORK=host");
    }

    @Test
    void renderReplacesKnownPlaceholdersOnlyAndEscapesSingleQuotes() {
        Map<String, String> values = Map.of("joinToken", "it's", "vmId", "web-ab12");
        String rendered = AgentLaunch.render("T='${joinToken}' V='${vmId}' HOME=${HOME} X=${unknown}", values);

        assertThat(rendered).isEqualTo("T='it'\\''s' V='web-ab12' HOME=${HOME} X=${unknown}");
    }

    @Test
    void theShippedCloudInitScriptUsesEveryValueAndQuotesThem() throws Exception {
        Path script = Path.of("../../features/src/main/cfg/stratos-cloud-init.sh");
        String text = Files.readString(script);
        for (String name : List.of("controllerUrl", "joinToken", "vmId", "partition", "cpuMillis", "memoryMiB", "agentDistributionUrl")) {
            assertThat(text).as(name).contains("'${" + name + "}'");
        }
        String rendered = AgentLaunch.render(text, AgentLaunch.values(spec, settings, 20000));
        assertThat(rendered).contains("STRATOS_AGENT_JOIN_TOKEN='0123456789abcdef'").doesNotContain("${joinToken}");
        Process bash = new ProcessBuilder("bash", "-n").redirectErrorStream(true).start();
        bash.getOutputStream().write(rendered.getBytes());
        bash.getOutputStream().close();
        String output = new String(bash.getInputStream().readAllBytes());
        assertThat(bash.waitFor()).as(output).isZero();
    }
}
