package io.stratos.lxc.iaas.jclouds;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratos.lxc.config.ConfigValues;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JcloudsSettingsTest {

    @Test
    void missingProviderIsAProblemNamingTheKey() {
        ConfigValues values = ConfigValues.of(JcloudsSettings.PID, Map.of());
        JcloudsSettings.from(values);

        assertThat(values.valid()).isFalse();
        assertThat(values.describeProblems()).contains("key 'provider'");
    }

    @Test
    void cloudProvidersNeedCredentialsAndAnAgentDistributionUrl() {
        ConfigValues values = ConfigValues.of(JcloudsSettings.PID, Map.of("provider", "aws-ec2", "userDataTemplate", "/nonexistent/x.sh"));
        JcloudsSettings.from(values);

        assertThat(values.describeProblems()).contains("key 'identity'").contains("key 'credential'")
                .contains("key 'agentDistributionUrl'").contains("key 'userDataTemplate'");
    }

    @Test
    void dockerNeedsOnlyAnEndpointAndDefaultsToTheHostNetworkWithTheSocketMounted() {
        ConfigValues values = ConfigValues.of(JcloudsSettings.PID, Map.of("provider", "docker", "endpoint", "http://127.0.0.1:2375",
                "imageId", "stratos/jclouds-vm:1"));
        JcloudsSettings settings = JcloudsSettings.from(values);

        assertThat(values.valid()).as(values.describeProblems()).isTrue();
        assertThat(settings.networkMode()).isEqualTo("host");
        assertThat(settings.volumes()).containsEntry("/var/run/docker.sock", "/var/run/docker.sock")
                .containsValue(JcloudsSettings.DEFAULT_AGENT_TARBALL);
        assertThat(settings.agentEnvironment()).containsEntry("STRATOS_AGENT_RUNTIMES", "docker");
    }

    @Test
    void dockerWithoutEndpointIsUnconfigured() {
        ConfigValues values = ConfigValues.of(JcloudsSettings.PID, Map.of("provider", "docker"));
        JcloudsSettings.from(values);

        assertThat(values.describeProblems()).contains("key 'endpoint'");
    }

    @Test
    void badValuesNameTheirKeys() {
        ConfigValues values = ConfigValues.of(JcloudsSettings.PID, Map.of("provider", "docker", "endpoint", "127.0.0.1:2375",
                "group", "Stratos_VMs", "volumes", "relative:/x", "minCores", "many", "agentEnvironment", "no-equals"));
        JcloudsSettings.from(values);

        assertThat(values.describeProblems()).contains("key 'endpoint'").contains("key 'group'").contains("key 'volumes'")
                .contains("key 'minCores'").contains("key 'agentEnvironment'");
    }

    @Test
    void theCredentialIsNeverShown() {
        ConfigValues values = ConfigValues.of(JcloudsSettings.PID, Map.of("provider", "aws-ec2", "identity", "AKIAEXAMPLE",
                "credential", "s3cr3t-value", "agentDistributionUrl", "https://example.org/agent.tar.gz"));
        JcloudsSettings settings = JcloudsSettings.from(values);

        assertThat(settings.toString()).doesNotContain("s3cr3t-value").contains("credential=(set)");
    }

    @Test
    void jcloudsKeysArePassedThrough() {
        Map<String, Object> properties = Map.of("provider", "openstack-nova", "jclouds.keystone.version", "3", "other", "x");
        JcloudsSettings settings = JcloudsSettings.from(ConfigValues.of(JcloudsSettings.PID, properties), properties);

        assertThat(settings.overrides()).containsExactly(Map.entry("jclouds.keystone.version", "3"));
    }

    @Test
    void anLxcAgentsDefaultCommandFirstMakesCgroupsAndSysfsWritableAndIsValidShell() throws Exception {
        ConfigValues values = ConfigValues.of(JcloudsSettings.PID, Map.of("provider", "docker", "endpoint", "http://127.0.0.1:2375",
                "networkMode", "stratos-vmnet", "agentEnvironment", "STRATOS_AGENT_RUNTIMES=lxc"));
        JcloudsSettings settings = JcloudsSettings.from(values);

        assertThat(values.valid()).as(values.describeProblems()).isTrue();
        assertThat(settings.networkMode()).isEqualTo("stratos-vmnet");
        assertThat(settings.dockerCommand()).startsWith(JcloudsSettings.LXC_PREPARATION).endsWith("exec /opt/stratos/agent/bin/karaf server");
        assertThat(JcloudsSettings.from(ConfigValues.of(JcloudsSettings.PID, Map.of("provider", "docker"))).dockerCommand())
                .doesNotContain("cgroup");
        Process syntax = new ProcessBuilder("sh", "-n", "-c", settings.dockerCommand()).redirectErrorStream(true).start();
        String output = new String(syntax.getInputStream().readAllBytes());
        assertThat(syntax.waitFor()).as(output).isZero();
    }

    @Test
    void badCapabilitiesAndSecurityOptionsNameTheirKeys() {
        ConfigValues values = ConfigValues.of(JcloudsSettings.PID, Map.of("provider", "docker", "endpoint", "http://127.0.0.1:2375",
                "capAdd", "sys admin", "capDrop", "x;y", "securityOpt", "unconfined", "privileged", "maybe"));
        JcloudsSettings.from(values);

        assertThat(values.describeProblems()).contains("key 'capAdd'").contains("key 'capDrop'").contains("key 'securityOpt'")
                .contains("key 'privileged'");
    }
}
