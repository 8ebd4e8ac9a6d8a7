package io.stratos.lxc.controller.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.agent.AgentCredentials;
import io.stratos.lxc.api.agent.AgentRegistration;
import io.stratos.lxc.api.agent.AgentReport;
import io.stratos.lxc.api.agent.ProcessReport;
import io.stratos.lxc.api.controller.CartridgeProcess;
import io.stratos.lxc.api.controller.PartitionSpec;
import io.stratos.lxc.api.controller.PartitionVm;
import io.stratos.lxc.api.controller.ProcessMetrics;
import io.stratos.lxc.api.controller.ProcessState;
import io.stratos.lxc.api.controller.Resources;
import io.stratos.lxc.api.controller.SubscriptionSpec;
import io.stratos.lxc.api.controller.VmState;
import io.stratos.lxc.api.iaas.VmSpec;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;

/** A VM is a host on a network: its agent says its address, which the controller checks, keeps and shows. */
class VmAddressTest extends ControllerFixture {

    private AgentRegistration first(VmSpec spec, String address) {
        return new AgentRegistration(spec.joinToken(), spec.vmId(), "web", new Resources(1000, 1024), List.of("lxc"), List.of(),
                "test", null, address);
    }

    private VmSpec oneVm(Map<String, String> template) {
        core.createPartition(new PartitionSpec("web", "static-httpd", "local", 1, 4, new Resources(1000, 1024), template));
        core.reconcile();
        return adapter.created.values().iterator().next();
    }

    private static void refusedNaming(String field, String message, ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOfSatisfying(StratosException.class, e -> {
            assertThat(e.kind()).isEqualTo(StratosException.Kind.INVALID_INPUT);
            assertThat(e.field()).isEqualTo(field);
            assertThat(e.getMessage()).contains(message);
            assertThat(e.hint()).contains("publishAddress");
        });
    }

