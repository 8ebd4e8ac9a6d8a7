package io.stratos.lxc.controller.internal;

import io.stratos.lxc.api.controller.CloudController;
import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.controller.ProcessState;
import io.stratos.lxc.api.controller.VmState;
import io.stratos.lxc.controller.internal.Model.PartitionEntry;
import io.stratos.lxc.controller.internal.Model.ProcessEntry;
import io.stratos.lxc.controller.internal.Model.SubscriptionEntry;
import io.stratos.lxc.controller.internal.Model.VmEntry;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The controller's in-memory model and its secondary indexes, kept consistent by the put/remove/set methods here.
 * Called with the controller's lock held, except {@link #vmsById} and {@link #loaded}, which are read without it.
 */
final class ControllerState {

    final Map<String, PartitionEntry> partitions = new TreeMap<>();
    final Map<String, VmEntry> vms = new TreeMap<>();
    /**
     * The same VMs by id in a hash map: looked up for every process in a pass, where the TreeMap's string compares showed.
     * Concurrent, so that authenticating an agent's request (every status report and long poll) needs no lock.
     */
    final Map<String, VmEntry> vmsById = new ConcurrentHashMap<>();
    final NavigableMap<String, SubscriptionEntry> subscriptions = new TreeMap<>();
    /** The same subscriptions by alias for lookups: every state change finds its subscription (the tree's compares were 2 % of CPU). */
    final Map<String, SubscriptionEntry> subscriptionsByAlias = new HashMap<>();
    final Map<String, ProcessEntry> processes = new LinkedHashMap<>();
    /** The same processes indexed by alias: per-subscription work must not scan every process. */
    final Map<String, Map<String, ProcessEntry>> processesByAlias = new HashMap<>();
    /** ... and by the VM they are placed on, for agent reports and placement. */
    final Map<String, Map<String, ProcessEntry>> processesByVm = new HashMap<>();
    /** The PENDING processes, kept up to date (see setState), so placement does not scan every process. */
    final Set<ProcessEntry> pending = Collections.newSetFromMap(new IdentityHashMap<>());
    /** The stopping processes still draining (drainingSinceMillis set), so finishDrains does not scan every process. */
    final Set<ProcessEntry> draining = Collections.newSetFromMap(new IdentityHashMap<>());
    private long processSequence;
    private long revisionCounter;
    /** Aliases whose routes the current operation changed, published at its commit ({@link RouteLog}). */
    private final Set<String> routesTouched = new HashSet<>();
    /** Every alias's routes are new: the state was (re)loaded. */
    private boolean routesReset = true;
    /** False while the state is being (re)loaded: the VM janitor must not take an empty list for the truth. */
    volatile boolean loaded;

    /** Told of every process and VM state change, to post once the operation commits. */
    final EventPublisher events;

    /** Revisions start from the clock, so an agent's last revision from before a restart never matches. */
    ControllerState(long nowMillis, EventPublisher events) {
        this.revisionCounter = nowMillis * 1000;
        this.events = events;
    }

    long nextRevision() {
        return ++revisionCounter;
    }

    /** Empties the model before a (re)load; {@link #vmsById} is kept for agents authenticating meanwhile. */
    void clear() {
        loaded = false;
        partitions.clear();
        vms.clear();
        subscriptions.clear();
        subscriptionsByAlias.clear();
        processes.clear();
        processesByAlias.clear();
        processesByVm.clear();
        pending.clear();
        draining.clear();
        events.discard();
    }

