package io.stratos.lxc.controller.internal;

import io.stratos.lxc.api.artifact.ArtifactStatus;
import io.stratos.lxc.api.artifact.ArtifactVersion;
import io.stratos.lxc.api.controller.CartridgeProcess;
import io.stratos.lxc.api.controller.Partition;
import io.stratos.lxc.api.controller.PartitionVm;
import io.stratos.lxc.api.controller.ProcessState;
import io.stratos.lxc.api.controller.Subscription;
import io.stratos.lxc.api.iaas.IaasAdapter;
import io.stratos.lxc.api.net.IpLiteral;
import io.stratos.lxc.api.router.Route;
import io.stratos.lxc.controller.internal.Model.ArtifactEntry;
import io.stratos.lxc.controller.internal.Model.PartitionEntry;
import io.stratos.lxc.controller.internal.Model.ProcessEntry;
import io.stratos.lxc.controller.internal.Model.SubscriptionEntry;
import io.stratos.lxc.controller.internal.Model.VmEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import io.stratos.lxc.api.controller.SubscriptionProcesses;
import java.util.function.Supplier;

/** The API's views of the model: the DTOs the controller answers with. Called with the controller's lock held. */
final class Views {

    private final ControllerState state;
    private final Supplier<ControllerSettings> settings;
    private final Function<String, IaasAdapter> adapters;
    private final RolloutManager rollouts;

    Views(ControllerState state, Supplier<ControllerSettings> settings, Function<String, IaasAdapter> adapters,
          RolloutManager rollouts) {
        this.state = state;
        this.settings = settings;
        this.adapters = adapters;
        this.rollouts = rollouts;
    }

