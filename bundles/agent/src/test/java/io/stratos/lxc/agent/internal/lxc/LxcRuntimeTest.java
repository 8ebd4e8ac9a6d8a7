package io.stratos.lxc.agent.internal.lxc;

import io.stratos.lxc.agent.net.Subnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratos.lxc.agent.exec.Exec;
import io.stratos.lxc.agent.runtime.CgroupReader;
import io.stratos.lxc.agent.runtime.ContainerSpec;
import io.stratos.lxc.api.StratosException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The LXC runtime's parts that need no container: config, launcher, exit codes, id maps, subnets, shifted lower layers. */
class LxcRuntimeTest {

    @TempDir
    Path dir;

    private static ContainerSpec spec(List<String> argv) {
        return new ContainerSpec("p1", "static-httpd", "sha256:" + "cd".repeat(32), Path.of("/img/rootfs"), argv,
                Map.of("GREETING", "hello"), 8080, 20007, 500, 16, 64);
    }

    private LxcConfig config(LxcOptions.Network network, CgroupReader.Layout layout) {
        return new LxcConfig(new LxcOptions(dir, network, "stratosbr0", Subnet.parse("10.213.0.0/16"), false),
                new CgroupReader(dir, layout));
    }

    @Test
    void bridgeConfigOnCgroupV1() throws Exception {
        Files.createDirectories(dir.resolve("memory"));
        Files.writeString(dir.resolve("memory/memory.memsw.limit_in_bytes"), "9223372036854771712\n");
        String config = config(LxcOptions.Network.BRIDGE, CgroupReader.Layout.V1).render(spec(List.of("/bin/httpd", "-f", "-p", "8080")),
                dir.resolve("stratos-p1"), "/img/rootfs", "10.213.78.39", 8080, Optional.empty());

        assertThat(config).contains("lxc.console.size = 1048576", "lxc.console.rotate = 1");
        assertThat(config).contains("lxc.rootfs.path = overlay:/img/rootfs:" + dir.resolve("stratos-p1/upper"))
                .contains("lxc.init.cmd = /bin/httpd -f -p 8080")
                .contains("lxc.environment = PORT=8080").contains("lxc.environment = GREETING=hello")
                .contains("lxc.signal.halt = SIGKILL")
                .contains("lxc.net.0.type = veth").contains("lxc.net.0.link = stratosbr0")
                .contains("lxc.net.0.hwaddr = 02:53:0a:d5:4e:27")
                .contains("lxc.net.0.ipv4.address = 10.213.78.39/16").contains("lxc.net.0.ipv4.gateway = 10.213.0.1")
                .contains("lxc.cgroup.memory.limit_in_bytes = 16777216")
                .contains("lxc.cgroup.memory.memsw.limit_in_bytes = 16777216")
                .contains("lxc.cgroup.cpu.cfs_quota_us = 50000").contains("lxc.cgroup.cpu.cfs_period_us = 100000")
                .contains("lxc.cgroup.pids.max = 64")
                .doesNotContain("cgroup2");
    }

    @Test
    void hostNetworkConfigOnCgroupV2() {
        String config = config(LxcOptions.Network.HOST, CgroupReader.Layout.V2).render(spec(List.of("/bin/sh", "-c", "exec httpd -p $PORT")),
                dir.resolve("stratos-p1"), "/img/rootfs", "127.0.0.1", 20007, Optional.empty());

        assertThat(config).contains("lxc.net.0.type = none").contains("lxc.environment = PORT=20007")
                .contains("lxc.init.cmd = /bin/sh /.stratos-start")
                .contains("lxc.cgroup2.memory.max = 16777216").contains("lxc.cgroup2.cpu.max = 50000 100000")
                .contains("lxc.cgroup2.pids.max = 64")
                .doesNotContain("lxc.cgroup.memory");
    }

    @Test
    void argumentsWithBlanksGoThroughAQuotedLauncher() {
        assertThat(LxcConfig.plainArgv(List.of("/bin/httpd", "-f"))).isTrue();
        assertThat(LxcConfig.plainArgv(List.of("/bin/sh", "-c", "a b"))).isFalse();
        assertThat(LxcConfig.launcher(List.of("/bin/sh", "-c", "echo 'hi' $PORT")))
                .isEqualTo("#!/bin/sh\n# Written by the Stratos agent: the start command, quoted\n"
                        + "[ -w /dev/console ] && exec </dev/null >/dev/console 2>&1\n"
                        + "exec '/bin/sh' '-c' 'echo '\\''hi'\\'' $PORT'\n");
    }

    @Test
    void exitCodesComeFromLxcsLog() throws Exception {
        Path c = Files.createDirectories(dir.resolve("c"));
        Files.writeString(c.resolve("lxc.log"), "lxc-start x 2026 INFO error - ../src/lxc/error.c:lxc_error_set_and_log:34 - "
                + "Child <6881> ended on signal Killed(9)\n");
        assertThat(ExitCause.exitCode(c)).isEqualTo(137);
        Files.writeString(c.resolve("lxc.log"), "... - Child <13726> ended on error (2)\n");
        assertThat(ExitCause.exitCode(c)).isEqualTo(2);
        Files.writeString(c.resolve("lxc.log"), "nothing\n");
        assertThat(ExitCause.exitCode(c)).isZero();
    }

    @Test
    void rootsSubordinateIdsComeFromSubuidAndSubgid() {
        assertThat(IdMap.parse(List.of("alice:100000:65536", "root:200000:65536"))).contains(new IdMap(200000, 65536));
        assertThat(IdMap.parse(List.of("root:200000:1000"))).isEmpty();
        assertThat(IdMap.parse(List.of())).isEmpty();
        assertThat(new IdMap(100000, 65536).host(33)).isEqualTo(100033);
        assertThatThrownBy(() -> new IdMap(100000, 65536).host(70000)).isInstanceOf(StratosException.class);
    }

    @Test
    void subnetMapsHostPortsToAddresses() {
        Subnet subnet = Subnet.parse("10.213.0.0/16");
        assertThat(subnet.gateway()).isEqualTo("10.213.0.1");
        assertThat(subnet.addressFor(20007)).isEqualTo("10.213.78.39");
        assertThat(Subnet.parse("10.213.240.0/20").addressFor(39001)).isEqualTo("10.213.248.89");
        assertThatThrownBy(() -> subnet.addressFor(65536 + 1)).isInstanceOf(StratosException.class);
        assertThatThrownBy(() -> Subnet.parse("10.213.0.0")).isInstanceOf(StratosException.class);
        assertThatThrownBy(() -> Subnet.parse("10.213.0.0/30")).isInstanceOf(StratosException.class);
        assertThat(Subnet.parse("10.213.7.9/16").toString()).isEqualTo("10.213.0.0/16");
    }

    /** Debian images have hard links: one inode under two names is shifted once, not pushed out of the map. */
    @Test
    void theShiftedLowerLayerShiftsAHardLinkedFileOnce() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "chown needs root");
        Path rootfs = dir.resolve("image/rootfs");
        Files.createDirectories(rootfs.resolve("usr/bin"));
        Files.writeString(rootfs.resolve("usr/bin/perl"), "ELF");
        Files.createLink(rootfs.resolve("usr/bin/perl5.36"), rootfs.resolve("usr/bin/perl"));

        Path shifted = new ShiftedRootfs(new Exec()).lowerFor(rootfs, new IdMap(100000, 65536));

        for (String file : List.of("usr/bin/perl", "usr/bin/perl5.36", "usr/bin")) {
            assertThat(Files.getAttribute(shifted.resolve(file), "unix:uid")).as(file).isEqualTo(100000);
        }
    }
}