    /** Fills the emptied model from the database; VMs get a fresh grace period to report in. */
    void fill(Repository.Loaded loaded, long now) {
        routesTouched.clear();
        routesReset = true;
        loaded.partitions().forEach(p -> partitions.put(p.name, p));
        loaded.subscriptions().forEach(s -> {
            subscriptions.put(s.alias, s);
            subscriptionsByAlias.put(s.alias, s);
        });
        for (VmEntry vm : loaded.vms()) {
            vm.lastHeartbeatMillis = now;
            vm.lostSinceMillis = now; // a LOST VM's time to destruction starts again: the moment is not persisted
            vm.revision = nextRevision();
            putVm(vm);
        }
        // not cleared before: agents authenticating meanwhile (without the lock) keep finding their VM
        vmsById.keySet().retainAll(vms.keySet());
        for (ProcessEntry p : loaded.processes()) {
            p.createdMillis = now;
            putProcess(p);
            VmEntry vm = p.vmId == null ? null : vmsById.get(p.vmId);
            SubscriptionEntry s = subscriptionsByAlias.get(p.alias);
            if (vm != null && s != null) {
                vm.allocated = vm.allocated.plus(s.request);
            }
        }
        events.discard(); // what was loaded is not news
        this.loaded = true;
    }

    // ---- lookups ---------------------------------------------------------------------------------

    PartitionEntry partitionEntry(String name) {
        PartitionEntry entry = partitions.get(name);
        if (entry == null) {
            throw StratosException.notFound("no partition '" + name + "'", "list them with GET /partitions");
        }
        return entry;
    }

    SubscriptionEntry subscriptionEntry(String alias) {
        SubscriptionEntry entry = subscriptionsByAlias.get(alias);
        if (entry == null) {
            throw CloudController.noSuchSubscription(alias);
        }
        return entry;
    }

    List<ProcessEntry> processesOnVm(String vmId) {
        Map<String, ProcessEntry> on = processesByVm.get(vmId);
        return on == null ? List.of() : new ArrayList<>(on.values());
    }

    List<ProcessEntry> processesOf(String alias) {
        Map<String, ProcessEntry> own = processesByAlias.get(alias);
        return own == null ? List.of() : new ArrayList<>(own.values());
    }

    boolean onDrainingVm(ProcessEntry p) {
        VmEntry vm = p.vmId == null ? null : vmsById.get(p.vmId);
        return vm != null && vm.state == VmState.DRAINING;
    }

    static boolean isReady(VmEntry vm) {
        return vm != null && vm.state == VmState.READY;
    }

    /** A VM that counts towards its partition's target: requested, booting, ready, or degraded (it reports in). */
    static boolean isLive(VmEntry vm) {
        return vm.state == VmState.REQUESTED || vm.state == VmState.BOOTING || vm.state == VmState.READY
                || vm.state == VmState.DEGRADED;
    }

    /** A VM whose agent reports in and runs what it has: its processes are not forgotten when they stop. */
    static boolean isServing(VmEntry vm) {
        return vm.state == VmState.READY || vm.state == VmState.DRAINING || vm.state == VmState.DEGRADED;
    }

    static int targetVms(PartitionEntry partition) {
        return Math.max(partition.minVms, Math.min(partition.maxVms, partition.desiredVms));
    }

    /** The VMs of a partition that count towards its target. */
    int liveVmCount(PartitionEntry partition) {
        int live = 0;
        for (VmEntry vm : vms.values()) {
            if (vm.partition.equals(partition.name)
                    && isLive(vm)) {
                live++;
            }
        }
        return live;
    }

    // ---- changes that keep the indexes right -----------------------------------------------------

    void putVm(VmEntry vm) {
        vms.put(vm.id, vm);
        vmsById.put(vm.id, vm);
        events.vm(vm, null);
    }

    void removeVm(VmEntry vm) {
        vms.remove(vm.id);
        vmsById.remove(vm.id);
        events.vmRemoved(vm);
    }

    /** Every change of a VM's state goes through here, with why (its detail), so it is posted as an event. */
    void setVmState(VmEntry vm, VmState next, String detail) {
        VmState before = vm.state;
        vm.state = next;
        vm.detail = detail;
        if (before != next) {
            events.vm(vm, before);
        }
    }

    // ---- what the routers see: an alias's RUNNING processes at their endpoints ---------------------

