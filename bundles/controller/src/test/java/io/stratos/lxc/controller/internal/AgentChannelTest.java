package io.stratos.lxc.controller.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratos.lxc.api.agent.AgentCredentials;
import io.stratos.lxc.api.agent.AgentRegistration;
import io.stratos.lxc.api.agent.AgentReport;
import io.stratos.lxc.api.agent.DesiredState;
import io.stratos.lxc.api.agent.ProcessReport;
import io.stratos.lxc.api.controller.CartridgeProcess;
import io.stratos.lxc.api.controller.PartitionVm;
import io.stratos.lxc.api.controller.ProcessMetrics;
import io.stratos.lxc.api.controller.ProcessState;
import io.stratos.lxc.api.controller.Resources;
import io.stratos.lxc.api.controller.SubscriptionSpec;
import io.stratos.lxc.api.controller.VmState;
import io.stratos.lxc.api.iaas.VmSpec;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The agents' side: registration, authentication, status reports and the long polls of the desired state. */
class AgentChannelTest extends ControllerFixture {

    @Test
    void anAgentWithTheJoinTokenRegistersAndItsVmBecomesReady() {
        List<AgentCredentials> agents = readyVms(1);

        assertThat(agents).hasSize(1);
        assertThat(core.vms()).extracting(PartitionVm::state).containsOnly(VmState.READY);
        assertThat(core.partition("web").readyVms()).isEqualTo(1);
    }

    @Test
    void aVmShowsItsAgentsVersionAndTheImagesInItsCacheAsLastReported() {
        AgentCredentials agent = readyVms(1).get(0);
        assertThat(core.vms().get(0).agentVersion()).isEqualTo("test");
        assertThat(core.vms().get(0).cachedImages()).isEmpty();

        core.report(agent.agentId(), agent.secret(), new AgentReport(0, List.of(), List.of("sha256:" + "a".repeat(64)), "1.2.3"));
        assertThat(core.vms().get(0).cachedImages()).containsExactly("sha256:" + "a".repeat(64));
        // the heartbeat carries the version too: a restarted controller learns it without a new registration
        assertThat(core.vms().get(0).agentVersion()).isEqualTo("1.2.3");
    }

    @Test
    void aWrongJoinTokenIsRefusedWithoutSayingWhetherTheVmExists() {
        core.createPartition(partition(1));
        String vmId = core.vms().get(0).id();

        assertThatThrownBy(() -> core.register(new AgentRegistration("wrong", vmId, "web", null, List.of("lxc"), List.of(), "t")))
                .hasMessage("unknown VM or wrong join token");
        assertThatThrownBy(() -> core.register(new AgentRegistration("wrong", "nope", "web", null, List.of("lxc"), List.of(), "t")))
                .hasMessage("unknown VM or wrong join token");
    }

