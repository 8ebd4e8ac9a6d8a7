package io.stratos.lxc.metrics.internal;

import io.stratos.lxc.api.controller.CartridgeProcess;
import io.stratos.lxc.api.controller.CloudController;
import io.stratos.lxc.api.controller.Partition;
import io.stratos.lxc.api.controller.PartitionVm;
import io.stratos.lxc.api.controller.ProcessMetrics;
import io.stratos.lxc.api.controller.ProcessState;
import io.stratos.lxc.api.controller.Resources;
import io.stratos.lxc.api.controller.Subscription;
import io.stratos.lxc.api.controller.VmState;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A controller that answers the read calls the collector makes from a fleet built in memory: partitions, VMs,
 * subscriptions and their processes (every other call fails). The collector's own code runs against it unchanged.
 */
final class FakeFleet {

    final List<Partition> partitions = new ArrayList<>();
    final List<PartitionVm> vms = new ArrayList<>();
    final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    final Map<String, List<CartridgeProcess>> processes = new LinkedHashMap<>();

    FakeFleet partition(String name, String cartridge, int vmCount, Resources capacity, Instant lastReport) {
        partitions.add(new Partition(name, cartridge, "local", 0, 100_000, capacity, Map.of(), "ACTIVE", vmCount, vmCount,
                vmCount, 0, Resources.ZERO));
        for (int i = 0; i < vmCount; i++) {
            vms.add(new PartitionVm(name + "-vm" + i, name, "local", "ref" + i, VmState.READY, capacity, Resources.ZERO, 0,
                    List.of("lxc"), "agent" + i, lastReport.toString(), null, "1", List.of()));
        }
        return this;
    }

    /** A subscription whose processes are RUNNING, spread over the partition's VMs, each with the same figures. */
    FakeFleet subscription(String alias, String cartridge, String partition, int running, ProcessMetrics metrics) {
        List<PartitionVm> partitionVms = vms.stream().filter(v -> v.partition().equals(partition)).toList();
        List<CartridgeProcess> list = new ArrayList<>(running);
        Resources request = new Resources(100, 64);
        for (int i = 0; i < running; i++) {
            int index = partitionVms.isEmpty() ? -1 : i % partitionVms.size();
            String vm = index < 0 ? null : partitionVms.get(index).id();
            list.add(new CartridgeProcess(alias + "-p" + i, alias, cartridge, "1.0", vm, "lxc", ProcessState.RUNNING,
                    20_000 + i, null, request, metrics, 0));
            if (index >= 0) {
                PartitionVm v = vms.get(vms.indexOf(partitionVms.get(index)));
                vms.set(vms.indexOf(v), new PartitionVm(v.id(), v.partition(), v.adapter(), v.adapterRef(), v.state(),
                        v.capacity(), v.allocated().plus(request), v.processes() + 1, v.runtimes(), v.agentId(),
                        v.lastHeartbeat(), v.detail(), v.agentVersion(), v.cachedImages()));
                partitionVms = vms.stream().filter(x -> x.partition().equals(partition)).toList();
            }
        }
        Map<ProcessState, Integer> counts = new EnumMap<>(ProcessState.class);
        counts.put(ProcessState.RUNNING, running);
        subscriptions.put(alias, new Subscription(alias, "tenant1", cartridge, "1.0", "sha256:00", null, 0, 1_000_000,
                running, Map.of(), counts, alias + ".example", Instant.EPOCH.toString()));
        processes.put(alias, list);
        return this;
    }

    CloudController controller() {
        InvocationHandler handler = (proxy, method, args) -> switch (method.getName()) {
            case "subscriptions" -> List.copyOf(subscriptions.values());
            case "partitions" -> List.copyOf(partitions);
            case "vms" -> List.copyOf(vms);
            case "processes" -> args == null ? processes.values().stream().flatMap(List::stream).toList()
                    : processes.getOrDefault((String) args[0], List.of());
            default -> {
                if (method.isDefault()) {
                    yield InvocationHandler.invokeDefault(proxy, method, args);
                }
                throw new UnsupportedOperationException(method.getName());
            }
        };
        return (CloudController) Proxy.newProxyInstance(CloudController.class.getClassLoader(),
                new Class<?>[] {CloudController.class}, handler);
    }
}
