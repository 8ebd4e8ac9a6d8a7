package io.stratos.lxc.iaas.jclouds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.config.ConfigValues;
import io.stratos.lxc.api.controller.Resources;
import io.stratos.lxc.api.iaas.VmRef;
import io.stratos.lxc.api.iaas.VmSpec;
import io.stratos.lxc.api.status.ComponentState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The adapter against jclouds' in-memory "stub" compute provider: create, find again, destroy. */
class JcloudsCloudStubTest {

    @TempDir
    Path dir;

    private Map<String, Object> config() throws Exception {
        Path template = Files.writeString(dir.resolve("cloud-init.sh"),
                "#!/bin/sh\nSTRATOS_AGENT_JOIN_TOKEN='${joinToken}'\nVM='${vmId}'\nURL='${agentDistributionUrl}'\n");
        Map<String, Object> config = new HashMap<>();
        config.put("provider", "stub");
        config.put("identity", "id");
        config.put("credential", "secret");
        config.put("imageId", "1");
        config.put("group", "stratos-vm");
        config.put("agentDistributionUrl", "https://example.org/stratos-lxc-agent.tar.gz");
        config.put("userDataTemplate", template.toString());
        return config;
    }

    private static VmSpec spec(String vmId) {
        return new VmSpec(vmId, "web", new Resources(1000, 512), Map.of(), "http://10.0.0.5:8181/stratos", "token-" + vmId);
    }

    @Test
    void onlyDockerVmsOnTheHostNetworkMayReportALoopbackAddress() throws Exception {
        JcloudsIaasAdapter cloud = new JcloudsIaasAdapter();
        cloud.configure(config());
        JcloudsIaasAdapter dockerOnHost = new JcloudsIaasAdapter();
        Map<String, Object> docker = config();
        docker.put("provider", "docker");
        docker.put("networkMode", "host");
        docker.put("endpoint", "http://127.0.0.1:2375");
        dockerOnHost.configure(docker);
        try {
            assertThat(cloud.vmsShareHostLoopback()).isFalse();
            assertThat(dockerOnHost.vmsShareHostLoopback()).isTrue();
        } finally {
            cloud.deactivate();
            dockerOnHost.deactivate();
        }
    }

    @Test
    void createsFindsAgainAndDestroysNodesNamedAfterTheirVm() throws Exception {
        JcloudsIaasAdapter adapter = new JcloudsIaasAdapter();
        adapter.configure(config());
        try {
            assertThat(adapter.componentStatus().state()).as(adapter.componentStatus().detail()).isEqualTo(ComponentState.ACTIVE);

            VmRef ref = adapter.createVm(spec("web-ab12"));
            assertThat(ref.vmId()).isEqualTo("web-ab12");
            assertThat(adapter.listVms()).containsExactly(ref);

            // asked again (a controller that crashed before storing the ref): the same node, not a second one
            assertThat(adapter.createVm(spec("web-ab12"))).isEqualTo(ref);
            VmRef other = adapter.createVm(spec("web-cd34"));
            assertThat(adapter.listVms()).containsExactlyInAnyOrder(ref, other);

            adapter.destroyVm(ref);
            assertThat(adapter.listVms()).containsExactly(other);
            adapter.destroyVm(new VmRef("web-cd34", null));
            assertThat(adapter.listVms()).isEmpty();
            // a node that is already gone (destroyed in the console): nothing to do, no error
            adapter.destroyVm(ref);
        } finally {
            adapter.deactivate();
        }
    }

    @Test
    void theCloudInitScriptCarriesTheVmsValues() throws Exception {
        JcloudsSettings settings = JcloudsSettings.from(ConfigValues.of(JcloudsSettings.PID, config()));
        try (JcloudsCloud cloud = JcloudsCloud.connect(settings)) {
            VmRef ref = cloud.create(spec("web-ef56"));
            assertThat(cloud.vms()).contains(ref);
            cloud.destroy(ref);
            assertThat(cloud.vms()).doesNotContain(ref);
        }
    }

    @Test
    void aProviderThatIsNotInstalledIsUnconfiguredAndCreateFailsUnavailable() throws Exception {
        Map<String, Object> config = config();
        config.put("provider", "no-such-cloud");
        JcloudsIaasAdapter adapter = new JcloudsIaasAdapter();
        adapter.configure(config);

        assertThat(adapter.componentStatus().state()).isEqualTo(ComponentState.UNCONFIGURED);
        assertThat(adapter.componentStatus().detail()).contains("key 'provider'").contains("feature:install");
        assertThatThrownBy(() -> adapter.createVm(spec("web-1"))).isInstanceOf(StratosException.class)
                .satisfies(e -> assertThat(((StratosException) e).kind()).isEqualTo(StratosException.Kind.UNAVAILABLE));
        adapter.deactivate();
    }

    @Test
    void aFailedCreateIsNotRetriedAgainstTheCloudAtOnce() throws Exception {
        Map<String, Object> config = config();
        config.put("imageId", "no-such-image");
        JcloudsIaasAdapter adapter = new JcloudsIaasAdapter();
        adapter.configure(config);
        try {
            assertThatThrownBy(() -> adapter.createVm(spec("web-1"))).isInstanceOf(StratosException.class)
                    .hasMessageContaining("web-1");
            assertThat(adapter.componentStatus().state()).isEqualTo(ComponentState.DEGRADED);
            assertThatThrownBy(() -> adapter.createVm(spec("web-1"))).hasMessageContaining("next attempt in");
        } finally {
            adapter.deactivate();
        }
    }

    @Test
    void noConfigurationAtAllStillRegistersAndSaysWhichKeyIsMissing() {
        JcloudsIaasAdapter adapter = new JcloudsIaasAdapter();
        adapter.configure(Map.of());

        assertThat(adapter.componentStatus().state()).isEqualTo(ComponentState.UNCONFIGURED);
        assertThat(adapter.componentStatus().detail()).contains("key 'provider'");
        assertThatThrownBy(() -> adapter.createVm(spec("web-1"))).hasMessageContaining("not configured");
        assertThat(List.of(adapter.id())).containsExactly("jclouds");
    }
}
