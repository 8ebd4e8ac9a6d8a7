package io.stratos.lxc.controller.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.stratos.lxc.api.agent.AgentCredentials;
import io.stratos.lxc.api.controller.ProcessState;
import io.stratos.lxc.api.controller.SubscriptionSpec;
import io.stratos.lxc.api.event.StratosEvents;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The controller's EventAdmin events: what a scale, the VMs and a rollout post, in Decanter's flat shape; posted only
 * after the commit, and never when the commit fails; nothing recorded while there is no EventAdmin.
 */
class EventPublisherTest extends ControllerFixture {

    final List<Map<String, Object>> posted = new CopyOnWriteArrayList<>();
    final AtomicBoolean eventAdminThere = new AtomicBoolean(true);

    @BeforeEach
    void listen() {
        core.events((topic, properties) -> {
            Map<String, Object> event = new HashMap<>(properties);
            event.put("topic", topic);
            posted.add(event);
        }, eventAdminThere::get);
    }

    /**
     * Waits until everything recorded so far has been posted: events are posted by one thread in commit order,
     * so once the REQUESTED of a VM added now arrives, whatever was committed before it has arrived too.
     */
    private void postedSoFar() {
        int requested = topics("io/stratos/lxc/vm/REQUESTED").size();
        core.scalePartition("web", core.partition("web").desiredVms() + 1);
        core.reconcile();
        await().atMost(Duration.ofSeconds(5)).until(() -> topics("io/stratos/lxc/vm/REQUESTED").size() == requested + 1);
    }

    private List<Map<String, Object>> topics(String prefix) {
        return posted.stream().filter(e -> ((String) e.get("topic")).startsWith(prefix)).toList();
    }

    private List<String> topicsOf(String processId) {
        return posted.stream().filter(e -> processId.equals(e.get(StratosEvents.PROCESS_ID))).map(e -> (String) e.get("topic")).toList();
    }

    /** Decanter's appenders ship String, Number and Boolean values as they are; maps and objects they cannot. */
    private static void flatAndTyped(Map<String, Object> event) {
        assertThat(event.get(StratosEvents.TIMESTAMP)).isInstanceOf(Long.class);
        assertThat(event.get(StratosEvents.TYPE)).isInstanceOf(String.class);
        assertThat(event.values()).allSatisfy(v -> assertThat(v).isInstanceOfAny(String.class, Number.class, Boolean.class));
    }

