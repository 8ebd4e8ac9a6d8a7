package io.stratos.lxc.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CgroupReaderTest {

    @TempDir
    Path root;

    private void write(String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    @Test
    void readsCgroupV1() throws IOException {
        Files.createDirectories(root.resolve("memory"));
        Files.createDirectories(root.resolve("unified"));
        Files.writeString(root.resolve("unified/cgroup.controllers"), "");
        String g = "lxc.payload.stratos-p1";
        write("memory/" + g + "/memory.usage_in_bytes", "10485760\n");
        write("memory/" + g + "/memory.stat", "cache 4096\ntotal_inactive_file 1048576\n");
        write("memory/" + g + "/memory.limit_in_bytes", "16777216\n");
        write("memory/" + g + "/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 2\n");
        write("cpuacct/" + g + "/cpuacct.usage", "123456789\n");
        write("pids/" + g + "/pids.current", "3\n");

        CgroupReader reader = CgroupReader.detect(root);

        assertThat(reader.layout()).isEqualTo(CgroupReader.Layout.V1);
        ContainerStats stats = reader.read("p1", g).orElseThrow();
        assertThat(stats.cpuNanos()).isEqualTo(123456789L);
        assertThat(stats.memoryBytes()).isEqualTo(10485760L - 1048576L);
        assertThat(stats.memoryLimitBytes()).isEqualTo(16777216L);
        assertThat(stats.pids()).isEqualTo(3);
        assertThat(stats.oomKills()).isEqualTo(2);
    }

    @Test
    void v1WithoutLimitSaysMinusOne() throws IOException {
        String g = "docker/abc";
        write("memory/" + g + "/memory.usage_in_bytes", "100");
        write("memory/" + g + "/memory.limit_in_bytes", "9223372036854771712");

        ContainerStats stats = CgroupReader.detect(root).read("p", g).orElseThrow();

        assertThat(stats.memoryLimitBytes()).isEqualTo(-1);
        assertThat(stats.cpuNanos()).isZero();
    }

    @Test
    void readsCgroupV2() throws IOException {
        write("cgroup.controllers", "cpuset cpu io memory hugetlb pids rdma misc\n");
        String g = "lxc.payload.stratos-p2";
        write(g + "/memory.current", "2097152\n");
        write(g + "/memory.stat", "anon 1000\ninactive_file 1048576\n");
        write(g + "/memory.max", "max\n");
        write(g + "/memory.events", "low 0\nhigh 0\nmax 5\noom 1\noom_kill 1\n");
        write(g + "/cpu.stat", "usage_usec 2500\nuser_usec 2000\nsystem_usec 500\n");
        write(g + "/pids.current", "7\n");

        CgroupReader reader = CgroupReader.detect(root);

        assertThat(reader.layout()).isEqualTo(CgroupReader.Layout.V2);
        ContainerStats stats = reader.read("p2", g).orElseThrow();
        assertThat(stats.cpuNanos()).isEqualTo(2_500_000L);
        assertThat(stats.memoryBytes()).isEqualTo(1048576L);
        assertThat(stats.memoryLimitBytes()).isEqualTo(-1);
        assertThat(stats.pids()).isEqualTo(7);
        assertThat(stats.oomKills()).isEqualTo(1);
    }

    @Test
    void aMissingGroupIsEmpty() {
        assertThat(new CgroupReader(root, CgroupReader.Layout.V1).read("p", "gone")).isEmpty();
        assertThat(new CgroupReader(root, CgroupReader.Layout.V2).read("p", "gone")).isEmpty();
    }

    @Test
    void cpuRateBetweenTwoSamples() {
        ContainerStats first = new ContainerStats("p", 0, 0, -1, 1, 0, 0);
        ContainerStats second = new ContainerStats("p", 500_000_000L, 0, -1, 1, 0, 1_000_000_000L);

        assertThat(second.cpuMillisSince(first)).isEqualTo(500);
    }

    @Test
    void readsThePidsCountersUnderV1AndV2() throws IOException {
        Files.createDirectories(root.resolve("memory"));
        write("pids/v1group/pids.current", "62\n");
        write("pids/v1group/pids.max", "64\n");
        write("pids/v1group/pids.events", "max 17\n");
        CgroupReader v1 = CgroupReader.detect(root);
        assertThat(v1.pids("v1group")).contains(new CgroupReader.PidsCounters(62, 64, 17));
        assertThat(v1.pids("gone")).isEmpty();

        write("v2group/pids.current", "3\n");
        write("v2group/pids.max", "max\n");
        write("v2group/pids.events", "max 0\n");
        CgroupReader v2 = new CgroupReader(root, CgroupReader.Layout.V2);
        assertThat(v2.pids("v2group")).contains(new CgroupReader.PidsCounters(3, -1, 0));
    }

    @Test
    void aGroupWithAProcessIsPopulatedUnderV1AndV2() throws IOException {
        String g = "lxc.payload.stratos-p1";
        write("memory/" + g + "/cgroup.procs", "4242\n");
        write("memory/" + g + "/memory.oom_control", "oom_kill_disable 0\nunder_oom 0\noom_kill 1\n");
        write("memory/lxc.payload.stratos-empty/cgroup.procs", "");
        CgroupReader v1 = new CgroupReader(root, CgroupReader.Layout.V1);
        assertThat(v1.populated(g)).isTrue();
        assertThat(v1.populated("lxc.payload.stratos-empty")).as("its init has exited").isFalse();
        assertThat(v1.populated("lxc.payload.stratos-gone")).isFalse();
        assertThat(v1.oomKills(g)).isEqualTo(1);
        assertThat(v1.oomKills("lxc.payload.stratos-gone")).isZero();

        Path v2root = root.resolve("v2");
        write("v2/" + g + "/cgroup.events", "populated 1\nfrozen 0\n");
        write("v2/" + g + "/memory.events", "low 0\nhigh 0\nmax 3\noom 1\noom_kill 1\n");
        write("v2/lxc.payload.stratos-empty/cgroup.events", "populated 0\nfrozen 0\n");
        CgroupReader v2 = new CgroupReader(v2root, CgroupReader.Layout.V2);
        assertThat(v2.populated(g)).isTrue();
        assertThat(v2.populated("lxc.payload.stratos-empty")).isFalse();
        assertThat(v2.populated("lxc.payload.stratos-gone")).isFalse();
        assertThat(v2.oomKills(g)).isEqualTo(1);
    }
}
