package io.stratos.lxc.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.stratos.lxc.agent.docker.DockerRuntime;
import io.stratos.lxc.agent.exec.Exec;
import io.stratos.lxc.agent.exec.FileTree;
import io.stratos.lxc.agent.internal.image.CachedImage;
import io.stratos.lxc.agent.internal.image.ImageCache;
import io.stratos.lxc.agent.internal.lxc.LxcOptions;
import io.stratos.lxc.agent.internal.lxc.LxcRuntime;
import io.stratos.lxc.agent.net.Subnet;
import io.stratos.lxc.agent.runtime.CgroupReader;
import io.stratos.lxc.agent.runtime.ContainerRuntime;
import io.stratos.lxc.agent.runtime.ContainerSpec;
import io.stratos.lxc.agent.status.LogTail;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The tail of a real container's console: what its process wrote to stdout and stderr, read from LXC's
 * console log beside the container and from Docker's logs API. Own bridge and ports (stratos-testbr5,
 * 10.213.192.0/20, 24900-24919), everything removed afterwards.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ConsoleLogIT {

    /** Writes one line to stderr and numbered lines to stdout, then serves HTTP in the foreground. */
    static final List<String> CHATTY = List.of("/bin/sh", "-c",
            // a second between the streams: Docker keeps stdout and stderr apart and does not promise their order
            "echo to stderr >&2; sleep 1; for i in 1 2 3 4 5; do echo console line $i; done; exec httpd -f -p $PORT -h /www");

    Path work;
    TestImages.Store store;
    CachedImage image;
    LxcRuntime lxc;
    DockerRuntime docker;

    @BeforeAll
    void setUp() throws Exception {
        work = Files.createTempDirectory("stratos-test-console");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        store = new TestImages.Store();
        Path tarball = TestImages.tarball(TestImages.busyboxImage(work.resolve("src"), "console " + UUID.randomUUID()),
                work.resolve("image.tar"));
        String digest = TestImages.sha256(tarball);
        store.images.put(digest, tarball);
        ImageCache cache = new ImageCache(work.resolve("images"), work.resolve("downloads"), 1L << 30, ImageCache.defaultHttpClient(), new Exec());
        image = cache.acquire(digest, store.url(digest));
        lxc = new LxcRuntime(new LxcOptions(work.resolve("containers"), LxcOptions.Network.BRIDGE, "stratos-testbr5",
                Subnet.parse("10.213.192.0/20"), false), new Exec(), CgroupReader.host());
        docker = new DockerRuntime("unix:///var/run/docker.sock", "stratos-test-" + UUID.randomUUID().toString().substring(0, 8),
                CgroupReader.host());
    }

    @AfterAll
    void tearDown() {
        for (ContainerRuntime runtime : new ContainerRuntime[] {lxc, docker}) {
            if (runtime != null && runtime.available().available()) {
                runtime.list().forEach(info -> runtime.remove(info.processId()));
            }
        }
        if (lxc != null) {
            lxc.close();
            lxc.removeBridgeIfUnused();
        }
        if (docker != null) {
            if (docker.available().available() && image != null) {
                docker.removeImages(image.digest());
            }
            docker.close();
        }
        if (store != null) {
            store.close();
        }
        if (work != null) {
            FileTree.delete(work);
        }
    }

    private ContainerSpec spec(String processId, int hostPort) {
        return new ContainerSpec(processId, "static-httpd", image.digest(), image.rootfs(), CHATTY, Map.of(), 8080, hostPort, 500, 32, 64);
    }

    private void tailShowsTheLastLines(ContainerRuntime runtime, String processId, int hostPort) throws Exception {
        runtime.start(spec(processId, hostPort));
        TestImages.getUntilOk("http://127.0.0.1:" + hostPort + "/", Duration.ofSeconds(20));

        LogTail all = runtime.logTail(processId, 100).orElseThrow();
        assertThat(all.runtime()).isEqualTo(runtime.name());
        assertThat(all.lines()).contains("console line 1", "console line 5", "to stderr");
        List<String> last = runtime.logTail(processId, 2).orElseThrow().lines();
        assertThat(last).containsExactly("console line 4", "console line 5");
        assertThat(runtime.logTail("stratos-test-none", 10)).isEmpty();
    }

    @Test
    void lxcKeepsTheConsoleBesideTheContainer() throws Exception {
        assumeTrue(Exec.onPath("lxc-start") && "root".equals(System.getProperty("user.name")), "needs lxc and root");
        tailShowsTheLastLines(lxc, "stratos-test-log-l", 24900);
        Optional<LogTail> tail = lxc.logTail("stratos-test-log-l", 1);
        assertThat(tail.orElseThrow().source()).endsWith("stratos-stratos-test-log-l/console.log");
    }

    /** A process that writes 3 MiB to its console leaves at most 1 MiB in console.log and 1 MiB in console.log.1. */
    @Test
    void lxcBoundsTheConsoleLog() throws Exception {
        assumeTrue(Exec.onPath("lxc-start") && "root".equals(System.getProperty("user.name")), "needs lxc and root");
        List<String> flood = List.of("/bin/sh", "-c",
                "i=0; while [ $i -lt 3072 ]; do printf '%1023s\\n' $i; i=$((i+1)); done; exec httpd -f -p $PORT -h /www");
        lxc.start(new ContainerSpec("stratos-test-log-big", "static-httpd", image.digest(), image.rootfs(), flood, Map.of(), 8080,
                24902, 500, 32, 64));
        try {
            TestImages.getUntilOk("http://127.0.0.1:24902/", Duration.ofSeconds(60));
            Path log = Path.of(lxc.logTail("stratos-test-log-big", 1).orElseThrow().source());
            assertThat(Files.size(log)).isLessThanOrEqualTo(1024 * 1024);
            assertThat(log.resolveSibling("console.log.1")).exists();
            assertThat(Files.size(log.resolveSibling("console.log.1"))).isLessThanOrEqualTo(1024 * 1024);
        } finally {
            lxc.remove("stratos-test-log-big");
        }
    }

    @Test
    void dockerServesItsLogs() throws Exception {
        assumeTrue(Files.exists(Path.of("/var/run/docker.sock")) && docker.available().available(), "needs a running dockerd");
        tailShowsTheLastLines(docker, "stratos-test-log-d", 24901);
    }
}
