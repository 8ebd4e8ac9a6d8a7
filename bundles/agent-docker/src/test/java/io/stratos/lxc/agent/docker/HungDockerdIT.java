package io.stratos.lxc.agent.docker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.stratos.lxc.agent.exec.Exec;
import io.stratos.lxc.agent.runtime.CgroupReader;
import io.stratos.lxc.agent.runtime.RuntimeAvailability;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.awaitility.Awaitility;

/**
 * A dockerd that is alive but does not answer (here: stopped with SIGSTOP, continued afterwards) must not stall the
 * agent: the availability probe at the start of each pass gives up after its timeout, and the pass then leaves Docker
 * alone and goes on with LXC. (Without the bounded wait the probe hung as long as dockerd did: the client's response
 * timeout does not apply to reads over the unix socket.)
 */
class HungDockerdIT {

    static final String SOCKET = "/var/run/docker.sock";

    @Test
    void aHungDockerdIsUnavailableWithinTheProbeTimeoutAndCallsGiveUp() throws Exception {
        assumeTrue(Files.exists(Path.of(SOCKET)), "no Docker socket at " + SOCKET);
        Exec exec = new Exec();
        String pid = exec.run(10_000, "pidof", "dockerd").output().trim();
        assumeTrue(pid.matches("\\d+"), "no single dockerd process to stop: '" + pid + "'");
        DockerRuntime docker = new DockerRuntime("unix://" + SOCKET, "stratos-test-hung", CgroupReader.host(),
                Duration.ofSeconds(2));
        try {
            assertThat(docker.available().available()).as("dockerd answers before the test").isTrue();
            exec.run(10_000, "kill", "-STOP", pid);
            try {
                for (int pass = 0; pass < 3; pass++) {
                    long started = System.nanoTime();
                    RuntimeAvailability hung = assertTimeoutPreemptively(Duration.ofSeconds(30), docker::available);
                    assertThat(hung.available()).isFalse();
                    assertThat(hung.reason()).contains("does not answer within 2 s");
                    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
                }
            } finally {
                exec.run(10_000, "kill", "-CONT", pid);
            }
            Awaitility.await("dockerd answers again once continued").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                    .until(() -> docker.available().available());
        } finally {
            docker.close();
        }
    }
}