    @Test
    void aLongPollIsAnsweredAsSoonAsTheDesiredStateChanges() throws Exception {
        AgentCredentials agent = readyVms(1).get(0);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 1, 5, null));
        DesiredState first = core.desiredState(agent.agentId(), agent.secret(), 0).toCompletableFuture().get();

        CompletableFuture<DesiredState> poll = core.desiredState(agent.agentId(), agent.secret(), first.revision()).toCompletableFuture();
        assertThat(poll).isNotDone();
        core.scale("hello", 3);

        DesiredState next = poll.get(1, TimeUnit.SECONDS);
        assertThat(next.revision()).isGreaterThan(first.revision());
        assertThat(next.processes()).hasSize(3);
    }

    @Test
    void theDesiredStateNamesThePolicysApplicationMetricsAndTheirReportShowsInTheProcess() throws Exception {
        core.policyExists(name -> true);
        core.applicationMetrics(policy -> policy.equals("queue") ? List.of("queue_depth") : List.of());
        AgentCredentials agent = readyVms(1).get(0);
        core.subscribe("alice", new SubscriptionSpec("jobs", "static-httpd", null, "queue", 1, 5, null));
        core.subscribe("alice", new SubscriptionSpec("web", "static-httpd", null, null, 1, 5, null));

        DesiredState desired = core.desiredState(agent.agentId(), agent.secret(), 0).toCompletableFuture().get();
        assertThat(desired.processes()).extracting(p -> p.alias() + "=" + p.applicationMetrics())
                .containsExactlyInAnyOrder("jobs=[queue_depth]", "web=[]");

        String id = core.processes("jobs").get(0).id();
        ProcessMetrics scraped = new ProcessMetrics(5, 1 << 20, 64 << 20, 3, 0)
                .withApplication(java.util.Map.of("queue_depth", 12.0), null);
        core.report(agent.agentId(), agent.secret(), new AgentReport(desired.revision(),
                List.of(new ProcessReport(id, ProcessState.RUNNING, 20000, "", scraped)), List.of()));
        assertThat(core.processes("jobs").get(0).metrics().application()).containsEntry("queue_depth", 12.0);

        ProcessMetrics garbage = new ProcessMetrics(5, 1 << 20, 64 << 20, 3, 0)
                .withApplication(java.util.Map.of(), "metrics GET /metrics: answered HTTP 500; ignored");
        core.report(agent.agentId(), agent.secret(), new AgentReport(desired.revision(),
                List.of(new ProcessReport(id, ProcessState.RUNNING, 20000, "", garbage)), List.of()));
        assertThat(core.processes("jobs").get(0).metrics().applicationProblem()).contains("HTTP 500");
        assertThat(core.processes("jobs").get(0).metrics().application()).isEmpty();
    }

    @Test
    void agentReportsUpdateProcessesAndScaledDownOnesDisappearOnceStopped() {
        AgentCredentials agent = readyVms(1).get(0);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 1, 5, null));
        core.scale("hello", 2);
        List<ProcessReport> running = core.processes("hello").stream()
                .map(p -> new ProcessReport(p.id(), ProcessState.RUNNING, 20000, "", new ProcessMetrics(5, 1 << 20, 64 << 20, 3, 0)))
                .toList();
        core.report(agent.agentId(), agent.secret(), new AgentReport(0, running, List.of()));
        assertThat(core.processes("hello")).extracting(CartridgeProcess::state).containsOnly(ProcessState.RUNNING);

        core.scale("hello", 1);
        assertThat(core.processes("hello")).extracting(CartridgeProcess::state).contains(ProcessState.STOPPING);
        CartridgeProcess kept = core.processes("hello").stream().filter(p -> p.state() == ProcessState.RUNNING).findFirst().orElseThrow();
        core.report(agent.agentId(), agent.secret(), new AgentReport(0,
                running.stream().filter(r -> r.processId().equals(kept.id())).toList(), List.of()));

        assertThat(core.processes("hello")).extracting(CartridgeProcess::id).containsExactly(kept.id());
        assertThat(core.vms().get(0).allocated()).isEqualTo(new Resources(250, 64));
    }

    @Test
    void aReportThatChangesNothingAnswersNoLongPollAndKeepsTheRevision() throws Exception {
        AgentCredentials agent = readyVms(1).get(0);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 1, 5, null));
        core.scale("hello", 2);
        reportAllRunning(List.of(agent));
        DesiredState now = core.desiredState(agent.agentId(), agent.secret(), 0).toCompletableFuture().get(1, TimeUnit.SECONDS);
        CompletableFuture<DesiredState> poll = core.desiredState(agent.agentId(), agent.secret(), now.revision()).toCompletableFuture();

        reportAllRunning(List.of(agent));
        reportAllRunning(List.of(agent));

        assertThat(poll).isNotDone();
        assertThat(core.processes("hello")).extracting(CartridgeProcess::state).containsOnly(ProcessState.RUNNING);
        // a report that does change something (here: a process stopped by the agent) is still seen
        core.scale("hello", 1);
        assertThat(poll.get(1, TimeUnit.SECONDS).processes()).hasSize(1);
    }

    @Test
    void anAgentIsAuthenticatedByItsSecretWithoutWaitingForTheControllersLock() throws Exception {
        core.createPartition(partition(1));
        String unregistered = core.vms().get(0).id();
        assertThat(core.authenticates(unregistered, "")).isFalse();
        core.reconcile();
        VmSpec spec = adapter.created.values().iterator().next();
        AgentCredentials agent = core.register(new AgentRegistration(spec.joinToken(), spec.vmId(), "web", new Resources(1000, 1024),
                List.of("lxc"), List.of(), "test", null, "10.214.0.2"));

        assertThat(core.authenticates(agent.agentId(), agent.secret())).isTrue();
        assertThat(core.authenticates(agent.agentId(), "0".repeat(32))).isFalse();
        assertThat(core.authenticates("nope", agent.secret())).isFalse();
        assertThat(core.authenticates(null, agent.secret())).isFalse();
        assertThat(core.authenticates(agent.agentId(), null)).isFalse();

        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Thread holder = new Thread(() -> {
            synchronized (core) {
                held.countDown();
                try {
                    release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        holder.start();
        try {
            held.await(5, TimeUnit.SECONDS);
            assertThat(CompletableFuture.supplyAsync(() -> core.authenticates(agent.agentId(), agent.secret()))
                    .get(2, TimeUnit.SECONDS)).isTrue();
        } finally {
            release.countDown();
            holder.join();
        }

        core = newCore(); // the secret survives a restart
        assertThat(core.authenticates(agent.agentId(), agent.secret())).isTrue();
    }
}
