package io.stratos.lxc.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.stratos.lxc.agent.docker.DockerRuntime;
import io.stratos.lxc.agent.exec.Exec;
import io.stratos.lxc.agent.internal.lxc.LxcRuntime;
import io.stratos.lxc.config.ConfigValues;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The static-httpd cartridge end to end, as the agent runs it: two processes under each runtime started at
 * once (the image fetched once from a store on 127.0.0.1), then the bad inputs, each failing only its process.
 */
class ProcessLauncherIT {

    Path work;
    TestImages.Store store;
    AgentRuntimes agent;
    String digest;
    final List<String> started = new ArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(Exec.onPath("lxc-start"), "lxc-start is not installed: skipping the end-to-end launcher test");
        assumeTrue(Files.exists(Path.of("/var/run/docker.sock")), "no Docker socket: skipping the end-to-end launcher test");
        work = Files.createTempDirectory("stratos-test-launcher");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        store = new TestImages.Store();
        Path tarball = TestImages.tarball(TestImages.busyboxImage(work.resolve("src"), "static-httpd says hi"), work.resolve("image.tar"));
        digest = TestImages.sha256(tarball);
        store.images.put(digest, tarball);
        ConfigValues values = ConfigValues.of(AgentSettings.PID, Map.of("controllerUrl", store.controllerUrl(),
                "portRangeStart", "29400", "portRangeEnd", "29403", "bridge", "stratos-testbr0", "bridgeSubnet", "10.213.240.0/20",
                "dataDir", work.resolve("agent").toString()));
        agent = new AgentRuntimes(AgentSettings.from(values, "stratos-test-launcher", work.toString()));
        agent.add(DockerRuntime.on(agent));
        assertThat(values.valid()).as(values.describeProblems()).isTrue();
    }

    @AfterEach
    void tearDown() {
        if (agent != null) {
            for (String id : started) {
                agent.launcher().stop(id);
            }
            ((LxcRuntime) agent.runtimes().get("lxc")).removeBridgeIfUnused();
            ((DockerRuntime) agent.runtimes().get("docker")).removeImages(digest);
            agent.runtimes().get("docker").close();
            agent.close();
        }
        if (store != null) {
            store.close();
        }
        if (work != null) {
            new Exec().run(30_000, "rm", "-rf", work.toString());
        }
    }

    private ProcessLauncher.Request request(String id, String runtime, String imageDigest) {
        return new ProcessLauncher.Request(id, runtime, imageDigest, Map.of("GREETING", "hi"), 0, 0, 64);
    }

    @Test
    void twoProcessesPerRuntimeThenBadInputFailsOnlyItsProcess() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<ProcessLauncher.Outcome>> futures = new ArrayList<>();
        long t0 = System.nanoTime();
        for (String id : List.of("stratos-test-l1", "stratos-test-l2", "stratos-test-d1", "stratos-test-d2")) {
            started.add(id);
            String runtime = id.contains("-l") ? "lxc" : "docker";
            futures.add(pool.submit(() -> agent.launcher().launch(request(id, runtime, digest))));
        }
        List<ProcessLauncher.Outcome> outcomes = new ArrayList<>();
        for (Future<ProcessLauncher.Outcome> future : futures) {
            outcomes.add(future.get());
        }
        pool.shutdown();
        for (ProcessLauncher.Outcome outcome : outcomes) {
            assertThat(outcome.running()).as(outcome.processId() + ": " + outcome.reason()).isTrue();
            assertThat(TestImages.getUntilOk("http://127.0.0.1:" + outcome.hostPort() + "/", Duration.ofSeconds(10)))
                    .isEqualTo("static-httpd says hi");
        }
        System.out.println("Launcher: fetch + unpack + 2 LXC + 2 Docker processes serving in " + (System.nanoTime() - t0) / 1_000_000 + " ms");
        assertThat(store.requests.get()).as("the image is fetched once").isEqualTo(1);
        assertThat(outcomes).extracting(ProcessLauncher.Outcome::hostPort).doesNotHaveDuplicates().allMatch(p -> p >= 29400 && p <= 29403);

        // the range (4 ports) is used up: the fifth process fails with the reason, the others keep serving
        ProcessLauncher.Outcome fifth = agent.launcher().launch(request("stratos-test-l5", "lxc", digest));
        assertThat(fifth.running()).isFalse();
        assertThat(fifth.reason()).contains("exhausted").contains("stratos-test-l5");

        ProcessLauncher.Outcome unknown = agent.launcher().launch(request("stratos-test-x", "rkt", digest));
        assertThat(unknown.running()).isFalse();
        assertThat(unknown.reason()).contains("unknown runtime 'rkt'");

        String wrong = "sha256:" + "0".repeat(64);
        store.images.put(wrong, work.resolve("image.tar"));
        ProcessLauncher.Outcome mismatch = agent.launcher().launch(request("stratos-test-m", "lxc", wrong));
        assertThat(mismatch.running()).isFalse();
        assertThat(mismatch.reason()).contains("expected " + wrong);
        assertThat(agent.images().list()).extracting(i -> i.digest()).containsExactly(digest);
        assertThat(agent.images().users(digest)).isEqualTo(4);

        for (ProcessLauncher.Outcome outcome : outcomes) {
            assertThat(TestImages.getUntilOk("http://127.0.0.1:" + outcome.hostPort() + "/", Duration.ofSeconds(5)))
                    .isEqualTo("static-httpd says hi");
        }

        // stopping frees the port and the image for another process
        agent.launcher().stop("stratos-test-l1");
        assertThat(agent.images().users(digest)).isEqualTo(3);
        ProcessLauncher.Outcome again = agent.launcher().launch(request("stratos-test-l5", "lxc", digest));
        started.add("stratos-test-l5");
        assertThat(again.running()).as(again.reason()).isTrue();
    }
}
