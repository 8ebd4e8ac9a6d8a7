package io.stratos.lxc.controller.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratos.lxc.api.agent.AgentCredentials;
import io.stratos.lxc.api.artifact.ArtifactStatus;
import io.stratos.lxc.api.artifact.ArtifactVersion;
import io.stratos.lxc.api.artifact.GitArtifactSpec;
import io.stratos.lxc.api.controller.CartridgeProcess;
import io.stratos.lxc.api.controller.SubscriptionSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Artifact versions: uploads, git, refresh, history and the store's garbage collection. */
class ArtifactServiceTest extends ControllerFixture {

    @Test
    void theSameContentTwiceIsOneVersionAndAStateSurvivesARestart() {
        AgentCredentials agent = readyVms(1).get(0);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 1, 5, null));
        agentRunsAll(agent);
        core.deployArtifact("hello", bytes("v1"));
        core.deployArtifact("hello", bytes("v1"));
        assertThat(core.artifact("hello").history()).hasSize(1);

        core.deployArtifact("hello", bytes("v2"));
        ArtifactStatus before = core.artifact("hello");
        assertThat(before.history()).extracting(ArtifactVersion::state).containsExactly(ArtifactVersion.ROLLING_OUT, ArtifactVersion.CANCELLED);

        core = newCore();
        assertThat(core.artifact("hello")).isEqualTo(before);
        assertThat(core.processes("hello")).extracting(CartridgeProcess::artifact).containsExactlyInAnyOrderElementsOf(
                before.history().isEmpty() ? List.of() : core.processes("hello").stream().map(CartridgeProcess::artifact).toList());
    }

    @Test
    void aGitArtifactRollsOutAndARefreshRollsOutOnlyANewCommit() {
        AgentCredentials agent = readyVms(1).get(0);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 1, 5, null));
        agentRunsAll(agent);
        refs.put("main", new String[] {"a".repeat(40), "first"});

        ArtifactStatus first = core.deployArtifact("hello", new GitArtifactSpec("git://127.0.0.1:9418/app", null));
        assertThat(first.history().get(0)).satisfies(v -> {
            assertThat(v.source()).isEqualTo("git");
            assertThat(v.ref()).isEqualTo("main");
            assertThat(v.commit()).isEqualTo("a".repeat(40));
        });
        assertThat(core.refreshArtifact("hello").history()).hasSize(1);

        refs.put("main", new String[] {"b".repeat(40), "second"});
        ArtifactStatus refreshed = core.refreshArtifact("hello");

        assertThat(refreshed.history()).hasSize(2);
        assertThat(refreshed.history().get(0).commit()).isEqualTo("b".repeat(40));
        assertThat(refreshed.desired()).isEqualTo(2);
    }

    @Test
    void badArtifactRequestsAreRefusedAndChangeNothing() {
        readyVms(1);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 1, 5, null));

        assertThatThrownBy(() -> core.deployArtifact("hello", new GitArtifactSpec("git://127.0.0.1:9418/app", "nope")))
                .hasMessageContaining("ref 'nope' not found");
        assertThatThrownBy(() -> core.deployArtifact("hello", new GitArtifactSpec(" ", "main"))).hasMessageContaining("repository URL");
        assertThatThrownBy(() -> core.refreshArtifact("hello")).hasMessageContaining("no git artifact");
        assertThatThrownBy(() -> core.deployArtifact("nobody", bytes("x"))).hasMessageContaining("no subscription 'nobody'");
        appDir = null;
        assertThatThrownBy(() -> core.deployArtifact("hello", bytes("x"))).hasMessageContaining("has no appDir");

        assertThat(core.artifact("hello").history()).isEmpty();
        assertThat(core.subscription("hello").artifact()).isNull();
        assertThat(artifacts.stored).isEmpty();
    }

    @Test
    void theHistoryKeepsTheNewestVersionsAndTheStoreDropsWhatNoSubscriptionKeeps() {
        readyVms(1);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 1, 5, null));
        for (int i = 1; i <= ControllerSettings.DEFAULT_ARTIFACT_VERSIONS_KEPT + 5; i++) {
            core.deployArtifact("hello", bytes("version " + i));
        }

        ArtifactStatus status = core.artifact("hello");
        assertThat(status.history()).hasSize(ControllerSettings.DEFAULT_ARTIFACT_VERSIONS_KEPT);
        assertThat(status.history().get(0).number()).isEqualTo(ControllerSettings.DEFAULT_ARTIFACT_VERSIONS_KEPT + 5);
        // the oldest go first, except versions a (leaving) process still runs
        java.util.Set<Integer> running = new java.util.HashSet<>();
        core.processes("hello").forEach(p -> running.add(p.artifact()));
        for (ArtifactVersion v : status.history()) {
            assertThat(v.number() > 5 || running.contains(v.number())).as("version " + v.number() + " kept").isTrue();
        }
        java.util.Set<String> kept = core.referencedArtifacts();
        assertThat(kept).hasSize(status.history().size());

        assertThat(artifacts.retainOnly(kept, java.time.Duration.ZERO)).isGreaterThanOrEqualTo(3);
        assertThat(artifacts.stored.keySet()).isEqualTo(kept);
        // the pruned rows are gone from the database too
        assertThat(newCore().artifact("hello").history()).isEqualTo(status.history());
        core.unsubscribe("hello");
        assertThat(core.referencedArtifacts()).isEmpty();
    }
}
