package io.stratos.lxc.agent.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.awaitility.Awaitility;

/** Real Docker containers against the local dockerd; labelled with a per-run owner, removed afterwards with their image. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerRuntimeIT {

    static final String SOCKET = "/var/run/docker.sock";
    static final List<String> HTTPD = List.of("/bin/busybox", "httpd", "-f", "-p", "8080", "-h", "/www");

    Path work;
    TestImages.Store store;
    CachedImage image;
    DockerRuntime docker;
    PortAllocator ports;

    @BeforeAll
    void setUp() throws Exception {
        assumeTrue(Files.exists(Path.of(SOCKET)), "no Docker socket at " + SOCKET + ": skipping the Docker integration tests");
        work = Files.createTempDirectory("stratos-test-docker");
        store = new TestImages.Store();
        // a page unique to this run, so the image digest (and its tag) is new and the import path is exercised
        String page = "hello from docker " + UUID.randomUUID();
        Path tarball = TestImages.tarball(TestImages.busyboxImage(work.resolve("src"), page), work.resolve("image.tar"));
        String digest = TestImages.sha256(tarball);
        store.images.put(digest, tarball);
        ImageCache cache = new ImageCache(work.resolve("images"), work.resolve("downloads"), 1L << 30, ImageCache.defaultHttpClient(), new Exec());
        image = cache.acquire(digest, store.url(digest));
        docker = new DockerRuntime("unix://" + SOCKET, "stratos-test-" + UUID.randomUUID().toString().substring(0, 8), CgroupReader.host());
        assertThat(docker.available().available()).as(docker.available().reason()).isTrue();
        ports = new PortAllocator(29200, 29219);
    }

    @AfterAll
    void tearDown() {
        if (docker != null) {
            for (ContainerInfo info : docker.list()) {
                docker.remove(info.processId());
            }
            if (image != null) {
                assertThat(docker.removeImages(image.digest())).isTrue();
            }
            docker.close();
        }
        if (store != null) {
            store.close();
        }
        if (work != null) {
            new Exec().run(30_000, "rm", "-rf", work.toString());
        }
    }

    private ContainerSpec spec(String processId, List<String> argv, int hostPort, int memoryMiB) {
        return new ContainerSpec(processId, "static-httpd", image.digest(), image.rootfs(), argv, Map.of("CARTRIDGE", "static-httpd"),
                8080, hostPort, 500, memoryMiB, 64);
    }

    private String page() throws Exception {
        return Files.readString(image.rootfs().resolve("www/index.html"));
    }

    @Test
    void twoProcessesServeThePageOnTheirOwnLoopbackPorts() throws Exception {
        int port1 = ports.allocate("stratos-test-d1");
        int port2 = ports.allocate("stratos-test-d2");
        long i0 = System.nanoTime();
        String ref = docker.ensureImage(spec("stratos-test-d1", HTTPD, port1, 32));
        System.out.println("Docker: import of " + ref + " in " + (System.nanoTime() - i0) / 1_000_000 + " ms");
        long t0 = System.nanoTime();
        ContainerInfo a = docker.start(spec("stratos-test-d1", HTTPD, port1, 32));
        long startedMs = (System.nanoTime() - t0) / 1_000_000;
        String body = TestImages.getUntilOk("http://127.0.0.1:" + port1 + "/", Duration.ofSeconds(10));
        System.out.println("Docker: create+start " + startedMs + " ms, first HTTP 200 after " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        docker.start(spec("stratos-test-d2", List.of("/bin/sh", "-c", "exec httpd -f -p $PORT -h /www"), port2, 32));

        assertThat(body).isEqualTo(page());
        assertThat(TestImages.getUntilOk("http://127.0.0.1:" + port2 + "/", Duration.ofSeconds(10))).isEqualTo(page());
        assertThat(a.state()).isEqualTo(ContainerState.RUNNING);
        assertThat(a.hostPort()).isEqualTo(port1);
        assertThat(docker.list()).extracting(ContainerInfo::processId).containsExactlyInAnyOrder("stratos-test-d1", "stratos-test-d2");

        ContainerStats stats = docker.stats("stratos-test-d1").orElseThrow();
        assertThat(stats.memoryLimitBytes()).isEqualTo(32L << 20);
        assertThat(stats.pids()).isGreaterThanOrEqualTo(1);

        // a runtime of another agent on the same host does not see (or adopt) our containers
        DockerRuntime other = new DockerRuntime("unix://" + SOCKET, "stratos-test-other", CgroupReader.host());
        assertThat(other.list()).isEmpty();
        assertThat(other.inspect("stratos-test-d1")).isEmpty();
        other.close();

        long s0 = System.nanoTime();
        docker.stop("stratos-test-d1");
        System.out.println("Docker: stop in " + (System.nanoTime() - s0) / 1_000_000 + " ms");
        ContainerInfo stopped = docker.inspect("stratos-test-d1").orElseThrow();
        assertThat(stopped.state()).isEqualTo(ContainerState.STOPPED);
        assertThat(stopped.oomKilled()).isFalse();
        docker.remove("stratos-test-d1");
        docker.remove("stratos-test-d2");
        assertThat(docker.inspect("stratos-test-d1")).isEmpty();
        ports.release("stratos-test-d1");
        ports.release("stratos-test-d2");
    }

    @Test
    void exceedingTheMemoryLimitIsAnOomKill() throws Exception {
        int survivorPort = ports.allocate("stratos-test-dsurvivor");
        docker.start(spec("stratos-test-dsurvivor", HTTPD, survivorPort, 16));
        int hogPort = ports.allocate("stratos-test-dhog");
        docker.start(spec("stratos-test-dhog", List.of("/bin/busybox", "dd", "if=/dev/zero", "of=/dev/null", "bs=64M", "count=1"), hogPort, 16));

        ContainerInfo info = waitForStop("stratos-test-dhog");
        assertThat(info.exitCode()).isEqualTo(137);
        assertThat(info.oomKilled()).isTrue();
        assertThat(TestImages.getUntilOk("http://127.0.0.1:" + survivorPort + "/", Duration.ofSeconds(10))).isEqualTo(page());
        docker.remove("stratos-test-dhog");
        docker.remove("stratos-test-dsurvivor");
        ports.release("stratos-test-dhog");
        ports.release("stratos-test-dsurvivor");
    }

    @Test
    void aHostPortSomeoneElseHoldsFailsWithTheReason() throws Exception {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> docker.start(spec("stratos-test-dclash", HTTPD, taken.getLocalPort(), 16)))
                    .isInstanceOf(StratosException.class).hasMessageContaining("127.0.0.1:" + taken.getLocalPort());
        }
        assertThat(docker.inspect("stratos-test-dclash")).isEmpty();
    }

    private ContainerInfo waitForStop(String processId) {
        return Awaitility.await(processId + " stops").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(50))
                .until(() -> docker.inspect(processId).orElseThrow(), info -> info.state() == ContainerState.STOPPED);
    }

    /** Two processes of one image, each with its own application in its own writable layer; the image is untouched. */
    @Test
    void eachProcessServesTheApplicationPlacedIntoItsOwnLayer() throws Exception {
        TestImages.assertEachServesItsOwnApplication(docker, ports, (id, port) -> spec(id, HTTPD, port, 32), work, image.rootfs(),
                List.of("stratos-test-dapp1", "stratos-test-dapp2"));
    }
}
