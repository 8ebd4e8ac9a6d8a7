package io.stratos.lxc.router.internal;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.controller.CartridgeProcess;
import io.stratos.lxc.api.controller.CloudController;
import io.stratos.lxc.api.controller.ProcessMetrics;
import io.stratos.lxc.api.controller.ProcessState;
import io.stratos.lxc.api.controller.Resources;
import io.stratos.lxc.api.controller.Subscription;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A cloud controller that knows subscriptions and processes only: what the router asks it. A dynamic
 * proxy, so that methods added to {@link CloudController} later do not break these tests.
 */
final class FakeController {

    final Map<String, List<CartridgeProcess>> processes = new ConcurrentHashMap<>();
    final AtomicInteger lookups = new AtomicInteger();
    private final AtomicInteger ids = new AtomicInteger();
    private final CloudController service = (CloudController) Proxy.newProxyInstance(CloudController.class.getClassLoader(),
            new Class<?>[] {CloudController.class}, (proxy, method, args) -> switch (method.getName()) {
                case "processes" -> args == null || args.length == 0 ? allProcesses() : processes((String) args[0]);
                case "subscriptions" -> subscriptions();
                case "toString" -> "FakeController" + processes.keySet();
                case "hashCode" -> System.identityHashCode(proxy);
                case "equals" -> proxy == args[0];
                default -> throw new UnsupportedOperationException(method.getName());
            });

    CloudController service() {
        return service;
    }

    FakeController subscribed(String alias) {
        processes.putIfAbsent(alias, new ArrayList<>());
        return this;
    }

    FakeController process(String alias, ProcessState state, int hostPort) {
        return process(alias, state, "127.0.0.1", hostPort);
    }

    /** A process of the alias published at {@code address:hostPort} (its VM's address); a null address: none known yet. */
    FakeController process(String alias, ProcessState state, String address, int hostPort) {
        subscribed(alias);
        List<CartridgeProcess> list = new ArrayList<>(processes.get(alias));
        list.add(new CartridgeProcess("p" + ids.incrementAndGet(), alias, "static-httpd", "1.0", "vm-1", "lxc", state,
                hostPort, "", Resources.ZERO, ProcessMetrics.NONE, 0, address == null ? null : address + ":" + hostPort));
        processes.put(alias, list);
        return this;
    }

    /** The process leaves service, as the controller marks a process it scales in. */
    FakeController stopping(String alias, String processId) {
        List<CartridgeProcess> list = new ArrayList<>();
        for (CartridgeProcess p : processes.get(alias)) {
            list.add(!p.id().equals(processId) ? p : new CartridgeProcess(p.id(), p.alias(), p.cartridge(), p.version(), p.vmId(),
                    p.runtime(), ProcessState.STOPPING, p.hostPort(), "scaled down", p.request(), p.metrics(), p.artifact(), p.endpoint()));
        }
        processes.put(alias, list);
        return this;
    }

    private List<CartridgeProcess> processes(String alias) {
        lookups.incrementAndGet();
        List<CartridgeProcess> list = processes.get(alias);
        if (list == null) {
            throw StratosException.notFound("no subscription '" + alias + "'", "list them");
        }
        return List.copyOf(list);
    }

    private List<CartridgeProcess> allProcesses() {
        return processes.values().stream().flatMap(List::stream).toList();
    }

    private List<Subscription> subscriptions() {
        List<Subscription> all = new ArrayList<>();
        for (String alias : processes.keySet()) {
            all.add(new Subscription(alias, "t", "static-httpd", "1.0", "sha256:0", null, 1, 3, 1, Map.of(), Map.of(),
                    "http://" + alias + ".stratos.local:8280/", "2026-11-25T00:00:00Z"));
        }
        return all;
    }
}
