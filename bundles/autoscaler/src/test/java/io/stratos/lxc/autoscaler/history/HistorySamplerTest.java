package io.stratos.lxc.autoscaler.history;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratos.lxc.api.autoscaler.MetricSource;
import io.stratos.lxc.api.controller.CartridgeProcess;
import io.stratos.lxc.api.controller.Partition;
import io.stratos.lxc.api.controller.PartitionVm;
import io.stratos.lxc.api.controller.ProcessMetrics;
import io.stratos.lxc.api.controller.ProcessState;
import io.stratos.lxc.api.controller.Resources;
import io.stratos.lxc.api.controller.VmState;
import io.stratos.lxc.autoscaler.history.HistoryStore.PartitionValues;
import io.stratos.lxc.autoscaler.history.HistoryStore.SubscriptionValues;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;

class HistorySamplerTest {

    private static CartridgeProcess process(ProcessState state, double cpu, long memory, int inFlight) {
        return new CartridgeProcess("p", "shop", "php", "1", "vm-1", "lxc", state, 20000, "", new Resources(100, 16),
                new ProcessMetrics(cpu, memory, 256L << 20, 3, inFlight));
    }

    @Test
    void onlyRunningProcessesCountCpuIsTheirMeanAndMemoryTheirSum() {
        List<CartridgeProcess> processes = List.of(process(ProcessState.RUNNING, 10, 100, 1),
                process(ProcessState.RUNNING, 30, 200, 2), process(ProcessState.STARTING, 90, 900, 9));
        SubscriptionValues values = HistorySampler.subscriptionValues("c1", processes, OptionalDouble.empty());
        assertThat(values.running()).isEqualTo(2);
        assertThat(values.cpu()).isEqualTo(20);
        assertThat(values.memoryBytes()).isEqualTo(300);
        // no router knows the alias: what the agents reported
        assertThat(values.inFlight()).isEqualTo(3);
        // the routers' value is per process
        assertThat(HistorySampler.subscriptionValues("c1", processes, OptionalDouble.of(1.5)).inFlight()).isEqualTo(3);
        assertThat(HistorySampler.subscriptionValues("c1", List.of(), OptionalDouble.empty()))
                .isEqualTo(new SubscriptionValues("c1", 0, 0, 0, 0));
    }

    @Test
    void everyRouterAddsItsShareOfRequestsInFlightAndAFailingOneIsLeftOut() {
        MetricSource one = (alias, metric) -> OptionalDouble.of(2);
        MetricSource two = (alias, metric) -> OptionalDouble.of(0.5);
        MetricSource unknown = (alias, metric) -> OptionalDouble.empty();
        MetricSource broken = (alias, metric) -> {
            throw new IllegalStateException("boom");
        };
        assertThat(HistorySampler.inFlightPerProcess(List.of(one, unknown, broken, two), "shop")).hasValue(2.5);
        assertThat(HistorySampler.inFlightPerProcess(List.of(unknown, broken), "shop")).isEmpty();
    }

    @Test
    void partitionsCountVmsPerStateAndFreeCapacityOnlyOnReadyVms() {
        Resources capacity = new Resources(1000, 128);
        Partition web = new Partition("web", "php", "local", 1, 3, capacity, Map.of(), "ACTIVE", 2, 2, 1, 0, Resources.ZERO);
        Partition empty = new Partition("empty", "php", "local", 0, 3, capacity, Map.of(), "ACTIVE", 0, 0, 0, 0, Resources.ZERO);
        List<PartitionVm> vms = List.of(
                vm("vm-1", "web", VmState.READY, capacity, new Resources(300, 32)),
                vm("vm-2", "web", VmState.DRAINING, capacity, new Resources(100, 16)),
                vm("vm-3", "gone", VmState.READY, capacity, new Resources(100, 16)));
        Map<String, PartitionValues> values = HistorySampler.partitionValues(List.of(web, empty), vms);
        assertThat(values).containsOnlyKeys("web", "empty");
        PartitionValues w = values.get("web");
        assertThat(w.vmsByState()[VmState.READY.ordinal()]).isEqualTo(1);
        assertThat(w.vmsByState()[VmState.DRAINING.ordinal()]).isEqualTo(1);
        assertThat(w.allocated()).isEqualTo(new Resources(400, 48));
        assertThat(w.free()).isEqualTo(new Resources(700, 96));
        assertThat(values.get("empty").allocated()).isEqualTo(Resources.ZERO);
    }

    private static PartitionVm vm(String id, String partition, VmState state, Resources capacity, Resources allocated) {
        return new PartitionVm(id, partition, "local", "ref", state, capacity, allocated, 1, List.of("lxc"), id, null, null,
                null, List.of());
    }
}
