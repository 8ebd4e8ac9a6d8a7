package io.stratos.lxc.router.internal;

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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A cloud controller that knows subscriptions and processes only: what the router asks it. */
final class FakeController implements CloudController {

    final Map<String, List<CartridgeProcess>> processes = new ConcurrentHashMap<>();
    final AtomicInteger lookups = new AtomicInteger();
    private final AtomicInteger ids = new AtomicInteger();

    FakeController subscribed(String alias) {
        processes.putIfAbsent(alias, new ArrayList<>());
        return this;
    }

    FakeController process(String alias, ProcessState state, int hostPort) {
        subscribed(alias);
        List<CartridgeProcess> list = new ArrayList<>(processes.get(alias));
        list.add(new CartridgeProcess("p" + ids.incrementAndGet(), alias, "static-httpd", "1.0", "vm-1", "lxc", state,
                hostPort, "", Resources.ZERO, ProcessMetrics.NONE));
        processes.put(alias, list);
        return this;
    }

    @Override
    public List<CartridgeProcess> processes(String alias) {
        lookups.incrementAndGet();
        List<CartridgeProcess> list = processes.get(alias);
        if (list == null) {
            throw StratosException.notFound("no subscription '" + alias + "'", "list them");
        }
        return List.copyOf(list);
    }

    @Override
    public List<Subscription> subscriptions() {
        List<Subscription> all = new ArrayList<>();
        for (String alias : processes.keySet()) {
            all.add(new Subscription(alias, "t", "static-httpd", "1.0", "sha256:0", null, 1, 3, 1, Map.of(), Map.of(),
                    "http://" + alias + ".stratos.local:8280/", "2026-11-25T00:00:00Z"));
        }
        return all;
    }

    @Override
    public List<CartridgeProcess> processes() {
        return processes.values().stream().flatMap(List::stream).toList();
    }

    @Override
    public Partition createPartition(PartitionSpec spec) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<Partition> partitions() {
        return List.of();
    }

    @Override
    public Partition partition(String name) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void deletePartition(String name) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<PartitionVm> vms() {
        return List.of();
    }

    @Override
    public Subscription subscribe(String tenant, SubscriptionSpec spec) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Subscription subscription(String alias) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void unsubscribe(String alias) {
        processes.remove(alias);
    }

    @Override
    public Subscription scale(String alias, int processes) {
        throw new UnsupportedOperationException();
    }
}
