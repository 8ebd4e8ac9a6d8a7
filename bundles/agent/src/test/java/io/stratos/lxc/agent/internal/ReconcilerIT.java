package io.stratos.lxc.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.stratos.lxc.agent.exec.Exec;
import io.stratos.lxc.agent.internal.lxc.LxcRuntime;
import io.stratos.lxc.api.agent.DesiredProcess;
import io.stratos.lxc.api.agent.DesiredState;
import io.stratos.lxc.api.agent.ProcessReport;
import io.stratos.lxc.config.ConfigValues;
import io.stratos.lxc.api.controller.ProcessState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.awaitility.Awaitility;

/**
 * The reconciler on real LXC: desired processes become RUNNING once they answer HTTP, a process whose
 * container dies is restarted (after a back-off, with the reason reported), and a process no longer
 * desired is stopped.
 */
class ReconcilerIT {

    Path work;
    TestImages.Store store;
    AgentRuntimes agent;
    Reconciler reconciler;
    String digest;

    @BeforeEach
    void setUp() throws Exception {
        assumeTrue(Exec.onPath("lxc-start"), "lxc-start is not installed: skipping the reconciler test");
        work = Files.createTempDirectory("stratos-test-reconciler");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        store = new TestImages.Store();
        Path tarball = TestImages.tarball(TestImages.busyboxImage(work.resolve("src"), "reconciled"), work.resolve("image.tar"));
        digest = TestImages.sha256(tarball);
        store.images.put(digest, tarball);
        ConfigValues values = ConfigValues.of(AgentSettings.PID, Map.of("controllerUrl", store.controllerUrl(),
                "portRangeStart", "29420", "portRangeEnd", "29429", "bridge", "stratos-testbr1", "bridgeSubnet", "10.213.224.0/20",
                "runtimes", "lxc", "dataDir", work.resolve("agent").toString()));
        agent = new AgentRuntimes(AgentSettings.from(values, "stratos-test-reconciler", work.toString()));
        assertThat(values.valid()).as(values.describeProblems()).isTrue();
        reconciler = new Reconciler(agent, System::currentTimeMillis);
    }

    @AfterEach
    void tearDown() {
        if (reconciler != null) {
            reconciler.close();
        }
        if (agent != null) {
            for (String id : List.of("stratos-test-r1", "stratos-test-r2")) {
                agent.launcher().stop(id);
            }
            ((LxcRuntime) agent.runtimes().get("lxc")).removeBridgeIfUnused();
            agent.close();
        }
        if (store != null) {
            store.close();
        }
        if (work != null) {
            new Exec().run(30_000, "rm", "-rf", work.toString());
        }
    }

    private DesiredProcess desired(String id) {
        return new DesiredProcess(id, "hello", "static-httpd", "1.0", digest, "lxc", 100, 32, Map.of());
    }

    private ProcessReport awaitReport(String id, Predicate<ProcessReport> condition, Duration timeout) {
        return Awaitility.await("process " + id + " matches").atMost(timeout).pollInterval(Duration.ofMillis(100))
                .until(() -> reconciler.processes().get(id), last -> last != null && condition.test(last));
    }

    @Test
    void runsDesiredProcessesRestartsADeadOneAndStopsWhatIsNoLongerDesired() throws Exception {
        reconciler.apply(new DesiredState(1, List.of(desired("stratos-test-r1"), desired("stratos-test-r2"))));
        ProcessReport first = awaitReport("stratos-test-r1", r -> r.state() == ProcessState.RUNNING, Duration.ofSeconds(30));
        awaitReport("stratos-test-r2", r -> r.state() == ProcessState.RUNNING, Duration.ofSeconds(30));
        assertThat(TestImages.getUntilOk("http://127.0.0.1:" + first.hostPort() + "/", Duration.ofSeconds(5))).isEqualTo("reconciled");

        // The container dies (as if its process crashed): reported FAILED with the reason, then restarted.
        Path lxcpath = work.resolve("agent/containers");
        assertThat(new Exec().run(10_000, "lxc-stop", "-P", lxcpath.toString(), "-n", "stratos-stratos-test-r1", "-k").exitCode())
                .isZero();
        ProcessReport failed = awaitReport("stratos-test-r1", r -> r.state() == ProcessState.FAILED, Duration.ofSeconds(10));
        assertThat(failed.reason()).contains("exited").contains("restart 1");
        ProcessReport restarted = awaitReport("stratos-test-r1", r -> r.state() == ProcessState.RUNNING, Duration.ofSeconds(30));
        assertThat(TestImages.getUntilOk("http://127.0.0.1:" + restarted.hostPort() + "/", Duration.ofSeconds(5))).isEqualTo("reconciled");
        assertThat(reconciler.processes().get("stratos-test-r2").state()).isEqualTo(ProcessState.RUNNING);

        // r2 is no longer desired: its container goes, r1 keeps running.
        reconciler.apply(new DesiredState(2, List.of(desired("stratos-test-r1"))));
        Awaitility.await("r2's container removed").atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(100))
                .until(() -> agent.runtimes().get("lxc").inspect("stratos-test-r2").isEmpty());
        assertThat(reconciler.report(2).processes()).extracting(ProcessReport::processId).containsExactly("stratos-test-r1");
    }
}
