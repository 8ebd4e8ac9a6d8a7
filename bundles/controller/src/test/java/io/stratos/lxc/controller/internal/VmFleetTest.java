package io.stratos.lxc.controller.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratos.lxc.api.agent.AgentCredentials;
import io.stratos.lxc.api.agent.AgentReport;
import io.stratos.lxc.api.controller.CartridgeProcess;
import io.stratos.lxc.api.controller.PartitionSpec;
import io.stratos.lxc.api.controller.PartitionVm;
import io.stratos.lxc.api.controller.ProcessState;
import io.stratos.lxc.api.controller.Resources;
import io.stratos.lxc.api.controller.SubscriptionSpec;
import io.stratos.lxc.api.controller.VmState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The VM fleet: partitions created, scaled and deleted; VMs requested, drained, retired, lost, and the adapter asked. */
class VmFleetTest extends ControllerFixture {

    @Test
    void creatingAPartitionRequestsItsMinimumVmsThroughTheAdapter() {
        core.createPartition(partition(2));
        assertThat(core.vms()).extracting(PartitionVm::state).containsOnly(VmState.REQUESTED);

        core.reconcile();

        assertThat(adapter.created).hasSize(2);
        assertThat(core.vms()).extracting(PartitionVm::state).containsOnly(VmState.BOOTING);
        assertThat(adapter.created.values()).allSatisfy(spec -> {
            assertThat(spec.controllerUrl()).isEqualTo("http://127.0.0.1:8181/stratos");
            assertThat(spec.joinToken()).hasSize(32);
        });
    }

