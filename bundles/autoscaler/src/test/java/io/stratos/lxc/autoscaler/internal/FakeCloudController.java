package io.stratos.lxc.autoscaler.internal;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.controller.CartridgeProcess;
import io.stratos.lxc.api.controller.CloudController;
import io.stratos.lxc.api.controller.Partition;
import io.stratos.lxc.api.controller.PartitionSpec;
import io.stratos.lxc.api.controller.PartitionVm;
import io.stratos.lxc.api.controller.ProcessMetrics;
import io.stratos.lxc.api.controller.ProcessState;
import io.stratos.lxc.api.controller.Resources;
import io.stratos.lxc.api.controller.Subscription;
import io.stratos.lxc.api.controller.SubscriptionSpec;
import io.stratos.lxc.api.controller.VmState;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A cloud controller whose state the test sets directly; scale calls are recorded and applied. */
class FakeCloudController implements CloudController {

    final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    final Map<String, List<CartridgeProcess>> processes = new LinkedHashMap<>();
    final Map<String, Partition> partitions = new LinkedHashMap<>();
    final List<PartitionVm> vms = new ArrayList<>();
    final List<String> scaleCalls = new ArrayList<>();

    static final Resources REQUEST = new Resources(500, 256);

    void subscribe(String alias, String policy, int min, int max, int desired) {
        subscriptions.put(alias, new Subscription(alias, "default", "php", "1", "sha256:00", policy, min, max, desired,
                Map.of(), Map.of(), "http://" + alias + ".stratos.local:8280/", "2026-01-01T00:00:00Z"));
        processes.put(alias, new ArrayList<>());
    }

    /** Sets the subscription's processes: all RUNNING with this CPU %, memory % and requests in flight. */
    void running(String alias, int count, double cpuPercent, double memoryPercent, int requests) {
        List<CartridgeProcess> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long limit = 256L << 20;
            list.add(new CartridgeProcess(alias + "-" + i, alias, "php", "1", "vm-1", "lxc", ProcessState.RUNNING, 20000 + i,
                    "", REQUEST, new ProcessMetrics(cpuPercent, (long) (limit * memoryPercent / 100), limit, 3, requests)));
        }
        processes.put(alias, list);
    }

    /** Sets the subscription's processes: all RUNNING, each reporting these application metrics (null: none). */
    @SafeVarargs
    final void runningWithApplicationMetrics(String alias, Map<String, Double>... values) {
        List<CartridgeProcess> list = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            ProcessMetrics metrics = new ProcessMetrics(1, 1, 256L << 20, 3, 0)
                    .withApplication(values[i], values[i] == null ? "metrics GET /metrics: no answer" : null);
            list.add(new CartridgeProcess(alias + "-" + i, alias, "php", "1", "vm-1", "lxc", ProcessState.RUNNING, 20000 + i,
                    "", REQUEST, metrics));
        }
        processes.put(alias, list);
    }

    @Override
    public Subscription scale(String alias, int count) {
        Subscription s = subscription(alias);
        if (count < s.minProcesses() || count > s.maxProcesses()) {
            throw StratosException.invalid("processes", "out of range: " + count, null);
        }
        scaleCalls.add(alias + "=" + count);
        Subscription scaled = new Subscription(s.alias(), s.tenant(), s.cartridge(), s.version(), s.digest(), s.policy(),
                s.minProcesses(), s.maxProcesses(), count, s.env(), s.processes(), s.endpoint(), s.createdAt());
        subscriptions.put(alias, scaled);
        return scaled;
    }

    @Override
    public Partition scalePartition(String name, int count) {
        Partition p = partition(name);
        if (count < p.minVms() || count > p.maxVms()) {
            throw StratosException.invalid("vms", "out of range: " + count, null);
        }
        scaleCalls.add(name + "=" + count);
        Partition scaled = new Partition(p.name(), p.cartridge(), p.adapter(), p.minVms(), p.maxVms(), p.vmCapacity(),
                p.template(), p.state(), count, p.vms(), p.readyVms(), p.pending(), p.shortfall());
        partitions.put(name, scaled);
        return scaled;
    }

    @Override
    public Partition createPartition(PartitionSpec spec) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<Partition> partitions() {
        return List.copyOf(partitions.values());
    }

    @Override
    public Partition partition(String name) {
        Partition p = partitions.get(name);
        if (p == null) {
            throw StratosException.notFound("no partition " + name, null);
        }
        return p;
    }

    @Override
    public void deletePartition(String name) {
        partitions.remove(name);
    }

    @Override
    public List<PartitionVm> vms() {
        return List.copyOf(vms);
    }

    @Override
    public Subscription subscribe(String tenant, SubscriptionSpec spec) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<Subscription> subscriptions() {
        return List.copyOf(subscriptions.values());
    }

    @Override
    public Subscription subscription(String alias) {
        Subscription s = subscriptions.get(alias);
        if (s == null) {
            throw StratosException.notFound("no subscription " + alias, null);
        }
        return s;
    }

    @Override
    public void unsubscribe(String alias) {
        subscriptions.remove(alias);
        processes.remove(alias);
    }

    @Override
    public List<CartridgeProcess> processes(String alias) {
        subscription(alias);
        return List.copyOf(processes.get(alias));
    }

    /** How often every process was asked for (a full copy in the real controller). */
    int allProcessesCalls;

    @Override
    public List<CartridgeProcess> processes() {
        allProcessesCalls++;
        return processes.values().stream().flatMap(List::stream).toList();
    }

    static PartitionVm vm(String id, String partition, VmState state, Resources capacity, Resources allocated) {
        return new PartitionVm(id, partition, "local", "ref-" + id, state, capacity, allocated, 0, List.of("lxc"), id,
                null, "", "test", List.of());
    }
}