    /** The alias's routes may have changed (a process's state, VM or port, or its VM's address). */
    void touchRoutes(String alias) {
        routesTouched.add(alias);
    }

    /** The routes of every process on the VM may have changed (its address did). */
    void touchRoutesOnVm(String vmId) {
        processesOnVm(vmId).forEach(p -> routesTouched.add(p.alias));
    }

    /** The aliases touched since the last call, or null when every alias's routes are new (after a load). */
    Set<String> takeRoutesTouched() {
        if (routesReset) {
            routesReset = false;
            routesTouched.clear();
            return null;
        }
        Set<String> taken = Set.copyOf(routesTouched);
        routesTouched.clear();
        return taken;
    }

    void putSubscription(SubscriptionEntry s) {
        touchRoutes(s.alias);
        subscriptions.put(s.alias, s);
        subscriptionsByAlias.put(s.alias, s);
    }

    void removeSubscription(String alias) {
        touchRoutes(alias);
        subscriptions.remove(alias);
        subscriptionsByAlias.remove(alias);
    }

    void putProcess(ProcessEntry p) {
        touchRoutes(p.alias);
        p.sequence = ++processSequence;
        processes.put(p.id, p);
        index(processesByAlias, p.alias, p);
        if (p.vmId != null) {
            index(processesByVm, p.vmId, p);
        }
        count(p, 1);
        events.process(p, null, subscriptionsByAlias.get(p.alias), p.vmId == null ? null : vmsById.get(p.vmId));
    }

    void removeProcess(ProcessEntry p) {
        if (processes.remove(p.id) == null) {
            return;
        }
        touchRoutes(p.alias);
        unindex(processesByAlias, p.alias, p);
        if (p.vmId != null) {
            unindex(processesByVm, p.vmId, p);
        }
        count(p, -1);
        draining.remove(p);
        events.processRemoved(p, subscriptionsByAlias.get(p.alias), p.vmId == null ? null : vmsById.get(p.vmId));
    }

    /** Every change of a process's state goes through here, to keep the per-subscription counts and PENDING set right. */
    void setState(ProcessEntry p, ProcessState state) {
        if (p.state == state) {
            return;
        }
        touchRoutes(p.alias);
        count(p, -1);
        ProcessState before = p.state;
        p.state = state;
        count(p, 1);
        events.process(p, before, subscriptionsByAlias.get(p.alias), p.vmId == null ? null : vmsById.get(p.vmId));
    }

    private void count(ProcessEntry p, int delta) {
        SubscriptionEntry s = subscriptionsByAlias.get(p.alias);
        if (s != null) {
            s.stateCounts[p.state.ordinal()] += delta;
        }
        if (p.state == ProcessState.PENDING) {
            if (delta > 0) {
                pending.add(p);
            } else {
                pending.remove(p);
            }
        }
    }

    /** A stopping process starts or stops draining: kept in the draining set for finishDrains. */
    void setDrainingSince(ProcessEntry p, long millis) {
        p.drainingSinceMillis = millis;
        if (millis >= 0) {
            draining.add(p);
        } else {
            draining.remove(p);
        }
    }

    /** Every change of a process's VM goes through here, to keep the index right. */
    void setVm(ProcessEntry p, String vmId) {
        touchRoutes(p.alias);
        if (p.vmId != null) {
            unindex(processesByVm, p.vmId, p);
        }
        p.vmId = vmId;
        if (vmId != null) {
            index(processesByVm, vmId, p);
        }
    }

    private static void index(Map<String, Map<String, ProcessEntry>> index, String key, ProcessEntry p) {
        index.computeIfAbsent(key, k -> new LinkedHashMap<>()).put(p.id, p);
    }

    private static void unindex(Map<String, Map<String, ProcessEntry>> index, String key, ProcessEntry p) {
        Map<String, ProcessEntry> entries = index.get(key);
        if (entries != null) {
            entries.remove(p.id);
            if (entries.isEmpty()) {
                index.remove(key);
            }
        }
    }
}