    @Test
    void aSilentAgentIsLostAfterTheGracePeriodAndItsProcessesMoveToAnotherVm() {
        List<AgentCredentials> agents = readyVms(2);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 2, 5, null));
        AgentCredentials survivor = agents.get(0);

        clock.millis += 31_000;
        core.report(survivor.agentId(), survivor.secret(), new AgentReport(0, List.of(), List.of()));
        core.reconcile();

        assertThat(core.vms()).filteredOn(vm -> vm.id().equals(agents.get(1).agentId()))
                .extracting(PartitionVm::state).containsExactly(VmState.LOST);
        assertThat(core.processes("hello")).hasSize(2).extracting(CartridgeProcess::vmId).containsOnly(survivor.agentId());
    }

    @Test
    void whileTheAdapterIsAwayVmRequestsWaitAndProceedWhenItReturns() {
        adapters.clear();
        adapters.put("local", adapter);
        core.createPartition(partition(1));
        adapters.remove("local");
        core.reconcile();
        assertThat(core.partition("web").state()).isEqualTo("ADAPTER_UNAVAILABLE");
        assertThat(core.vms()).extracting(PartitionVm::state).containsExactly(VmState.REQUESTED);

        adapters.put("local", adapter);
        core.reconcile();

        assertThat(core.partition("web").state()).isEqualTo("ACTIVE");
        assertThat(core.vms()).extracting(PartitionVm::state).containsExactly(VmState.BOOTING);
    }

    @Test
    void scalingAPartitionOutRequestsVmsWithinItsMaximum() {
        readyVms(1);
        core.scalePartition("web", 3);
        core.reconcile();

        assertThat(adapter.created).hasSize(3);
        assertThat(core.partition("web").desiredVms()).isEqualTo(3);
        assertThatThrownBy(() -> core.scalePartition("web", 5)).hasMessage("partition 'web' can have 1 to 4 VMs, not 5");
    }

    @Test
    void scalingInDrainsAVmMovingItsProcessesBeforeDestroyingIt() {
        List<AgentCredentials> agents = readyVms(2);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 2, 5, null));
        reportAllRunning(agents);
        assertThat(core.processes("hello")).extracting(CartridgeProcess::vmId).doesNotHaveDuplicates();

        core.scalePartition("web", 1);
        String draining = core.vms().stream().filter(vm -> vm.state() == VmState.DRAINING).findFirst().orElseThrow().id();
        core.reconcile();
        // A replacement runs elsewhere before the process on the draining VM stops.
        assertThat(core.processes("hello")).hasSize(3);
        assertThat(core.processes("hello")).filteredOn(p -> draining.equals(p.vmId()))
                .extracting(CartridgeProcess::state).containsExactly(ProcessState.RUNNING);

        reportAllRunning(agents);
        core.reconcile();
        assertThat(core.processes("hello")).filteredOn(p -> draining.equals(p.vmId()))
                .extracting(CartridgeProcess::state).containsExactly(ProcessState.STOPPING);

        reportAllRunning(agents); // the draining VM's agent no longer reports the stopped process
        core.reconcile();

        assertThat(adapter.destroyed).containsExactly(draining);
        assertThat(core.vms()).extracting(PartitionVm::id).doesNotContain(draining);
        assertThat(core.processes("hello")).hasSize(2).extracting(CartridgeProcess::vmId).doesNotContain(draining);
    }

    @Test
    void aDrainingVmWhoseProcessesCannotMoveIsKept() {
        List<AgentCredentials> agents = readyVms(2);
        core.subscribe("alice", new SubscriptionSpec("big", "static-httpd", null, null, 8, 8, null)); // 8 x 250m: both VMs full
        reportAllRunning(agents);

        core.scalePartition("web", 1);
        core.reconcile();
        reportAllRunning(agents);
        core.reconcile();

        assertThat(adapter.destroyed).isEmpty();
        assertThat(core.vms()).hasSize(2);
        assertThat(core.processes("big")).filteredOn(p -> p.state() == ProcessState.RUNNING).hasSize(8);
    }

    @Test
    void aLostVmForgetsItsStoppingProcessesAndRePlacesTheOthers() {
        List<AgentCredentials> agents = readyVms(2);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 1, 5, null));
        core.scale("hello", 4);
        reportAllRunning(agents);
        core.scale("hello", 2); // two processes STOPPING, on whichever VMs
        AgentCredentials survivor = agents.get(0);

        clock.millis += 31_000;
        core.report(survivor.agentId(), survivor.secret(), new AgentReport(0, List.of(), List.of()));
        core.reconcile();

        assertThat(core.processes("hello")).extracting(CartridgeProcess::state).doesNotContain(ProcessState.STOPPING);
        assertThat(core.processes("hello").stream().filter(p -> !p.state().equals(ProcessState.STOPPING)).count()).isEqualTo(2);
        assertThat(core.processes("hello")).extracting(CartridgeProcess::vmId).containsOnly(survivor.agentId());
    }

    @Test
    void aPartitionWhoseVmsCannotBeDestroyedIsNotForgotten() {
        readyVms(1);
        adapters.remove("local");

        assertThatThrownBy(() -> core.deletePartition("web")).hasMessageContaining("IaaS adapter 'local' is unavailable");
        assertThat(core.vms()).hasSize(1);

        adapters.put("local", adapter);
        core.deletePartition("web");
        assertThat(adapter.destroyed).hasSize(1);
        assertThat(core.partitions()).isEmpty();
    }

    @Test
    void theLongestNamesAndAliasesGiveVmAndProcessIdsThatFitTheirColumnsAndContainerNames() {
        String longest = "a" + "-b".repeat(30) + "cd";
        assertThat(longest).hasSize(63);
        core.createPartition(new PartitionSpec(longest, "static-httpd", "local", 1, 1, new Resources(1000, 1024), Map.of()));
        core.subscribe("alice", new SubscriptionSpec(longest, "static-httpd", null, null, 1, 1, null));

        assertThat(core.vms()).singleElement().satisfies(vm -> assertThat(vm.id()).hasSizeLessThanOrEqualTo(63).startsWith("a-b-b"));
        assertThat(core.processes()).singleElement().satisfies(p -> assertThat(p.id()).hasSizeLessThanOrEqualTo(63));
    }
}
