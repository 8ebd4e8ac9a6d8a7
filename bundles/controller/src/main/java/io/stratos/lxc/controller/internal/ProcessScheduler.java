package io.stratos.lxc.controller.internal;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.controller.ProcessDrain;
import io.stratos.lxc.api.controller.ProcessState;
import io.stratos.lxc.api.controller.Resources;
import io.stratos.lxc.api.controller.SubscriptionSpec;
import io.stratos.lxc.api.controller.VmState;
import io.stratos.lxc.controller.internal.CartridgeResolver.ResolvedCartridge;
import io.stratos.lxc.controller.internal.Model.PartitionEntry;
import io.stratos.lxc.controller.internal.Model.ProcessEntry;
import io.stratos.lxc.controller.internal.Model.SubscriptionEntry;
import io.stratos.lxc.controller.internal.Model.VmEntry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Subscriptions and their processes: created, scaled, stopped through the drain, forgotten, and placed on VMs.
 * Called with the controller's lock held, except {@link #askDrains}, which touches no controller state.
 */
final class ProcessScheduler {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessScheduler.class);
    private static final String DRAINING = "; draining: out of the router, finishing its requests";

    private final ControllerState state;
    private final UnitOfWork unit;
    private final Clock clock;
    private final Supplier<ControllerSettings> settings;
    private final Supplier<CartridgeResolver> resolver;
    private final Supplier<List<ProcessDrain>> drains;

    ProcessScheduler(ControllerState state, UnitOfWork unit, Clock clock, Supplier<ControllerSettings> settings,
                     Supplier<CartridgeResolver> resolver, Supplier<List<ProcessDrain>> drains) {
        this.state = state;
        this.unit = unit;
        this.clock = clock;
        this.settings = settings;
        this.resolver = resolver;
        this.drains = drains;
    }

    // ---- subscriptions ---------------------------------------------------------------------------

    /** A new subscription with its processes created and placed; {@code policyKnown} was asked without the lock. */
    SubscriptionEntry subscribe(String tenant, SubscriptionSpec spec, Boolean policyKnown) {
        if (spec == null) {
            throw StratosException.invalid(null, "a subscription needs a JSON body", "send {\"alias\",\"cartridge\"}");
        }
        String alias = Ids.label("alias", spec.alias());
        String cartridge = Ids.label("cartridge", spec.cartridge());
        int min = spec.minProcesses() == null ? 1 : spec.minProcesses();
        int max = spec.maxProcesses() == null ? Math.max(min, 10) : spec.maxProcesses();
        if (min < 0 || min > 1000) {
            throw StratosException.invalid("minProcesses", "minProcesses must be from 0 to 1000, not " + min, null);
        }
        if (max < Math.max(min, 1) || max > 1000) {
            throw StratosException.invalid("maxProcesses", "maxProcesses must be at least minProcesses (and 1) and at most 1000, not " + max, null);
        }
        if (state.subscriptions.containsKey(alias)) {
            throw StratosException.conflict("alias", "alias '" + alias + "' is taken", "choose another alias");
        }
        if (spec.policy() != null && Boolean.FALSE.equals(policyKnown)) {
            // A typo would otherwise silently mean manual scaling.
            throw StratosException.invalid("policy", "no autoscale policy '" + spec.policy() + "'",
                    "create it first (POST /autoscale-policies) or leave policy out for manual scaling");
        }
        CartridgeResolver cartridges = resolver.get();
        if (cartridges == null) {
            throw StratosException.unavailable("the cartridge store is not available", "check stratos:status and retry");
        }
        ResolvedCartridge resolved = cartridges.resolve(cartridge, spec.version());
        // an admin may subscribe on a tenant's behalf (the tenant-scoped view lets a tenant name only itself)
        String owner = spec.tenant() != null ? Inputs.tenant(spec.tenant()) : tenant == null ? "default" : tenant;
        SubscriptionEntry entry = new SubscriptionEntry(alias, owner, resolved.name(),
                resolved.version(), resolved.digest(), spec.policy(), min, max, min,
                Inputs.env(spec.env()), resolved.request(), resolved.runtimes(), Instant.now(clock).toString());
        state.putSubscription(entry);
        unit.write(tx -> tx.insertSubscription(entry));
        adjustProcessCount(entry);
        placePending();
        return entry;
    }

    SubscriptionEntry unsubscribe(String alias) {
        SubscriptionEntry entry = state.subscriptionEntry(alias);
        for (ProcessEntry p : state.processesOf(alias)) {
            release(p);
            state.removeProcess(p);
        }
        state.removeSubscription(alias);
        unit.write(tx -> tx.deleteSubscription(alias));
        return entry;
    }

    SubscriptionEntry scale(String alias, int count) {
        SubscriptionEntry entry = state.subscriptionEntry(alias);
        if (count < entry.minProcesses || count > entry.maxProcesses) {
            throw StratosException.invalid("processes", "subscription '" + alias + "' can have " + entry.minProcesses
                    + " to " + entry.maxProcesses + " processes, not " + count, "choose a number in that range");
        }
        entry.desiredProcesses = count;
        unit.write(tx -> tx.updateDesiredProcesses(alias, count));
        adjustProcessCount(entry);
        placePending();
        return entry;
    }

    // ---- processes -------------------------------------------------------------------------------

    ProcessEntry newProcess(SubscriptionEntry s) {
        ProcessEntry p = new ProcessEntry(Ids.childId(s.alias), s.alias, null, null, false, ProcessState.PENDING);
        p.reason = "waiting for placement";
        p.artifact = s.desiredArtifact;
        p.createdMillis = clock.millis();
        return p;
    }

    /** A new PENDING process of the subscription, in memory and written at the commit. */
    void addProcess(SubscriptionEntry s) {
        ProcessEntry p = newProcess(s);
        state.putProcess(p);
        unit.insert(p);
    }

    /** Creates PENDING processes or marks surplus ones STOPPING until the count matches the desired one. */
    void adjustProcessCount(SubscriptionEntry s) {
        // Processes on a draining VM are leaving: replacements are made for them elsewhere.
        // Counted without copying: this runs for every subscription in every pass.
        Map<String, ProcessEntry> own = state.processesByAlias.get(s.alias);
        int liveCount = 0;
        boolean olderArtifact = false;
        if (own != null) {
            for (ProcessEntry p : own.values()) {
                if (!p.stopping && !state.onDrainingVm(p)) {
                    liveCount++;
                    olderArtifact |= p.artifact != s.desiredArtifact;
                }
            }
        }
        for (int i = liveCount; i < s.desiredProcesses; i++) {
            addProcess(s);
        }
        // A rollout runs one process more than desired while the new one proves healthy (see RolloutManager).
        boolean rolling = s.desiredArtifact != s.deployedArtifact || olderArtifact;
        int surplus = liveCount - s.desiredProcesses - (rolling ? 1 : 0);
        if (surplus > 0) {
            List<ProcessEntry> live = own.values().stream().filter(p -> !p.stopping && !state.onDrainingVm(p)).toList();
            // Stop what is not running yet first, then what runs an older artifact, then the newest.
            List<ProcessEntry> order = new ArrayList<>(live);
            order.sort(Comparator.comparing((ProcessEntry p) -> p.state == ProcessState.RUNNING)
                    .thenComparing(p -> p.artifact == s.desiredArtifact));
            for (ProcessEntry p : order.subList(0, surplus)) {
                stop(p, "scaled down");
            }
        }
    }

    void stop(ProcessEntry p, String reason) {
        VmEntry host = p.vmId == null ? null : state.vmsById.get(p.vmId);
        if (host == null || !ControllerState.isServing(host)) {
            // Nothing runs it (or its VM is gone): forget it at once.
            release(p);
            state.removeProcess(p);
            unit.write(tx -> tx.deleteProcess(p.id));
            return;
        }
        boolean serving = p.state == ProcessState.RUNNING;
        p.stopping = true;
        state.setState(p, ProcessState.STOPPING);
        p.reason = reason;
        unit.write(tx -> tx.updateProcess(p));
        if (serving && !drains.get().isEmpty() && settings.get().drainTimeoutSeconds() > 0) {
            // STOPPING takes it out of the router at once; its agent keeps it running until the requests
            // sent to it have finished (see finishDrains), so scaling in loses none.
            state.setDrainingSince(p, clock.millis());
            p.reason = reason + DRAINING;
            return;
        }
        unit.bump(state.vmsById.get(p.vmId));
    }

    /** Gives the process's share of its VM back. */
    void release(ProcessEntry p) {
        VmEntry vm = p.vmId == null ? null : state.vmsById.get(p.vmId);
        SubscriptionEntry s = state.subscriptionsByAlias.get(p.alias);
        if (vm != null && s != null) {
            vm.allocated = vm.allocated.minus(s.request);
            unit.bump(vm);
        }
    }

    // ---- drains: asked outside the lock, as the router looks processes up through this controller ----

    /** The draining processes (id to alias), to ask the drains about. */
    Map<String, String> draining() {
        Map<String, String> draining = new LinkedHashMap<>();
        for (ProcessEntry p : state.draining) {
            if (p.stopping && p.drainingSinceMillis >= 0) {
                draining.put(p.id, p.alias);
            }
        }
        return draining;
    }

    /** Which of them every {@link ProcessDrain} reports drained. Called without the lock. */
    Set<String> askDrains(Map<String, String> draining) {
        List<ProcessDrain> asked = drains.get();
        Set<String> drained = new HashSet<>();
        draining.forEach((id, alias) -> {
            boolean all = true;
            for (ProcessDrain drain : asked) {
                try {
                    all = drain.drained(alias, id);
                } catch (RuntimeException e) {
                    LOG.debug("Drain {} failed for process {}", drain, id, e);
                    all = false;
                }
                if (!all) {
                    break;
                }
            }
            if (all) {
                drained.add(id);
            }
        });
        return drained;
    }

    /** Stops the draining processes that are drained, or have drained for {@code drainTimeoutSeconds}. */
    void finishDrains(Set<String> draining, Set<String> drained) {
        long timeout = TimeUnit.SECONDS.toMillis(settings.get().drainTimeoutSeconds());
        long now = clock.millis();
        for (String id : draining) {
            ProcessEntry p = state.processes.get(id);
            if (p == null || !p.stopping || p.drainingSinceMillis < 0) {
                continue;
            }
            boolean done = drained.contains(id);
            if (!done && now - p.drainingSinceMillis < timeout) {
                continue;
            }
            long took = now - p.drainingSinceMillis;
            state.setDrainingSince(p, -1);
            p.reason = p.reason.replace(DRAINING, "");
            VmEntry vm = p.vmId == null ? null : state.vmsById.get(p.vmId);
            if (vm != null) {
                unit.bump(vm);
            }
            if (done) {
                LOG.info("Process {} of {} drained in {} ms; stopping it", id, p.alias, took);
            } else {
                LOG.warn("Process {} of {} still had requests after {} s of draining; stopping it", id, p.alias,
                        settings.get().drainTimeoutSeconds());
            }
        }
    }

    // ---- placement -------------------------------------------------------------------------------

    /**
     * Places every PENDING process. Bin-packing, most-allocated VM first (so VMs empty out and can be
     * scaled in), but a VM without a process of the same subscription wins (spread for availability).
     */
    void placePending() {
        state.partitions.values().forEach(p -> {
            p.pending = 0;
            p.shortfall = Resources.ZERO;
        });
        // Per subscription, its live processes per VM: built once per pass, updated as processes are placed.
        Map<String, Map<String, Integer>> spread = new HashMap<>();
        // Consecutive processes of one subscription share an ordered view of the VMs (see Placement.Batch):
        // looking at every VM for each process made placement O(VMs) per process (JFR, 10,000 VMs).
        Placement.Batch batch = null;
        String batchAlias = null;
        if (state.pending.isEmpty()) {
            return;
        }
        // The PENDING ones in the order of the process table (creation), as a scan of every process took them.
        List<ProcessEntry> queue = new ArrayList<>(state.pending);
        queue.sort(Comparator.comparingLong(p -> p.sequence));
        Map<String, PartitionEntry> partitionOf = new HashMap<>();
        for (ProcessEntry p : queue) {
            if (p.state != ProcessState.PENDING || p.stopping) {
                continue;
            }
            SubscriptionEntry s = state.subscriptionsByAlias.get(p.alias);
            PartitionEntry partition = partitionOf.computeIfAbsent(s.cartridge, c -> state.partitions.values().stream()
                    .filter(x -> x.cartridge.equals(c)).findFirst().orElse(null));
            if (partition == null) {
                p.reason = "no partition serves cartridge '" + s.cartridge + "'";
                continue;
            }
            Map<String, Integer> perVm = spread.computeIfAbsent(s.alias, this::liveProcessesPerVm);
            if (batch == null || !s.alias.equals(batchAlias)) {
                batch = new Placement.Batch(state.vms.values(), partition.name, s.request, s.runtimes,
                        vm -> perVm.getOrDefault(vm.id, 0));
                batchAlias = s.alias;
            }
            VmEntry best = batch.next();
            if (best == null) {
                p.reason = "no ready VM of partition '" + partition.name + "' has " + s.request.cpuMillis() + "m CPU and "
                        + s.request.memoryMiB() + " MiB free";
                partition.pending++;
                partition.shortfall = partition.shortfall.plus(s.request);
                continue;
            }
            state.setVm(p, best.id);
            p.runtime = Placement.runtimeFor(best, s.runtimes);
            state.setState(p, ProcessState.STARTING);
            p.reason = "";
            best.allocated = best.allocated.plus(s.request);
            perVm.merge(best.id, 1, Integer::sum);
            batch.placed(best);
            if (!unit.insertPending(p)) {
                // a process created in this operation is written once, placed (half the rows of a new subscription)
                unit.write(tx -> tx.updateProcess(p));
            }
            unit.bump(best);
        }
    }

    private Map<String, Integer> liveProcessesPerVm(String alias) {
        Map<String, Integer> perVm = new HashMap<>();
        for (ProcessEntry p : state.processesOf(alias)) {
            if (p.vmId != null && !p.stopping) {
                perVm.merge(p.vmId, 1, Integer::sum);
            }
        }
        return perVm;
    }
}
