package io.stratos.lxc.autoscaler.history;

import io.stratos.lxc.api.autoscaler.AutoscalePolicy;
import io.stratos.lxc.api.autoscaler.MetricSource;
import io.stratos.lxc.api.controller.CartridgeProcess;
import io.stratos.lxc.api.controller.CloudController;
import io.stratos.lxc.api.controller.Partition;
import io.stratos.lxc.api.controller.PartitionVm;
import io.stratos.lxc.api.controller.ProcessMetrics;
import io.stratos.lxc.api.controller.ProcessState;
import io.stratos.lxc.api.controller.Resources;
import io.stratos.lxc.api.controller.SubscriptionProcesses;
import io.stratos.lxc.api.controller.VmState;
import io.stratos.lxc.autoscaler.history.HistoryStore.PartitionValues;
import io.stratos.lxc.autoscaler.history.HistoryStore.SubscriptionValues;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One sampling pass: what the cloud controller and the {@link MetricSource}s say now, as the autoscaler sees it,
 * into a {@link HistoryStore}. It asks the controller through its one-view calls
 * ({@link CloudController#subscriptionsWithProcesses}, which releases the controller's lock every few thousand
 * processes, then {@link CloudController#partitions()} and {@link CloudController#vms()}) and does its sums outside
 * the lock; it copies only the subscriptions it tracks and as many new ones as the store has room for.
 */
final class HistorySampler {

    private static final Logger LOG = LoggerFactory.getLogger(HistorySampler.class);

    private HistorySampler() {
    }

    static void sample(CloudController controller, List<MetricSource> sources, HistoryStore store, long now) {
        Set<String> tracked = store.trackedSubscriptions();
        int[] room = {Math.max(0, store.settings().maxSubscriptions() - tracked.size())};
        // Quick and calls nothing: the controller tests it under its lock.
        List<SubscriptionProcesses> views = controller.subscriptionsWithProcesses(s -> {
            if (tracked.contains(s.alias())) {
                return true;
            }
            if (room[0] > 0) {
                room[0]--;
                return true;
            }
            return false;
        });
        Map<String, SubscriptionValues> subscriptions = new HashMap<>();
        for (SubscriptionProcesses view : views) {
            String alias = view.subscription().alias();
            subscriptions.put(alias, subscriptionValues(view.subscription().createdAt(), view.processes(),
                    inFlightPerProcess(sources, alias)));
        }
        Map<String, PartitionValues> partitions = store.settings().maxPartitions() == 0 ? Map.of()
                : partitionValues(controller.partitions(), controller.vms());
        store.record(now, subscriptions, partitions);
    }

    /**
     * Requests in flight per process as the autoscaler reads them: every router that knows the alias tells its
     * share; empty when none does (then the agents' reports count).
     */
    static OptionalDouble inFlightPerProcess(List<MetricSource> sources, String alias) {
        double sum = 0;
        boolean known = false;
        for (MetricSource source : sources) {
            try {
                OptionalDouble value = source.value(alias, AutoscalePolicy.REQUESTS_IN_FLIGHT);
                if (value != null && value.isPresent() && Double.isFinite(value.getAsDouble())) {
                    sum += value.getAsDouble();
                    known = true;
                }
            } catch (RuntimeException e) {
                LOG.debug("Metric source {} failed for {}", source, alias, e);
            }
        }
        return known ? OptionalDouble.of(sum) : OptionalDouble.empty();
    }

    /**
     * A subscription's figures over its RUNNING processes: how many, requests in flight in all (the routers' value per
     * process times the processes, else what the agents reported), mean CPU % and summed memory.
     */
    static SubscriptionValues subscriptionValues(String createdAt, List<CartridgeProcess> processes,
                                                 OptionalDouble inFlightPerProcess) {
        int running = 0;
        int measured = 0;
        double cpu = 0;
        long memory = 0;
        long reportedInFlight = 0;
        for (CartridgeProcess p : processes) {
            if (p.state() != ProcessState.RUNNING) {
                continue;
            }
            running++;
            ProcessMetrics m = p.metrics();
            if (m != null) {
                measured++;
                cpu += m.cpuPercent();
                memory += m.memoryBytes();
                reportedInFlight += m.requestsInFlight();
            }
        }
        double inFlight = inFlightPerProcess.isPresent() ? inFlightPerProcess.getAsDouble() * running : reportedInFlight;
        return new SubscriptionValues(createdAt, running, inFlight, measured == 0 ? 0 : cpu / measured, memory);
    }

    /** Each partition's VMs per state, their allocated capacity, and what is free on its READY VMs. */
    static Map<String, PartitionValues> partitionValues(List<Partition> partitions, List<PartitionVm> vms) {
        Map<String, int[]> states = new LinkedHashMap<>();
        Map<String, Resources> allocated = new HashMap<>();
        Map<String, Resources> free = new HashMap<>();
        for (Partition partition : partitions) {
            states.put(partition.name(), new int[VmState.values().length]);
            allocated.put(partition.name(), Resources.ZERO);
            free.put(partition.name(), Resources.ZERO);
        }
        for (PartitionVm vm : vms) {
            int[] counts = states.get(vm.partition());
            if (counts == null) {
                continue; // its partition was deleted between the two calls
            }
            counts[vm.state().ordinal()]++;
            Resources used = vm.allocated() == null ? Resources.ZERO : vm.allocated();
            allocated.merge(vm.partition(), used, Resources::plus);
            if (vm.state() == VmState.READY && vm.capacity() != null) {
                Resources left = vm.capacity().minus(used);
                free.merge(vm.partition(), new Resources(Math.max(0, left.cpuMillis()), Math.max(0, left.memoryMiB())),
                        Resources::plus);
            }
        }
        Map<String, PartitionValues> values = new LinkedHashMap<>();
        states.forEach((name, counts) -> values.put(name, new PartitionValues(counts, allocated.get(name), free.get(name))));
        return values;
    }
}