    /** For the status view and the adapter hot-swap display. */
    Map<String, Integer> counts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("partitions", state.partitions.size());
        counts.put("vms", state.vms.size());
        counts.put("readyVms", (int) state.vms.values().stream().filter(ControllerState::isReady).count());
        counts.put("subscriptions", state.subscriptions.size());
        counts.put("processes", state.processes.size());
        counts.put("pending", state.pending.size());
        return counts;
    }

    List<String> partitionsWithoutAdapter() {
        return state.partitions.values().stream().filter(p -> adapters.apply(p.adapter) == null).map(p -> p.name).toList();
    }

    Partition toPartition(PartitionEntry p) {
        int count = 0;
        int ready = 0;
        for (VmEntry vm : state.vms.values()) {
            if (vm.partition.equals(p.name)) {
                count++;
                ready += ControllerState.isReady(vm) ? 1 : 0;
            }
        }
        String partitionState = adapters.apply(p.adapter) == null ? "ADAPTER_UNAVAILABLE" : "ACTIVE";
        return new Partition(p.name, p.cartridge, p.adapter, p.minVms, p.maxVms, p.vmCapacity, p.template, partitionState,
                ControllerState.targetVms(p), count, ready, p.pending, p.shortfall);
    }

    PartitionVm toVm(VmEntry vm) {
        Map<String, ProcessEntry> on = state.processesByVm.get(vm.id);
        int count = on == null ? 0 : on.size();
        String heartbeat = vm.agentSecret == null ? null : Instant.ofEpochMilli(vm.lastHeartbeatMillis).toString();
        return new PartitionVm(vm.id, vm.partition, vm.adapter, vm.adapterRef, vm.state, vm.capacity, vm.allocated, count,
                vm.runtimes, vm.agentSecret == null ? null : vm.id, heartbeat, vm.detail, vm.agentVersion, vm.cachedImages, vm.address);
    }

    Subscription toSubscription(SubscriptionEntry s) {
        Map<ProcessState, Integer> counts = new EnumMap<>(ProcessState.class);
        for (ProcessState processState : ProcessState.values()) {
            if (s.stateCounts[processState.ordinal()] > 0) {
                counts.put(processState, s.stateCounts[processState.ordinal()]);
            }
        }
        String endpoint = "http://" + s.alias + "." + settings.get().routerDomain() + ":" + settings.get().routerPort() + "/";
        Subscription.Artifact artifact = s.artifacts.isEmpty() ? null : new Subscription.Artifact(s.deployedArtifact,
                s.artifactDigest(s.deployedArtifact), s.desiredArtifact, s.artifactDigest(s.desiredArtifact), rollouts.rolloutState(s));
        return new Subscription(s.alias, s.tenant, s.cartridge, s.version, s.digest, s.policy, s.minProcesses,
                s.maxProcesses, s.desiredProcesses, s.env, counts, endpoint, s.createdAt, artifact);
    }

    /** The alias's RUNNING processes at their endpoints, or null when no subscription has the alias. */
    List<Route> routes(String alias) {
        if (!state.subscriptionsByAlias.containsKey(alias)) {
            return null;
        }
        List<Route> routes = new ArrayList<>();
        for (ProcessEntry p : state.processesOf(alias)) {
            VmEntry vm = p.vmId == null ? null : state.vmsById.get(p.vmId);
            if (p.state == ProcessState.RUNNING && vm != null && vm.address != null && p.hostPort > 0) {
                routes.add(new Route(p.id, IpLiteral.endpoint(vm.address, p.hostPort)));
            }
        }
        return routes;
    }

    CartridgeProcess toProcess(ProcessEntry p) {
        return toProcess(p, state.subscriptionsByAlias.get(p.alias), state);
    }

    static CartridgeProcess toProcess(ProcessEntry p, SubscriptionEntry s, ControllerState state) {
        VmEntry vm = p.vmId == null ? null : state.vmsById.get(p.vmId);
        String endpoint = vm == null || vm.address == null || p.hostPort <= 0 ? null : IpLiteral.endpoint(vm.address, p.hostPort);
        return new CartridgeProcess(p.id, p.alias, s.cartridge, s.version, p.vmId, p.runtime, p.state, p.hostPort,
                p.reason, s.request, p.metrics, p.artifact, endpoint);
    }

    ArtifactStatus artifactStatus(SubscriptionEntry s) {
        List<ProcessEntry> live = state.processesOf(s.alias).stream().filter(p -> !p.stopping).toList();
        int updated = (int) live.stream().filter(p -> p.artifact == s.desiredArtifact && p.state == ProcessState.RUNNING).count();
        List<ArtifactVersion> history = new ArrayList<>();
        for (int i = s.artifacts.size() - 1; i >= 0; i--) {
            ArtifactEntry a = s.artifacts.get(i);
            history.add(new ArtifactVersion(a.number, a.digest, a.size, a.source, a.git, a.ref, a.commit, a.createdAt, a.state, a.reason));
        }
        return new ArtifactStatus(s.alias, s.deployedArtifact, s.desiredArtifact, rollouts.rolloutState(s), updated,
                s.desiredProcesses, history);
    }

    /**
     * Every subscription that passes {@code which}, with its processes, copied under {@code lock} (the controller's) and
     * released after every {@code perHold} processes copied, so a change or a status report never waits for all
     * 300,000 to be copied; each subscription is seen at one moment.
     */
    List<SubscriptionProcesses> subscriptionsWithProcesses(Predicate<Subscription> which, Object lock, int perHold) {
        List<SubscriptionProcesses> all = new ArrayList<>();
        String after = null;
        while (true) {
            synchronized (lock) {
                Map<String, SubscriptionEntry> rest = after == null ? state.subscriptions : state.subscriptions.tailMap(after, false);
                int copied = 0;
                for (SubscriptionEntry s : rest.values()) {
                    if (copied >= perHold) {
                        break;
                    }
                    after = s.alias;
                    Subscription subscription = toSubscription(s);
                    if (!which.test(subscription)) {
                        continue;
                    }
                    Map<String, ProcessEntry> own = state.processesByAlias.get(s.alias);
                    List<CartridgeProcess> list = new ArrayList<>(own == null ? 0 : own.size());
                    if (own != null) {
                        for (ProcessEntry p : own.values()) {
                            list.add(toProcess(p, s, state));
                        }
                    }
                    copied += list.size() + 1;
                    all.add(new SubscriptionProcesses(subscription, list));
                }
                if (copied < perHold) {
                    return all;
                }
            }
        }
    }
}
