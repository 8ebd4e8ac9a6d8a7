package io.stratos.lxc.agent.internal.lxc;

import io.stratos.lxc.agent.net.Subnet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.stratos.lxc.agent.internal.TestImages;
import io.stratos.lxc.agent.exec.Exec;
import io.stratos.lxc.agent.internal.image.CachedImage;
import io.stratos.lxc.agent.internal.image.ImageCache;
import io.stratos.lxc.agent.runtime.CgroupReader;
import io.stratos.lxc.agent.runtime.ContainerInfo;
import io.stratos.lxc.agent.runtime.ContainerSpec;
import io.stratos.lxc.agent.runtime.ContainerState;
import io.stratos.lxc.agent.runtime.ContainerStats;
import io.stratos.lxc.agent.runtime.PortAllocator;
import io.stratos.lxc.api.StratosException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.awaitility.Awaitility;

/** Real LXC containers (root, lxc 5) on a test bridge; everything is named stratos-test* and removed afterwards. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LxcRuntimeIT {

    static final String BRIDGE = "stratos-testbr0";
    static final Subnet SUBNET = Subnet.parse("10.213.240.0/20");
    static final List<String> HTTPD = List.of("/bin/busybox", "httpd", "-f", "-p", "8080", "-h", "/www");

    Path work;
    TestImages.Store store;
    CachedImage image;
    LxcRuntime lxc;
    PortAllocator ports;

    @BeforeAll
    void setUp() throws Exception {
        assumeTrue(Exec.onPath("lxc-start"), "lxc-start is not installed: skipping the LXC integration tests");
        assumeTrue("root".equals(System.getProperty("user.name")), "not root: skipping the privileged LXC integration tests");
        work = Files.createTempDirectory("stratos-test-lxc");
        // unprivileged containers' root (a subordinate id) must traverse to its rootfs
        Files.setPosixFilePermissions(work, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
        store = new TestImages.Store();
        Path tarball = TestImages.tarball(TestImages.busyboxImage(work.resolve("src"), "hello from lxc"), work.resolve("image.tar"));
        String digest = TestImages.sha256(tarball);
        store.images.put(digest, tarball);
        ImageCache cache = new ImageCache(work.resolve("images"), work.resolve("downloads"), 1L << 30, ImageCache.defaultHttpClient(), new Exec());
        image = cache.acquire(digest, store.url(digest));
        lxc = new LxcRuntime(new LxcOptions(work.resolve("containers"), LxcOptions.Network.BRIDGE, BRIDGE, SUBNET, false), new Exec(),
                CgroupReader.host());
        ports = new PortAllocator(29100, 29119);
        assertThat(lxc.available().available()).as(lxc.available().reason()).isTrue();
    }

    @AfterAll
    void tearDown() {
        if (lxc != null) {
            for (ContainerInfo info : lxc.list()) {
                lxc.remove(info.processId());
            }
            lxc.close();
            lxc.removeBridgeIfUnused();
        }
        if (store != null) {
            store.close();
        }
        if (work != null) {
            io.stratos.lxc.agent.exec.FileTree.delete(work);
        }
    }

    private ContainerSpec spec(String processId, List<String> argv, int hostPort, int memoryMiB) {
        return new ContainerSpec(processId, "static-httpd", image.digest(), image.rootfs(), argv, Map.of("CARTRIDGE", "static-httpd"),
                8080, hostPort, 500, memoryMiB, 64);
    }

    @Test
    void twoProcessesServeThePageOnTheirOwnLoopbackPorts() throws Exception {
        int port1 = ports.allocate("stratos-test-a");
        int port2 = ports.allocate("stratos-test-b");
        long t0 = System.nanoTime();
        ContainerInfo a = lxc.start(spec("stratos-test-a", HTTPD, port1, 32));
        String body = TestImages.getUntilOk("http://127.0.0.1:" + port1 + "/", Duration.ofSeconds(10));
        long firstHttpMs = (System.nanoTime() - t0) / 1_000_000;
        // the second runs its start command through a shell (arguments with blanks are quoted for LXC)
        ContainerInfo b = lxc.start(spec("stratos-test-b", List.of("/bin/sh", "-c", "exec httpd -f -p $PORT -h /www"), port2, 32));
        System.out.println("LXC: start to first HTTP 200 in " + firstHttpMs + " ms");

        assertThat(body).isEqualTo("hello from lxc");
        assertThat(TestImages.getUntilOk("http://127.0.0.1:" + port2 + "/", Duration.ofSeconds(10))).isEqualTo("hello from lxc");
        assertThat(a.state()).isEqualTo(ContainerState.RUNNING);
        assertThat(b.address()).isEqualTo(SUBNET.addressFor(port2) + ":8080");
        assertThat(lxc.list()).extracting(ContainerInfo::processId).contains("stratos-test-a", "stratos-test-b");
        // the image's rootfs is shared read-only: nothing copied per container
        assertThat(work.resolve("containers/stratos-stratos-test-a/upper/www")).doesNotExist();

        ContainerStats stats = lxc.stats("stratos-test-a").orElseThrow();
        assertThat(stats.memoryLimitBytes()).isEqualTo(32L << 20);
        assertThat(stats.pids()).isGreaterThanOrEqualTo(1);
        assertThat(stats.memoryBytes()).isPositive();

        // a restarted agent re-adopts running containers and publishes their ports again
        lxc.close();
        lxc = new LxcRuntime(lxc.options(), new Exec(), CgroupReader.host());
        assertThat(lxc.adopt()).extracting(ContainerInfo::processId).contains("stratos-test-a", "stratos-test-b");
        assertThat(TestImages.getUntilOk("http://127.0.0.1:" + port1 + "/", Duration.ofSeconds(5))).isEqualTo("hello from lxc");

        long s0 = System.nanoTime();
        lxc.stop("stratos-test-a");
        System.out.println("LXC: stop in " + (System.nanoTime() - s0) / 1_000_000 + " ms");
        ContainerInfo stopped = lxc.inspect("stratos-test-a").orElseThrow();
        assertThat(stopped.state()).isEqualTo(ContainerState.STOPPED);
        assertThat(stopped.oomKilled()).isFalse();
        lxc.remove("stratos-test-a");
        lxc.remove("stratos-test-b");
        ports.release("stratos-test-a");
        ports.release("stratos-test-b");
        assertThat(lxc.inspect("stratos-test-a")).isEmpty();
        assertThat(work.resolve("containers/stratos-stratos-test-a")).doesNotExist();
        assertThat(image.rootfs().resolve("bin/busybox")).isRegularFile();
    }

    @Test
    void exceedingTheMemoryLimitIsAnOomKillInsideTheContainersCgroup() throws Exception {
        int survivorPort = ports.allocate("stratos-test-survivor");
        lxc.start(spec("stratos-test-survivor", HTTPD, survivorPort, 16));
        TestImages.getUntilOk("http://127.0.0.1:" + survivorPort + "/", Duration.ofSeconds(10));

        // a process beside the server allocates 64 MiB in a 16 MiB container: the kernel kills it, the server lives on
        Exec.Result hog = new Exec().run(30_000, "lxc-attach", "-P", work.resolve("containers").toString(), "-n",
                "stratos-stratos-test-survivor", "--", "/bin/busybox", "dd", "if=/dev/zero", "of=/dev/null", "bs=64M", "count=1");
        assertThat(hog.exitCode()).isEqualTo(137);
        ContainerInfo survivor = lxc.inspect("stratos-test-survivor").orElseThrow();
        assertThat(survivor.state()).isEqualTo(ContainerState.RUNNING);
        assertThat(survivor.oomKilled()).isTrue();
        assertThat(lxc.stats("stratos-test-survivor").orElseThrow().oomKills()).isPositive();
        TestImages.getUntilOk("http://127.0.0.1:" + survivorPort + "/", Duration.ofSeconds(5));

        // the process itself allocating too much: the container stops, OOM-killed, exit 137
        int hogPort = ports.allocate("stratos-test-hog");
        lxc.start(spec("stratos-test-hog", List.of("/bin/busybox", "dd", "if=/dev/zero", "of=/dev/null", "bs=64M", "count=1"), hogPort, 16));
        ContainerInfo info = waitForStop("stratos-test-hog");
        assertThat(info.exitCode()).isEqualTo(137);
        assertThat(info.oomKilled()).isTrue();
        assertThat(info.detail()).contains("OOM");

        // the host is fine: this JVM, and the other container still serves
        assertThat(TestImages.getUntilOk("http://127.0.0.1:" + survivorPort + "/", Duration.ofSeconds(5))).isEqualTo("hello from lxc");
        lxc.remove("stratos-test-hog");
        lxc.remove("stratos-test-survivor");
        ports.release("stratos-test-hog");
        ports.release("stratos-test-survivor");
    }

    @Test
    void anExhaustedPortRangeFailsOnlyTheProcessThatFoundItFull() throws Exception {
        PortAllocator one = new PortAllocator(29130, 29130);
        ContainerInfo first = lxc.start(spec("stratos-test-only", HTTPD, one.allocate("stratos-test-only"), 16));

        assertThatThrownBy(() -> one.allocate("stratos-test-second"))
                .isInstanceOfSatisfying(StratosException.class, e -> assertThat(e.kind()).isEqualTo(StratosException.Kind.CONFLICT))
                .hasMessageContaining("stratos-test-second").hasMessageContaining("exhausted");
        assertThat(TestImages.getUntilOk("http://127.0.0.1:" + first.hostPort() + "/", Duration.ofSeconds(10))).isEqualTo("hello from lxc");

        // a port some other program holds is refused at start, with the reason, and nothing is left behind
        assertThatThrownBy(() -> lxc.start(spec("stratos-test-clash", HTTPD, first.hostPort(), 16)))
                .isInstanceOf(StratosException.class).hasMessageContaining("127.0.0.1:" + first.hostPort());
        assertThat(lxc.inspect("stratos-test-clash")).isEmpty();
        assertThat(lxc.inspect("stratos-test-only").orElseThrow().running()).isTrue();
        lxc.remove("stratos-test-only");
    }

    @Test
    void hostNetworkModeBindsLoopbackDirectly() throws Exception {
        LxcRuntime host = new LxcRuntime(new LxcOptions(work.resolve("containers-host"), LxcOptions.Network.HOST, BRIDGE, SUBNET, false),
                new Exec(), CgroupReader.host());
        int port = ports.allocate("stratos-test-host");
        try {
            host.start(spec("stratos-test-host", List.of("/bin/sh", "-c", "exec httpd -f -p 127.0.0.1:$PORT -h /www"), port, 16));
            assertThat(TestImages.getUntilOk("http://127.0.0.1:" + port + "/", Duration.ofSeconds(10))).isEqualTo("hello from lxc");
        } finally {
            host.remove("stratos-test-host");
            host.close();
            ports.release("stratos-test-host");
        }
    }

    @Test
    void unprivilegedContainersRunAsSubordinateIdsOverAShiftedSharedLower() throws Exception {
        assumeTrue(IdMap.ofRoot(Path.of("/etc/subuid"), Path.of("/etc/subgid")).isPresent(),
                "no root:100000:65536 in /etc/subuid and /etc/subgid: skipping the unprivileged LXC test");
        LxcRuntime unprivileged = new LxcRuntime(new LxcOptions(work.resolve("containers-userns"), LxcOptions.Network.BRIDGE, BRIDGE,
                SUBNET, true), new Exec(), CgroupReader.host());
        assertThat(unprivileged.available().available()).as(unprivileged.available().reason()).isTrue();
        int port1 = ports.allocate("stratos-test-u1");
        int port2 = ports.allocate("stratos-test-u2");
        try {
            long t0 = System.nanoTime();
            unprivileged.start(spec("stratos-test-u1", HTTPD, port1, 16));
            String body = TestImages.getUntilOk("http://127.0.0.1:" + port1 + "/", Duration.ofSeconds(10));
            System.out.println("LXC unprivileged: start (with the one-time id shift of the image) to first HTTP 200 in "
                    + (System.nanoTime() - t0) / 1_000_000 + " ms");
            long t1 = System.nanoTime();
            unprivileged.start(spec("stratos-test-u2", List.of("/bin/sh", "-c", "exec httpd -f -p $PORT -h /www"), port2, 16));
            TestImages.getUntilOk("http://127.0.0.1:" + port2 + "/", Duration.ofSeconds(10));
            System.out.println("LXC unprivileged: second start to first HTTP 200 in " + (System.nanoTime() - t1) / 1_000_000 + " ms");

            assertThat(body).isEqualTo("hello from lxc");
            Path shifted = image.rootfs().resolveSibling("rootfs-idmap-" + IdMap.ofRoot(Path.of("/etc/subuid"), Path.of("/etc/subgid")).get().first());
            assertThat(Files.getAttribute(shifted.resolve("bin/busybox"), "unix:uid")).isEqualTo(100000);
            assertThat(Files.getAttribute(image.rootfs().resolve("bin/busybox"), "unix:uid")).isEqualTo(0);
            Exec.Result pid = new Exec().run(10_000, "lxc-info", "-P", work.resolve("containers-userns").toString(), "-n",
                    "stratos-stratos-test-u1", "-p", "-H");
            String status = Files.readString(Path.of("/proc", pid.output().trim(), "status"));
            assertThat(status).containsPattern("Uid:\\s+100000\\s");

            // the memory limit holds for unprivileged containers too
            Exec.Result hog = new Exec().run(30_000, "lxc-attach", "-P", work.resolve("containers-userns").toString(), "-n",
                    "stratos-stratos-test-u1", "--", "/bin/busybox", "dd", "if=/dev/zero", "of=/dev/null", "bs=64M", "count=1");
            assertThat(hog.exitCode()).isEqualTo(137);
            assertThat(unprivileged.inspect("stratos-test-u1").orElseThrow().oomKilled()).isTrue();
        } finally {
            unprivileged.remove("stratos-test-u1");
            unprivileged.remove("stratos-test-u2");
            unprivileged.close();
            ports.release("stratos-test-u1");
            ports.release("stratos-test-u2");
        }
    }

    private ContainerInfo waitForStop(String processId) {
        return Awaitility.await(processId + " stops").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(50))
                .until(() -> lxc.inspect(processId).orElseThrow(), info -> info.state() == ContainerState.STOPPED);
    }

    @Test
    void aForkBombStaysInsideItsPidsLimitAndTheHostAndOtherContainersAreUnharmed() throws Exception {
        int neighbourPort = ports.allocate("stratos-test-neighbour");
        int bombPort = ports.allocate("stratos-test-bomb");
        lxc.start(spec("stratos-test-neighbour", HTTPD, neighbourPort, 32));
        // pids.max is 64 for this spec; the shell forks for ever, each child forking again
        lxc.start(spec("stratos-test-bomb", List.of("/bin/sh", "-c", "bomb() { bomb | bomb & }; bomb; sleep 3600"), bombPort, 32));
        // The kernel's own record, not a sampled peak (a 50 ms sampler of pids.current once saw 58 of 64, once 62):
        // pids.events' max counts the forks refused at the limit, and no sample of pids.current is ever past it.
        List<Long> seen = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
            CgroupReader.PidsCounters pids = lxc.pids("stratos-test-bomb").orElseThrow();
            seen.add(pids.current());
            return pids.refusedForks() > 0;
        });
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(3)).pollInterval(Duration.ofMillis(50)).until(() -> {
            long current = lxc.pids("stratos-test-bomb").orElseThrow().current();
            seen.add(current);
            return current <= 64;
        });
        assertThat(lxc.pids("stratos-test-bomb").orElseThrow().limit()).isEqualTo(64);
        assertThat(seen).as("pids.current never past the limit").allMatch(n -> n <= 64);
        // the host still forks, the neighbour still serves, and the bomb is stopped like any other container
        assertThat(new Exec().run(10_000, "true").ok()).isTrue();
        assertThat(TestImages.getUntilOk("http://127.0.0.1:" + neighbourPort + "/", Duration.ofSeconds(5))).isEqualTo("hello from lxc");
        lxc.stop("stratos-test-bomb");
        assertThat(lxc.inspect("stratos-test-bomb").orElseThrow().state()).isEqualTo(ContainerState.STOPPED);
        lxc.remove("stratos-test-bomb");
        lxc.remove("stratos-test-neighbour");
        ports.release("stratos-test-bomb");
        ports.release("stratos-test-neighbour");
    }

    /** Two processes of one image, each with its own application in its own writable layer; the image is untouched. */
    @Test
    void eachProcessServesTheApplicationPlacedIntoItsOwnLayer() throws Exception {
        TestImages.assertEachServesItsOwnApplication(lxc, ports, (id, port) -> spec(id, HTTPD, port, 32), work, image.rootfs(),
                List.of("stratos-test-lapp1", "stratos-test-lapp2"));
    }
}
