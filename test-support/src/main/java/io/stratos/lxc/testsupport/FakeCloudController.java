package io.stratos.lxc.testsupport;

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
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The one fake {@link CloudController} the modules' tests share: its state is kept in maps the test sets
 * directly (in insertion order), scale calls are recorded and applied within each subscription's or
 * partition's range, and subscribing keeps the alias unique. Front ends (REST) and clients (the autoscaler)
 * test against it; the controller's own rules are tested against the real one.
 */
public class FakeCloudController implements CloudController {

    public static final Resources REQUEST = new Resources(500, 256);

    public final Map<String, Subscription> subscriptions = Collections.synchronizedMap(new LinkedHashMap<>());
    public final Map<String, List<CartridgeProcess>> processes = Collections.synchronizedMap(new LinkedHashMap<>());
    public final Map<String, Partition> partitions = Collections.synchronizedMap(new LinkedHashMap<>());
    public final List<PartitionVm> vms = Collections.synchronizedList(new ArrayList<>());
    public final List<String> scaleCalls = Collections.synchronizedList(new ArrayList<>());
    /** How often every process was asked for (a full copy in the real controller). */
    public volatile int allProcessesCalls;

    /** A subscription of tenant "default" with this policy and range. */
    public void subscribe(String alias, String policy, int min, int max, int desired) {
        subscriptions.put(alias, new Subscription(alias, "default", "php", "1", "sha256:00", policy, min, max, desired,
                Map.of(), Map.of(), "http://" + alias + ".stratos.local:8280/", "2026-01-01T00:00:00Z"));
        processes.put(alias, new ArrayList<>());
    }

    /** Sets the subscription's processes: all RUNNING with this CPU %, memory % and requests in flight. */
    public void running(String alias, int count, double cpuPercent, double memoryPercent, int requests) {
        List<CartridgeProcess> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long limit = 256L << 20;
            list.add(new CartridgeProcess(alias + "-" + i, alias, "php", "1", "vm-1", "lxc", ProcessState.RUNNING, 20000 + i,
                    "", REQUEST, new ProcessMetrics(cpuPercent, (long) (limit * memoryPercent / 100), limit, 3, requests)));
        }
        processes.put(alias, list);
    }

    public static PartitionVm vm(String id, String partition, VmState state, Resources capacity, Resources allocated) {
        return new PartitionVm(id, partition, "local", "ref-" + id, state, capacity, allocated, 0, List.of("lxc"), id,
                null, "", "test", List.of());
    }

    /** Sets the subscription's processes: all RUNNING, each reporting these application metrics (null: none). */
    @SafeVarargs
    public final void runningWithApplicationMetrics(String alias, Map<String, Double>... values) {
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
    public synchronized Subscription subscribe(String tenant, SubscriptionSpec spec) {
        Subscription s = new Subscription(spec.alias(), tenant, spec.cartridge(), "1.0", "sha256:00", null, 1, 5, 1, Map.of(),
                Map.of(), "http://" + spec.alias() + ".stratos.local/", "2026-11-25T00:00:00Z");
        if (subscriptions.putIfAbsent(spec.alias(), s) != null) {
            throw StratosException.conflict("alias", "alias taken", null);
        }
        processes.put(spec.alias(), new ArrayList<>());
        return s;
    }

    @Override
    public synchronized Subscription scale(String alias, int count) {
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
    public synchronized Partition scalePartition(String name, int count) {
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
        throw StratosException.invalid("name", "partitions are set by the test", null);
    }

    @Override
    public List<Partition> partitions() {
        synchronized (partitions) {
            return List.copyOf(partitions.values());
        }
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
        synchronized (vms) {
            return List.copyOf(vms);
        }
    }

    @Override
    public List<Subscription> subscriptions() {
        synchronized (subscriptions) {
            return List.copyOf(subscriptions.values());
        }
    }

    @Override
    public Subscription subscription(String alias) {
        Subscription s = subscriptions.get(alias);
        if (s == null) {
            throw CloudController.noSuchSubscription(alias); // the real controller's words
        }
        return s;
    }

    @Override
    public synchronized void unsubscribe(String alias) {
        subscription(alias);
        subscriptions.remove(alias);
        processes.remove(alias);
    }

    @Override
    public List<CartridgeProcess> processes(String alias) {
        subscription(alias);
        return List.copyOf(processes.getOrDefault(alias, List.of()));
    }

    @Override
    public List<CartridgeProcess> processes() {
        allProcessesCalls++;
        synchronized (processes) {
            return processes.values().stream().flatMap(List::stream).toList();
        }
    }
}
