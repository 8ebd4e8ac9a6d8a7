package io.stratos.lxc.controller.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratos.lxc.api.agent.AgentCredentials;
import io.stratos.lxc.api.agent.DesiredProcess;
import io.stratos.lxc.api.agent.DesiredState;
import io.stratos.lxc.api.artifact.ArtifactStatus;
import io.stratos.lxc.api.artifact.ArtifactVersion;
import io.stratos.lxc.api.controller.ProcessState;
import io.stratos.lxc.api.controller.SubscriptionSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Rolling updates of an artifact version, one process at a time, and the rollback of a failing one. */
class RolloutTest extends ControllerFixture {

    @Test
    void aNewArtifactRollsOutOneProcessAtATimeNeverBelowTheDesiredCount() throws Exception {
        AgentCredentials agent = readyVms(1).get(0);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 3, 5, null));
        agentRunsAll(agent);

        ArtifactStatus started = core.deployArtifact("hello", bytes("v1"));

        assertThat(started.desired()).isEqualTo(1);
        assertThat(started.deployed()).isZero();
        assertThat(started.rollout()).isEqualTo("ROLLING_OUT");
        assertThat(started.history()).singleElement().satisfies(v -> {
            assertThat(v.state()).isEqualTo(ArtifactVersion.ROLLING_OUT);
            assertThat(v.source()).isEqualTo("upload");
        });
        String digest = started.history().get(0).digest();
        List<Integer> serving = new ArrayList<>();
        for (int step = 0; step < 20 && core.artifact("hello").deployed() != 1; step++) {
            // never fewer RUNNING processes than desired, never more than one extra
            long running = core.processes("hello").stream().filter(p -> p.state() == ProcessState.RUNNING).count();
            serving.add((int) running);
            assertThat(core.processes("hello").stream().filter(p -> p.state() != ProcessState.STOPPING)).hasSizeBetween(3, 4);
            agentRunsAll(agent);
            core.reconcile();
        }

        assertThat(serving).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(3));
        ArtifactStatus done = core.artifact("hello");
        assertThat(done.deployed()).isEqualTo(1);
        assertThat(done.rollout()).isEqualTo("IDLE");
        assertThat(done.history().get(0).state()).isEqualTo(ArtifactVersion.DEPLOYED);
        agentRunsAll(agent);
        assertThat(liveArtifactVersions("hello")).containsExactly(1, 1, 1);
        assertThat(desired(agent)).hasSize(3);
        DesiredState state = core.desiredState(agent.agentId(), agent.secret(), 0).toCompletableFuture().get(1, TimeUnit.SECONDS);
        assertThat(state.processes()).extracting(DesiredProcess::artifactDigest).containsOnly(digest);
        assertThat(core.subscription("hello").artifact()).isEqualTo(
                new io.stratos.lxc.api.controller.Subscription.Artifact(1, digest, 1, digest, "IDLE"));
    }

    @Test
    void aVersionWhoseNewProcessFailsStopsTheRolloutAndTheOldVersionKeepsServing() {
        AgentCredentials agent = readyVms(1).get(0);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 2, 5, null));
        agentRunsAll(agent);
        core.deployArtifact("hello", bytes("v1"));
        for (int i = 0; i < 10 && core.artifact("hello").deployed() != 1; i++) {
            agentRunsAll(agent);
            core.reconcile();
        }
        assertThat(core.artifact("hello").deployed()).isEqualTo(1);

        core.deployArtifact("hello", bytes("v2 broken"));
        String surge = core.processes("hello").stream().filter(p -> p.artifact() == 2).findFirst().orElseThrow().id();
        // its health check keeps failing: STARTING, past the rollout's health timeout
        agentRuns(agent, ProcessState.STARTING, java.util.Set.of(surge));
        clock.millis += TimeUnit.SECONDS.toMillis(ControllerSettings.DEFAULT_ROLLOUT_HEALTH_TIMEOUT_SECONDS + 1);
        agentRuns(agent, ProcessState.STARTING, java.util.Set.of(surge)); // its heartbeat: the VM is not lost
        core.reconcile();

        ArtifactStatus status = core.artifact("hello");
        assertThat(status.desired()).isEqualTo(1);
        assertThat(status.deployed()).isEqualTo(1);
        assertThat(status.rollout()).isEqualTo("FAILED");
        assertThat(status.history().get(0)).satisfies(v -> {
            assertThat(v.number()).isEqualTo(2);
            assertThat(v.state()).isEqualTo(ArtifactVersion.FAILED);
            assertThat(v.reason()).contains(surge).contains("answered HTTP 500").contains("rolled back to version 1");
        });
        assertThat(status.history().get(1).state()).isEqualTo(ArtifactVersion.DEPLOYED);
        agentRunsAll(agent);
        assertThat(liveArtifactVersions("hello")).containsExactly(1, 1);
        assertThat(core.processes("hello")).filteredOn(p -> p.state() == ProcessState.RUNNING).hasSize(2);
    }

    @Test
    void aProcessReportedFailedStopsTheRolloutAtOnce() {
        AgentCredentials agent = readyVms(1).get(0);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 1, 5, null));
        agentRunsAll(agent);

        core.deployArtifact("hello", bytes("v1"));
        String surge = core.processes("hello").stream().filter(p -> p.artifact() == 1).findFirst().orElseThrow().id();
        agentRuns(agent, ProcessState.FAILED, java.util.Set.of(surge));

        assertThat(core.artifact("hello").history().get(0).state()).isEqualTo(ArtifactVersion.FAILED);
        assertThat(core.artifact("hello").desired()).isZero();
        assertThat(liveArtifactVersions("hello")).containsExactly(0);
    }
}