    @Test
    void aScaleUpPostsEachProcessPendingStartingRunningWithItsSubscriptionVmAndPartition() {
        AgentCredentials agent = readyVms(1).get(0);
        await().atMost(Duration.ofSeconds(5)).until(() -> topics("io/stratos/lxc/vm/READY").size() == 1);
        assertThat(topics(StratosEvents.VM_PREFIX)).extracting(e -> e.get("topic"))
                .containsExactly("io/stratos/lxc/vm/REQUESTED", "io/stratos/lxc/vm/BOOTING", "io/stratos/lxc/vm/READY");
        Map<String, Object> ready = topics("io/stratos/lxc/vm/READY").get(0);
        assertThat(ready).containsEntry("type", "stratos-vm").containsEntry("vmId", agent.agentId()).containsEntry("partition", "web")
                .containsEntry("adapter", "local").containsEntry("state", "READY").containsEntry("previousState", "BOOTING");
        flatAndTyped(ready);

        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 1, 5, null));
        core.scale("hello", 3);
        reportAllRunning(List.of(agent));

        await().atMost(Duration.ofSeconds(5)).until(() -> topics("io/stratos/lxc/process/RUNNING").size() == 3);
        for (var p : core.processes("hello")) {
            assertThat(topicsOf(p.id())).containsExactly("io/stratos/lxc/process/PENDING", "io/stratos/lxc/process/STARTING",
                    "io/stratos/lxc/process/RUNNING");
        }
        Map<String, Object> running = topics("io/stratos/lxc/process/RUNNING").get(0);
        assertThat(running).containsEntry("type", "stratos-process").containsEntry("alias", "hello").containsEntry("tenant", "alice")
                .containsEntry("cartridge", "static-httpd").containsEntry("cartridgeVersion", "1.0").containsEntry("vmId", agent.agentId())
                .containsEntry("partition", "web").containsEntry("state", "RUNNING").containsEntry("previousState", "STARTING")
                .containsEntry("artifactVersion", 0);
        flatAndTyped(running);
        Map<String, Object> pending = topics("io/stratos/lxc/process/PENDING").get(0);
        assertThat(pending).containsEntry("previousState", "").containsEntry("state", "PENDING");
        assertThat((Long) running.get("timestamp")).isEqualTo(clock.millis());

        core.scale("hello", 1);
        await().atMost(Duration.ofSeconds(5)).until(() -> topics("io/stratos/lxc/process/STOPPING").size() == 2);
        assertThat(topics("io/stratos/lxc/process/STOPPING")).allSatisfy(e ->
                assertThat(e).containsEntry("previousState", "RUNNING").containsKey("reason"));
    }

    @Test
    void aFailedCommitPostsNothingOfWhatItRecorded() throws Exception {
        AgentCredentials agent = readyVms(1).get(0);
        await().atMost(Duration.ofSeconds(5)).until(() -> topics("io/stratos/lxc/vm/READY").size() == 1);
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            // every new process's INSERT fails: the subscription's commit rolls back
            s.execute("ALTER TABLE processes ADD CONSTRAINT no_new_process CHECK (id = 'none')");
        }
        int before = posted.size();

        assertThatThrownBy(() -> core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 2, 5, null)));

        assertThat(core.subscriptions()).isEmpty(); // reloaded from the database: it never happened
        core.reconcile();
        reportAllRunning(List.of(agent));
        postedSoFar();
        assertThat(posted.subList(before, posted.size())).extracting(e -> e.get("topic"))
                .noneMatch(t -> ((String) t).startsWith(StratosEvents.PROCESS_PREFIX));
    }

    @Test
    void aRolloutPostsStartedProgressAndFinished() {
        AgentCredentials agent = readyVms(1).get(0);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 2, 5, null));
        agentRunsAll(agent);

        core.deployArtifact("hello", new java.io.ByteArrayInputStream("v1".getBytes()));
        for (int i = 0; i < 20 && core.artifact("hello").deployed() != 1; i++) {
            agentRunsAll(agent);
            core.reconcile();
        }

        await().atMost(Duration.ofSeconds(5)).until(() -> topics("io/stratos/lxc/rollout/FINISHED").size() == 1);
        List<Object> phases = topics(StratosEvents.ROLLOUT_PREFIX).stream().map(e -> e.get("topic")).toList();
        assertThat(phases.get(0)).isEqualTo(StratosEvents.ROLLOUT_STARTED);
        assertThat(phases).contains(StratosEvents.ROLLOUT_PROGRESS).endsWith(StratosEvents.ROLLOUT_FINISHED);
        Map<String, Object> started = topics(StratosEvents.ROLLOUT_STARTED).get(0);
        assertThat(started).containsEntry("type", "stratos-rollout").containsEntry("alias", "hello").containsEntry("artifactVersion", 1)
                .containsEntry("previousArtifactVersion", 0).containsEntry("state", "STARTED");
        assertThat((String) started.get("digest")).startsWith("sha256:");
        Map<String, Object> finished = topics(StratosEvents.ROLLOUT_FINISHED).get(0);
        assertThat(finished).containsEntry("artifactVersion", 1).containsEntry("previousArtifactVersion", 0);
        assertThat(topics(StratosEvents.ROLLOUT_PROGRESS).get(0)).containsEntry("total", 2).containsKey("updated");
        topics(StratosEvents.ROLLOUT_PREFIX).forEach(EventPublisherTest::flatAndTyped);
    }

    @Test
    void aFailingVersionPostsRolledBackWithWhy() {
        AgentCredentials agent = readyVms(1).get(0);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 1, 5, null));
        agentRunsAll(agent);
        core.deployArtifact("hello", new java.io.ByteArrayInputStream("broken".getBytes()));
        String surge = core.processes("hello").stream().filter(p -> p.artifact() == 1).findFirst().orElseThrow().id();
        agentRuns(agent, ProcessState.FAILED, java.util.Set.of(surge));
        core.reconcile();

        await().atMost(Duration.ofSeconds(5)).until(() -> topics(StratosEvents.ROLLOUT_ROLLED_BACK).size() == 1);
        Map<String, Object> rolledBack = topics(StratosEvents.ROLLOUT_ROLLED_BACK).get(0);
        assertThat(rolledBack).containsEntry("artifactVersion", 1).containsEntry("previousArtifactVersion", 0);
        assertThat((String) rolledBack.get("reason")).contains(surge).contains("rolled back to version 0");
        assertThat(topicsOf(surge)).contains("io/stratos/lxc/process/FAILED");
    }

    @Test
    void withoutEventAdminNothingIsRecordedOrPosted() throws Exception {
        eventAdminThere.set(false);
        AgentCredentials agent = readyVms(1).get(0);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 2, 5, null));
        reportAllRunning(List.of(agent));
        eventAdminThere.set(true); // nothing was kept to post later
        core.subscriptions(); // no commit of its own
        postedSoFar();
        assertThat(posted).as("only the VM added after EventAdmin came")
                .allSatisfy(e -> assertThat((String) e.get("topic")).startsWith(StratosEvents.VM_PREFIX))
                .noneMatch(e -> agent.agentId().equals(e.get("vmId")));
    }

    @Test
    void aHandlerThatHangsNeverHoldsUpTheController() throws Exception {
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        core.events((topic, properties) -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            posted.add(properties);
        });
        long started = System.nanoTime();
        AgentCredentials agent = readyVms(1).get(0);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 3, 5, null));
        reportAllRunning(List.of(agent));
        assertThat(core.processes("hello")).extracting(p -> p.state()).containsOnly(ProcessState.RUNNING);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(5));
        assertThat(posted).isEmpty(); // all waiting on the posting thread
        release.countDown();
        await().atMost(Duration.ofSeconds(5)).until(() -> posted.size() >= 3 + 3 + 3 + 3); // 3 VM, 3 x 3 process events
    }

    @Test
    void aFailingHandlerNeverFailsTheOperation() {
        core.events((topic, properties) -> {
            throw new IllegalStateException("handler broken");
        });
        AgentCredentials agent = readyVms(1).get(0);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 2, 5, null));
        reportAllRunning(List.of(agent));
        assertThat(core.processes("hello")).extracting(p -> p.state()).containsOnly(ProcessState.RUNNING);
    }

}