    @Test
    void aRegisteredVmShowsItsAddressAndEachProcessItsEndpointThere() {
        VmSpec spec = oneVm(Map.of());
        AgentCredentials agent = core.register(first(spec, "10.214.0.7"));
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 1, 5, null));
        core.reconcile();
        CartridgeProcess placed = core.processes("hello").get(0);
        assertThat(placed.endpoint()).as("no port reported yet").isNull();

        core.report(agent.agentId(), agent.secret(), new AgentReport(1, List.of(new ProcessReport(placed.id(), ProcessState.RUNNING,
                20001, "", ProcessMetrics.NONE)), List.of()));

        assertThat(core.vms()).extracting(PartitionVm::address).containsExactly("10.214.0.7");
        assertThat(core.processes("hello").get(0).endpoint()).isEqualTo("10.214.0.7:20001");
        // it is kept: a restarted controller knows where the processes are before any agent reports again
        ControllerCore restarted = newCore();
        assertThat(restarted.vms()).extracting(PartitionVm::address).containsExactly("10.214.0.7");
    }

    @Test
    void anIpv6AddressIsKeptNormalisedAndItsEndpointBracketed() {
        VmSpec spec = oneVm(Map.of());
        core.register(first(spec, "FD00:0:0:0:0:0:0:7"));
        assertThat(core.vms().get(0).address()).isEqualTo("fd00:0:0:0:0:0:0:7");
    }

    @Test
    void anAddressThatIsNoUnicastLiteralIsRefusedNamingTheFieldAndTheVmStaysWaiting() {
        VmSpec spec = oneVm(Map.of());
        refusedNaming("address", "not an IP address", () -> core.register(first(spec, "vm1.example.org")));
        refusedNaming("address", "not an IP address", () -> core.register(first(spec, "10.0.0.300")));
        refusedNaming("address", "not an IP address", () -> core.register(first(spec, "10.0.0.1\n")));
        refusedNaming("address", "wildcard", () -> core.register(first(spec, "0.0.0.0")));
        refusedNaming("address", "multicast", () -> core.register(first(spec, "239.1.1.1")));

        assertThat(core.vms().get(0).state()).isEqualTo(VmState.BOOTING);
        assertThat(core.vms().get(0).address()).isNull();
        // the join token was not used up by a refused registration
        assertThat(core.register(first(spec, "10.214.0.2")).agentId()).isEqualTo(spec.vmId());
    }

    @Test
    void loopbackIsOnlyForVmsThatShareTheControllersHost() {
        VmSpec spec = oneVm(Map.of());
        refusedNaming("address", "loopback", () -> core.register(first(spec, "127.0.0.1")));
        refusedNaming("address", "older than addresses", () -> core.register(first(spec, null)));

        adapter.sharesLoopback = true;
        core.register(first(spec, null));
        assertThat(core.vms().get(0).address()).isEqualTo("127.0.0.1");
    }

    @Test
    void anAddressOutsideThePartitionsNetworkIsRefused() {
        VmSpec spec = oneVm(Map.of("network", "10.20.0.0/16"));
        refusedNaming("address", "outside its partition's network 10.20.0.0/16", () -> core.register(first(spec, "10.21.0.5")));
        assertThat(core.register(first(spec, "10.20.3.4")).agentId()).isEqualTo(spec.vmId());
    }

    @Test
    void theAdaptersNetworkHoldsWhenThePartitionNamesNone() {
        adapter.network = Optional.of("10.214.0.0/24");
        VmSpec spec = oneVm(Map.of());
        refusedNaming("address", "outside", () -> core.register(first(spec, "10.215.0.5")));
        assertThat(core.register(first(spec, "10.214.0.5")).agentId()).isEqualTo(spec.vmId());
    }

    @Test
    void aPartitionNetworkThatIsNoRangeIsRefusedAndNothingIsCreated() {
        assertThatThrownBy(() -> core.createPartition(new PartitionSpec("web", "static-httpd", "local", 1, 4,
                new Resources(1000, 1024), Map.of("network", "10.0.0.0/40"))))
                .isInstanceOfSatisfying(StratosException.class, e -> assertThat(e.field()).isEqualTo("template.network"));
        assertThat(core.partitions()).isEmpty();
        assertThat(core.vms()).isEmpty();
    }

    @Test
    void aReportWithANewAddressMovesTheEndpointsAndABadOneIsRefusedKeepingTheOld() {
        VmSpec spec = oneVm(Map.of());
        AgentCredentials agent = core.register(first(spec, "10.214.0.7"));

        core.report(agent.agentId(), agent.secret(), new AgentReport(1, List.of(), List.of(), "test", "10.214.0.8", null));
        assertThat(core.vms().get(0).address()).isEqualTo("10.214.0.8");

        refusedNaming("address", "loopback", () -> core.report(agent.agentId(), agent.secret(),
                new AgentReport(1, List.of(), List.of(), "test", "127.0.0.1", null)));
        assertThat(core.vms().get(0).address()).isEqualTo("10.214.0.8");
    }

    @Test
    void anAgentReportingAProblemLeavesItsVmDegradedWithTheReasonAndWithoutNewProcessesUntilItIsGone() {
        VmSpec spec = oneVm(Map.of());
        AgentCredentials agent = core.register(first(spec, "10.214.0.7"));
        String problem = "publishAddress 10.214.0.7 cannot be bound: Cannot assign requested address";

        core.report(agent.agentId(), agent.secret(), new AgentReport(1, List.of(), List.of(), "test", null, problem));
        assertThat(core.vms().get(0).state()).isEqualTo(VmState.DEGRADED);
        assertThat(core.vms().get(0).detail()).isEqualTo(problem);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 1, 5, null));
        core.reconcile();
        assertThat(core.processes("hello")).extracting(CartridgeProcess::state).containsOnly(ProcessState.PENDING);
        // a degraded VM still counts: the partition does not ask for another in its place
        assertThat(adapter.created).hasSize(1);

        core.report(agent.agentId(), agent.secret(), new AgentReport(1, List.of(), List.of(), "test", null, null));
        core.reconcile();
        assertThat(core.vms().get(0).state()).isEqualTo(VmState.READY);
        assertThat(core.processes("hello")).extracting(CartridgeProcess::vmId).containsOnly(spec.vmId());
    }

    @Test
    void theAllowedSourcesConfiguredGoToEveryAgentAsItRegisters() {
        settings = settings.withAllowedSources(List.of("10.0.1.5/32", "10.0.2.0/24"));
        VmSpec spec = oneVm(Map.of());
        assertThat(core.register(first(spec, "10.214.0.2")).allowedSources()).containsExactly("10.0.1.5/32", "10.0.2.0/24");
    }
}
