package io.stratos.lxc.controller.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.agent.AgentCredentials;
import io.stratos.lxc.api.agent.AgentReport;
import io.stratos.lxc.api.agent.DesiredState;
import io.stratos.lxc.api.agent.ProcessReport;
import io.stratos.lxc.api.controller.CartridgeProcess;
import io.stratos.lxc.api.controller.ProcessMetrics;
import io.stratos.lxc.api.controller.ProcessState;
import io.stratos.lxc.api.controller.Resources;
import io.stratos.lxc.api.controller.SubscriptionSpec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Subscriptions and their processes: created, placed, scaled down through the drain, forgotten. */
class ProcessSchedulerTest extends ControllerFixture {

    @Test
    void subscribingPlacesProcessesAndTheAgentSeesThemInItsDesiredState() throws Exception {
        AgentCredentials agent = readyVms(1).get(0);

        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 2, 5, Map.of("GREETING", "hi")));

        List<CartridgeProcess> processes = core.processes("hello");
        assertThat(processes).hasSize(2).allSatisfy(p -> {
            assertThat(p.vmId()).isEqualTo(agent.agentId());
            assertThat(p.state()).isEqualTo(ProcessState.STARTING);
            assertThat(p.runtime()).isEqualTo("lxc");
        });
        DesiredState desired = core.desiredState(agent.agentId(), agent.secret(), 0).toCompletableFuture().get(1, TimeUnit.SECONDS);
        assertThat(desired.processes()).hasSize(2).allSatisfy(d -> {
            assertThat(d.imageDigest()).isEqualTo("sha256:abc");
            assertThat(d.env()).containsEntry("GREETING", "hi");
            assertThat(d.memoryMiB()).isEqualTo(64);
        });
        assertThat(core.vms().get(0).allocated()).isEqualTo(new Resources(500, 128));
    }

    @Test
    void processesSpreadOverVmsThenPackTheMostAllocatedOne() {
        readyVms(2);
        core.subscribe("alice", new SubscriptionSpec("one", "static-httpd", null, null, 2, 5, null));

        assertThat(core.processes("one")).extracting(CartridgeProcess::vmId).doesNotHaveDuplicates();

        core.subscribe("bob", new SubscriptionSpec("two", "static-httpd", null, null, 1, 5, null));
        core.scale("one", 3);
        // Both VMs hold one of "one"; "two" went to one of them; the third "one" packs onto the fuller VM.
        String fuller = core.processes("two").get(0).vmId();
        assertThat(core.processes("one")).extracting(CartridgeProcess::vmId).filteredOn(fuller::equals).hasSize(2);
    }

    @Test
    void whenNoVmHasRoomTheProcessStaysPendingWithTheReasonAndThePartitionShowsTheShortfall() {
        readyVms(1);
        core.subscribe("alice", new SubscriptionSpec("big", "static-httpd", null, null, 1, 10, null));
        core.scale("big", 5); // 5 x 250m on a 1000m VM: the fifth does not fit

        List<CartridgeProcess> pending = core.processes("big").stream().filter(p -> p.state() == ProcessState.PENDING).toList();
        assertThat(pending).hasSize(1);
        assertThat(pending.get(0).reason()).contains("no ready VM of partition 'web' has 250m CPU and 64 MiB free");
        assertThat(core.partition("web").pending()).isEqualTo(1);
        assertThat(core.partition("web").shortfall()).isEqualTo(new Resources(250, 64));
    }

    /** Scale-in with a router in front: a leaving process stops only once the router has drained it. */
    @Test
    void aScaledDownProcessLeavesServiceAtOnceButStopsOnlyOnceDrained() throws Exception {
        Map<String, Boolean> drained = new ConcurrentHashMap<>();
        List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        core.drains(() -> List.of((alias, id) -> {
            asked.add(alias + "/" + id);
            return drained.getOrDefault(id, false);
        }));
        AgentCredentials agent = readyVms(1).get(0);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 1, 5, null));
        core.scale("hello", 3);
        List<ProcessReport> running = core.processes("hello").stream()
                .map(p -> new ProcessReport(p.id(), ProcessState.RUNNING, 20000, "", ProcessMetrics.NONE)).toList();
        core.report(agent.agentId(), agent.secret(), new AgentReport(0, running, List.of()));

        core.scale("hello", 2);
        CartridgeProcess leaving = core.processes("hello").stream().filter(p -> p.state() == ProcessState.STOPPING)
                .findFirst().orElseThrow();
        assertThat(leaving.reason()).contains("draining");
        // out of service (STOPPING: no longer a router backend) but its agent keeps running it
        assertThat(desired(agent)).contains(leaving.id()).hasSize(3);
        core.reconcile();
        core.report(agent.agentId(), agent.secret(), new AgentReport(0, running, List.of()));
        assertThat(asked).contains("hello/" + leaving.id());
        assertThat(desired(agent)).contains(leaving.id());
        assertThat(core.processes("hello")).filteredOn(p -> p.id().equals(leaving.id()))
                .extracting(CartridgeProcess::state).containsExactly(ProcessState.STOPPING);

        drained.put(leaving.id(), true);
        core.reconcile();
        assertThat(desired(agent)).doesNotContain(leaving.id()).hasSize(2);
        core.report(agent.agentId(), agent.secret(), new AgentReport(0,
                running.stream().filter(r -> !r.processId().equals(leaving.id())).toList(), List.of()));
        assertThat(core.processes("hello")).hasSize(2).extracting(CartridgeProcess::state).containsOnly(ProcessState.RUNNING);
    }

    @Test
    void aProcessThatDoesNotDrainStopsAfterTheDrainTimeoutAndOneNotServingStopsAtOnce() throws Exception {
        core.drains(() -> List.of((alias, id) -> false));
        AgentCredentials agent = readyVms(1).get(0);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 1, 5, null));
        core.scale("hello", 2);
        CartridgeProcess serving = core.processes("hello").get(0);
        core.report(agent.agentId(), agent.secret(), new AgentReport(0,
                List.of(new ProcessReport(serving.id(), ProcessState.RUNNING, 20000, "", ProcessMetrics.NONE)), List.of()));

        // the STARTING one goes first and at once: nothing was routed to it
        core.scale("hello", 1);
        assertThat(desired(agent)).containsExactly(serving.id());

        core.scale("hello", 2);
        List<ProcessReport> both = core.processes("hello").stream()
                .map(p -> new ProcessReport(p.id(), ProcessState.RUNNING, 20000, "", ProcessMetrics.NONE)).toList();
        core.report(agent.agentId(), agent.secret(), new AgentReport(0, both, List.of()));
        core.scale("hello", 1);
        String leaving = core.processes("hello").stream().filter(p -> p.state() == ProcessState.STOPPING).findFirst().orElseThrow().id();
        core.reconcile();
        assertThat(desired(agent)).contains(leaving);
        clock.millis += TimeUnit.SECONDS.toMillis(ControllerSettings.DEFAULT_DRAIN_TIMEOUT_SECONDS) + 1;
        core.report(agent.agentId(), agent.secret(), new AgentReport(0, both, List.of())); // the agent is alive
        core.reconcile();
        assertThat(desired(agent)).doesNotContain(leaving).hasSize(1);
    }

    @Test
    void unsubscribingFreesTheAlias() {
        readyVms(1);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 2, 5, null));
        core.unsubscribe("hello");

        assertThat(core.processes()).isEmpty();
        assertThat(core.vms().get(0).allocated()).isEqualTo(Resources.ZERO);
        core.subscribe("bob", new SubscriptionSpec("hello", "static-httpd", null, null, 1, 5, null));
        assertThat(core.subscription("hello").tenant()).isEqualTo("bob");
    }

    @Test
    void aSubscriptionsCountsPerStateFollowPlacementReportsScalingLostVmsAndARestart() {
        List<AgentCredentials> agents = readyVms(2);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 1, 10, null));
        core.scale("hello", 3);
        core.subscribe("alice", new SubscriptionSpec("big", "static-httpd", null, null, 6, 10, null)); // 9 x 250m on 2 x 1000m
        countsMatchProcesses();
        assertThat(core.subscription("big").processes()).containsEntry(ProcessState.PENDING, 1);

        reportAllRunning(agents);
        countsMatchProcesses();
        CartridgeProcess one = core.processes("hello").get(0);
        AgentCredentials itsAgent = agents.stream().filter(a -> a.agentId().equals(one.vmId())).findFirst().orElseThrow();
        core.report(itsAgent.agentId(), itsAgent.secret(), new AgentReport(0, List.of(
                new ProcessReport(one.id(), ProcessState.FAILED, 0, "exited 1", ProcessMetrics.NONE)), List.of()));
        countsMatchProcesses();
        assertThat(core.subscription("hello").processes()).containsEntry(ProcessState.FAILED, 1);

        core.scale("hello", 1);
        countsMatchProcesses();
        assertThat(core.subscription("hello").processes()).containsKey(ProcessState.STOPPING);

        AgentCredentials survivor = agents.get(0);
        clock.millis += 31_000;
        reportAllRunning(List.of(survivor));
        core.reconcile();
        countsMatchProcesses();

        core = newCore(); // a restart counts what it loads
        countsMatchProcesses();
        core.unsubscribe("big");
        countsMatchProcesses();
        assertThat(core.counts().get("pending")).isZero();
    }

    @Test
    void aSubscriptionBelongsToTheTenantItNamesAndATenantNameIsAUserName() {
        readyVms(1);

        core.subscribe("root", new SubscriptionSpec("shop", "static-httpd", null, null, 1, 2, null, "alice"));

        assertThat(core.subscription("shop").tenant()).isEqualTo("alice");
        assertThatThrownBy(() -> core.subscribe("root", new SubscriptionSpec("bad", "static-httpd", null, null, 1, 2, null, "x\ny")))
                .hasMessageContaining("is not a user name");
        assertThat(core.subscriptions()).hasSize(1);
    }
}
