package io.stratos.lxc.iaas.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import io.stratos.lxc.api.controller.Resources;
import io.stratos.lxc.api.iaas.VmSpec;
import io.stratos.lxc.api.net.Cidr;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LocalVmsTest {

    @TempDir
    Path dir;

    private static Properties read(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            properties.load(in);
        }
        return properties;
    }

    @Test
    void eachVmGetsAShellUserWithItsOwnPasswordInAFileOnlyRootReads() throws IOException {
        Path first = dir.resolve("users-1.properties");
        Path second = Files.writeString(dir.resolve("users-2.properties"), "karaf = karaf,_g_:admingroup\n");
        LocalVms.writeShellUser(first);
        LocalVms.writeShellUser(second);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(first))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(second))).isEqualTo("rw-------");
        String one = read(first).getProperty("karaf");
        String two = read(second).getProperty("karaf");
        assertThat(one).matches("[A-Za-z0-9_-]{24},_g_:admingroup");
        assertThat(two).isNotEqualTo(one).doesNotStartWith("karaf,");
        // Karaf's group line: the escaped colon survives Properties parsing as "_g_:admingroup"
        assertThat(read(first).getProperty("_g_:admingroup")).contains("ssh", "admin");
    }

    @Test
    void theVmListShowsTheAgentPidAndItsShellAddress() {
        assertThat(LocalVms.adapterRef(4242, "127.0.0.1", 20099)).isEqualTo("pid:4242 ssh:127.0.0.1:20099");
        assertThat(LocalVms.adapterRef(4242, "10.214.0.2", 20099)).isEqualTo("pid:4242 ssh:10.214.0.2:20099");
        assertThat(LocalVms.adapterRef(4242, "127.0.0.1", 0)).isEqualTo("pid:4242");
    }

    @Test
    void aNewJoinTokenIsHandedToTheVmsAgentDataInAFileOnlyRootReads() throws IOException {
        LocalVms vms = new LocalVms(LocalSettings.from(io.stratos.lxc.config.ConfigValues.of("test",
                java.util.Map.of("vmsDirectory", dir.toString()))), false, Commands.SYSTEM);
        assertThat(vms.handOverJoinToken(new io.stratos.lxc.api.iaas.VmRef("web-1", "pid:1"), "new-token")).isFalse();
        Files.createDirectories(dir.resolve("web-1"));

        assertThat(vms.handOverJoinToken(new io.stratos.lxc.api.iaas.VmRef("web-1", "pid:1"), "new-token")).isTrue();

        Path token = dir.resolve("web-1/agent-data/join-token");
        assertThat(Files.readString(token)).isEqualTo("new-token\n");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(token))).isEqualTo("rw-------");
        try (var files = Files.list(token.getParent())) {
            assertThat(files).hasSize(1);
        }
    }

    /** What the controller distribution's bin/setenv gives its own JVM, and so, before, every local VM's agent. */
    private static final String CONTROLLER_OPTS = "-Xms64m -Xmx512m -XX:+UseSerialGC";

    private LocalSettings settings(String agentJavaOptions) {
        return new LocalSettings(dir.resolve("agent.tar.gz"), dir, 20000, 100, 3, Path.of("/opt/jdk"), agentJavaOptions,
                LocalSettings.NetworkMode.HOST, "stratosvm0", Cidr.parse("10.214.0.0/24"));
    }

    private LocalVms vms() {
        return new LocalVms(settings(""), false, Commands.SYSTEM);
    }

    private static VmSpec spec() {
        return new VmSpec("web-1", "web", new Resources(1000, 512), Map.of(), "http://127.0.0.1:8181/stratos", "token-1");
    }

    @Test
    void theAgentsEnvironmentIsItsOwnSettingsNotTheControllersJvmOptions() {
        Map<String, String> controller = Map.of("EXTRA_JAVA_OPTS", CONTROLLER_OPTS, "KARAF_HOME", "/opt/controller",
                "PATH", "/usr/bin:/bin", "HOME", "/root", "STRATOS_AGENT_RUNTIMES", "docker", "STRATOS_AGENT_VM_ID", "spoofed");

        Map<String, String> env = vms().agentEnvironment(spec(), dir.resolve("web-1"), 1, "127.0.0.1", controller);

        assertThat(env).doesNotContainKeys("EXTRA_JAVA_OPTS", "KARAF_HOME")
                .containsEntry("PATH", "/usr/bin:/bin").containsEntry("HOME", "/root").containsEntry("JAVA_HOME", "/opt/jdk")
                .containsEntry("STRATOS_AGENT_RUNTIMES", "docker") // meant for the agents, as the itests use it
                .containsEntry("STRATOS_AGENT_VM_ID", "web-1")     // the VM's own settings win
                .containsEntry("STRATOS_AGENT_PORT_RANGE_START", "20100").containsEntry("STRATOS_AGENT_SSH_PORT", "20199")
                .containsEntry("STRATOS_AGENT_CONTROLLER_URL", "http://127.0.0.1:8181/stratos")
                .doesNotContainKeys("STRATOS_AGENT_PUBLISH_ADDRESS", "STRATOS_AGENT_SSH_HOST");
        LocalVms tuned = new LocalVms(settings("-Xmx48m"), false, Commands.SYSTEM);
        assertThat(tuned.agentEnvironment(spec(), dir.resolve("web-1"), 1, "127.0.0.1", controller)).containsEntry("EXTRA_JAVA_OPTS", "-Xmx48m");
    }

    @Test
    void aNamespacedVmsAgentPublishesOnItsOwnAddressAndReachesTheControllerOnTheBridge() {
        LocalVms namespaced = new LocalVms(settings(""), true, command -> "");

        Map<String, String> env = namespaced.agentEnvironment(spec(), dir.resolve("web-1"), 1, "10.214.0.3", Map.of());

        assertThat(env).containsEntry("STRATOS_AGENT_PUBLISH_ADDRESS", "10.214.0.3").containsEntry("STRATOS_AGENT_SSH_HOST", "10.214.0.3")
                .containsEntry("STRATOS_AGENT_CONTROLLER_URL", "http://10.214.0.1:8181/stratos");
    }

    @Test
    void onlyAControllerUrlOnThisHostsLoopbackIsRelayedFromTheBridge() {
        ControllerAccess access = new ControllerAccess(new VmNetwork("stratosvm0", Cidr.parse("10.214.0.0/24"), command -> ""));

        assertThat(ControllerAccess.relayTarget("http://127.0.0.1:8181/stratos")).isEqualTo("127.0.0.1:8181");
        assertThat(ControllerAccess.relayTarget("http://localhost/stratos")).isEqualTo("127.0.0.1:80");
        assertThat(ControllerAccess.relayTarget("https://[::1]/stratos")).isEqualTo("127.0.0.1:443");
        assertThat(ControllerAccess.relayTarget("http://192.0.2.10:8181/stratos")).isNull();
        assertThat(access.urlFromVm("http://localhost:8181/stratos?x=1")).isEqualTo("http://10.214.0.1:8181/stratos?x=1");
        assertThat(access.urlFromVm("http://192.0.2.10:8181/stratos")).isEqualTo("http://192.0.2.10:8181/stratos");
    }

    @Test
    void startAgentRunsTheAgentWithAgentEnvOnlyWhoeverRunsIt() throws Exception {
        Path vm = Files.createDirectories(dir.resolve("web-1"));
        Files.createDirectories(vm.resolve("home/bin"));
        // a stand-in for bin/karaf: writes down the environment it was started with
        Path karaf = Files.writeString(vm.resolve("home/bin/karaf"), "#!/bin/sh\nenv > \"$(dirname \"$0\")/../../seen.env\"\n");
        Files.setPosixFilePermissions(karaf, PosixFilePermissions.fromString("rwx------"));
        Files.writeString(vm.resolve("agent.env"), "STRATOS_AGENT_VM_ID='web-1'\nPATH='/usr/bin:/bin'\n");
        Path script = vm.resolve("start-agent");
        LocalVms.writeScript(script, LocalVms.START_AGENT);
        LocalVms.writeScript(vm.resolve(VmNetwork.IN_VM_SCRIPT), VmNetwork.IN_HOST_SCRIPT);

        ProcessBuilder dirty = new ProcessBuilder(script.toString()).redirectErrorStream(true);
        dirty.environment().put("EXTRA_JAVA_OPTS", CONTROLLER_OPTS);
        Process run = dirty.start();
        assertThat(run.waitFor(10, TimeUnit.SECONDS)).isTrue();

        List<String> seen = Files.readAllLines(vm.resolve("seen.env"));
        assertThat(seen).contains("STRATOS_AGENT_VM_ID=web-1", "PATH=/usr/bin:/bin")
                .noneMatch(line -> line.startsWith("EXTRA_JAVA_OPTS") || line.startsWith("STRATOS_LOCAL_VM_CLEAN_ENV"));
        assertThat(Files.readString(vm.resolve("pid")).trim()).isEqualTo(String.valueOf(run.pid()));
    }

    @Test
    void aVmWhoseAgentDiedIsStillListedSoThatTheControllerCanDestroyItAndFreeItsSlot() throws Exception {
        Path vm = Files.createDirectories(dir.resolve("i-f2c17735"));
        Files.writeString(vm.resolve("vm.properties"), "slot=0\nsshPort=20099\n");
        Process gone = new ProcessBuilder("true").start();
        gone.waitFor();
        Files.writeString(vm.resolve("pid"), String.valueOf(gone.pid()));

        LocalVms vms = vms();
        assertThat(vms.list()).containsExactly(new io.stratos.lxc.api.iaas.VmRef("i-f2c17735", "stopped"));
        assertThat(vms.running()).isZero();
        vms.destroy(new io.stratos.lxc.api.iaas.VmRef("i-f2c17735", "stopped"));
        assertThat(vms.list()).isEmpty();
    }
}
