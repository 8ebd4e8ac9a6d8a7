package io.stratos.lxc.iaas.jclouds;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratos.lxc.config.ConfigValues;
import java.util.List;
import java.util.Map;
import org.jclouds.docker.domain.Config;
import org.junit.jupiter.api.Test;

class DockerVmsTest {

    private static JcloudsSettings settings(Map<String, String> extra) {
        Map<String, String> map = new java.util.HashMap<>(Map.of("provider", "docker", "endpoint", "http://127.0.0.1:2375",
                "imageId", "stratos/jclouds-vm:1"));
        map.putAll(extra);
        ConfigValues values = ConfigValues.of(JcloudsSettings.PID, map);
        JcloudsSettings settings = JcloudsSettings.from(values);
        assertThat(values.valid()).as(values.describeProblems()).isTrue();
        return settings;
    }

    @Test
    void aHostNetworkVmNeedsNoContainerConfigOfItsOwn() {
        assertThat(DockerVms.needsContainerConfig(settings(Map.of()))).isFalse();
    }

    @Test
    void aPrivilegedLxcVmOnADockerNetworkGetsItsCapabilitiesNetworkAndMountsInItsContainerConfig() {
        JcloudsSettings settings = settings(Map.of("networkMode", "stratos-vmnet", "capAdd", "ALL", "capDrop", "SYS_RESOURCE",
                "securityOpt", "seccomp=unconfined, apparmor=unconfined", "volumes", "/opt/agent.tar.gz:/opt/stratos/stratos-lxc-agent.tar.gz",
                "agentEnvironment", "STRATOS_AGENT_RUNTIMES=lxc"));
        assertThat(DockerVms.needsContainerConfig(settings)).isTrue();

        Config config = DockerVms.containerConfig(settings, List.of("STRATOS_AGENT_VM_ID=vm-1")).image("sha256:abc").build();

        assertThat(config.env()).containsExactly("STRATOS_AGENT_VM_ID=vm-1");
        assertThat(config.cmd()).containsExactly("/bin/sh", "-c", settings.dockerCommand());
        assertThat(config.hostConfig().networkMode()).isEqualTo("stratos-vmnet");
        assertThat(config.hostConfig().privileged()).isFalse();
        assertThat(config.hostConfig().capAdd()).containsExactly("ALL");
        assertThat(config.hostConfig().capDrop()).containsExactly("SYS_RESOURCE");
        assertThat(config.hostConfig().securityOpt()).containsExactly("seccomp=unconfined", "apparmor=unconfined");
        assertThat(config.hostConfig().binds()).containsExactly("/opt/agent.tar.gz:/opt/stratos/stratos-lxc-agent.tar.gz");
    }

    @Test
    void privilegedAloneAlsoTakesTheContainerConfig() {
        JcloudsSettings settings = settings(Map.of("privileged", "true", "networkMode", "stratos-vmnet"));
        assertThat(DockerVms.needsContainerConfig(settings)).isTrue();
        assertThat(DockerVms.containerConfig(settings, List.of()).image("sha256:abc").build().hostConfig().privileged()).isTrue();
    }
}
