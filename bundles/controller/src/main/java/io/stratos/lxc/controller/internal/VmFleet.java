package io.stratos.lxc.controller.internal;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.controller.PartitionSpec;
import io.stratos.lxc.api.controller.ProcessState;
import io.stratos.lxc.api.controller.Resources;
import io.stratos.lxc.api.controller.VmState;
import io.stratos.lxc.api.iaas.IaasAdapter;
import io.stratos.lxc.api.iaas.VmRef;
import io.stratos.lxc.api.iaas.VmSpec;
import io.stratos.lxc.controller.internal.Model.PartitionEntry;
import io.stratos.lxc.controller.internal.Model.ProcessEntry;
import io.stratos.lxc.controller.internal.Model.SubscriptionEntry;
import io.stratos.lxc.controller.internal.Model.VmEntry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The VMs of the partitions: partitions created, scaled and deleted; VMs requested, balanced, drained, retired, lost,
 * and created or destroyed through their IaaS adapter. Called with the controller's lock held, except the methods
 * documented as calling the adapter (clouds take seconds), which touch no controller state but the VM they are given.
 */
final class VmFleet {

    private static final Logger LOG = LoggerFactory.getLogger(VmFleet.class);
    /** How often a failure repeated for many VMs is summarised in the log. */
    static final Duration FAILURE_SUMMARY_INTERVAL = Duration.ofMinutes(1);
    /** EventAdmin topic of a VM the controller had its adapter destroy and then forgot (a LOST one, after lostVmDestroySeconds). */
    static final String TOPIC_VM_DESTROYED = io.stratos.lxc.api.event.StratosEvents.VM_DESTROYED;

    private final ControllerState state;
    private final UnitOfWork unit;
    private final Clock clock;
    private final Supplier<ControllerSettings> settings;
    private final Function<String, IaasAdapter> adapters;
    private final Supplier<CartridgeResolver> resolver;
    private final Supplier<String> controllerUrl;
    private final ProcessScheduler scheduler;
    private final Consumer<String> warnLog;
    private final Consumer<String> infoLog;
    private final BiConsumer<String, Map<String, Object>> events;
    /** Per adapter: its VM creations and LOST-VM destructions failing, logged once then summarised. */
    private final Map<String, FailureSummary> createFailures = new ConcurrentHashMap<>();
    private final Map<String, FailureSummary> destroyFailures = new ConcurrentHashMap<>();

    VmFleet(ControllerState state, UnitOfWork unit, Clock clock, Supplier<ControllerSettings> settings,
            Function<String, IaasAdapter> adapters, Supplier<CartridgeResolver> resolver, Supplier<String> controllerUrl,
            ProcessScheduler scheduler, Consumer<String> warnLog, Consumer<String> infoLog,
            BiConsumer<String, Map<String, Object>> events) {
        this.state = state;
        this.unit = unit;
        this.clock = clock;
        this.settings = settings;
        this.adapters = adapters;
        this.resolver = resolver;
        this.controllerUrl = controllerUrl;
        this.scheduler = scheduler;
        this.warnLog = warnLog;
        this.infoLog = infoLog;
        this.events = events;
    }

    // ---- partitions ------------------------------------------------------------------------------

    PartitionEntry createPartition(PartitionSpec spec) {
        if (spec == null) {
            throw StratosException.invalid(null, "a partition needs a JSON body", "send {\"name\",\"cartridge\",...}");
        }
        String name = Ids.label("name", spec.name());
        String cartridge = Ids.label("cartridge", spec.cartridge());
        String adapter = spec.adapter() == null ? "local" : spec.adapter();
        int min = spec.minVms() == null ? 1 : spec.minVms();
        int max = spec.maxVms() == null ? Math.max(min, 1) : spec.maxVms();
        if (min < 0 || min > 10_000) {
            throw StratosException.invalid("minVms", "minVms must be from 0 to 10000, not " + min, null);
        }
        if (max < Math.max(min, 1) || max > 10_000) {
            throw StratosException.invalid("maxVms", "maxVms must be at least minVms (and 1) and at most 10000, not " + max, null);
        }
        Resources capacity = spec.vmCapacity() == null ? new Resources(2000, 2048) : spec.vmCapacity();
        if (capacity.cpuMillis() < 100 || capacity.memoryMiB() < 64) {
            throw StratosException.invalid("vmCapacity", "a VM needs at least 100 CPU millicores and 64 MiB",
                    "e.g. \"vmCapacity\": {\"cpuMillis\": 2000, \"memoryMiB\": 2048}");
        }
        if (state.partitions.containsKey(name)) {
            throw StratosException.conflict("name", "partition '" + name + "' exists", "choose another name or delete it first");
        }
        for (PartitionEntry p : state.partitions.values()) {
            if (p.cartridge.equals(cartridge)) {
                throw StratosException.conflict("cartridge", "partition '" + p.name + "' already serves cartridge '" + cartridge + "'",
                        "a partition serves one cartridge type and each cartridge type has one partition");
            }
        }
        IaasAdapter iaas = adapters.apply(adapter);
        if (iaas == null) {
            throw StratosException.invalid("adapter", "no IaaS adapter '" + adapter + "' is available",
                    "install its bundle or use an available adapter such as 'local'");
        }
        Map<String, String> template = Inputs.template(spec.template());
        PartitionChecks.withinAdapterLimit(iaas, min);
        VmAddresses.checkTemplate(template);
        PartitionChecks.cartridgeExists(resolver.get(), cartridge);
        PartitionEntry entry = new PartitionEntry(name, cartridge, adapter, min, max, capacity, template);
        entry.desiredVms = min;
        state.partitions.put(name, entry);
        unit.write(tx -> tx.insertPartition(entry));
        for (int i = 0; i < min; i++) {
            requestVm(entry);
        }
        return entry;
    }

    /** Forgets the partition and its VMs; returns the VMs, for the adapter to destroy after the commit. */
    List<VmEntry> deletePartition(String name) {
        PartitionEntry partition = state.partitionEntry(name);
        List<String> users = state.subscriptions.values().stream().filter(s -> s.cartridge.equals(partition.cartridge))
                .map(s -> s.alias).toList();
        if (!users.isEmpty()) {
            throw StratosException.conflict("name", "partition '" + name + "' still serves subscriptions " + users,
                    "unsubscribe them first");
        }
        List<VmEntry> toDestroy = state.vms.values().stream().filter(vm -> vm.partition.equals(name)).toList();
        if (adapters.apply(partition.adapter) == null && toDestroy.stream().anyMatch(vm -> vm.adapterRef != null)) {
            // Forgetting VMs we cannot destroy would leave them running unseen.
            throw StratosException.conflict("adapter", "partition '" + name + "' has VMs and its IaaS adapter '"
                    + partition.adapter + "' is unavailable to destroy them", "start the adapter's bundle, then delete");
        }
        toDestroy.forEach(state::removeVm);
        state.partitions.remove(name);
        unit.write(tx -> tx.deletePartition(name));
        return toDestroy;
    }

    PartitionEntry scalePartition(String name, int count) {
        PartitionEntry partition = state.partitionEntry(name);
        if (count < partition.minVms || count > partition.maxVms) {
            throw StratosException.invalid("vms", "partition '" + name + "' can have " + partition.minVms + " to "
                    + partition.maxVms + " VMs, not " + count, "choose a number in that range");
        }
        partition.desiredVms = count;
        unit.write(tx -> tx.updateDesiredVms(name, count));
        balanceVms(partition);
        return partition;
    }

    // ---- the VMs a pass looks at -----------------------------------------------------------------

    /** Requests VMs up to the target, or drains the least useful ones down to it. */
    void balanceVms(PartitionEntry partition) {
        List<VmEntry> live = state.vms.values().stream().filter(vm -> vm.partition.equals(partition.name))
                .filter(ControllerState::isLive)
                .toList();
        int target = ControllerState.targetVms(partition);
        for (int i = live.size(); i < target; i++) {
            requestVm(partition);
        }
        int surplus = live.size() - target;
        if (surplus <= 0) {
            return;
        }
        // Unused VMs first (not booted yet or degraded, then empty), then the least allocated.
        List<VmEntry> order = new ArrayList<>(live);
        order.sort(Comparator.comparingInt((VmEntry vm) -> vm.state == VmState.READY ? 1 : 0)
                .thenComparingInt(vm -> vm.allocated.cpuMillis() + vm.allocated.memoryMiB()));
        for (VmEntry vm : order.subList(0, surplus)) {
            state.setVmState(vm, VmState.DRAINING, "draining: its processes move to other VMs first");
            unit.write(tx -> tx.updateVm(vm));
            LOG.info("VM {} of partition {} draining", vm.id, partition.name);
        }
    }

    /**
     * Draining VMs: once a subscription runs enough processes elsewhere, its processes there stop;
     * an empty draining VM is handed to the adapter for destruction.
     */
    void retireDrainingVms(List<VmEntry> toDestroy) {
        for (VmEntry vm : state.vms.values()) {
            if (vm.state != VmState.DRAINING) {
                continue;
            }
            for (ProcessEntry p : state.processesOnVm(vm.id)) {
                if (!p.stopping) {
                    SubscriptionEntry s = state.subscriptionsByAlias.get(p.alias);
                    long runningElsewhere = state.processesOf(p.alias).stream()
                            .filter(o -> !o.stopping && o.state == ProcessState.RUNNING && !vm.id.equals(o.vmId)).count();
                    if (runningElsewhere >= s.desiredProcesses) {
                        scheduler.stop(p, "its VM " + vm.id + " is draining");
                    }
                }
            }
            if (!state.processesByVm.containsKey(vm.id)) {
                state.setVmState(vm, VmState.TERMINATING, "empty; being destroyed");
                unit.write(tx -> tx.updateVm(vm));
            }
        }
        for (VmEntry vm : state.vms.values()) {
            if (vm.state == VmState.TERMINATING && adapters.apply(vm.adapter) != null) {
                toDestroy.add(vm);
            }
        }
    }

    /** Marks LOST the ready, degraded or draining VMs whose agent has been silent longer than the grace period. */
    void markSilentLost(long now) {
        long grace = TimeUnit.SECONDS.toMillis(settings.get().agentGracePeriodSeconds());
        for (VmEntry vm : state.vms.values()) {
            if (ControllerState.isServing(vm) && now - vm.lastHeartbeatMillis > grace) {
                markLost(vm, "agent silent for more than " + settings.get().agentGracePeriodSeconds() + " s");
            }
        }
    }

    void markLost(VmEntry vm, String why) {
        LOG.warn("VM {} lost: {}; re-placing its processes", vm.id, why);
        vm.lostSinceMillis = clock.millis();
        state.setVmState(vm, VmState.LOST, why);
        unit.write(tx -> tx.updateVm(vm));
        for (ProcessEntry p : state.processesOnVm(vm.id)) {
            if (p.stopping) {
                state.removeProcess(p);
                unit.write(tx -> tx.deleteProcess(p.id));
                continue;
            }
            state.setVm(p, null);
            p.runtime = null;
            state.setState(p, ProcessState.PENDING);
            p.hostPort = 0; // routes touched: setVm and setState above
            p.reason = "VM " + vm.id + " lost";
            unit.write(tx -> tx.updateProcess(p));
        }
        vm.allocated = Resources.ZERO;
        unit.bump(vm);
    }

    /** The REQUESTED VMs whose adapter is there to create them. */
    List<VmEntry> toCreate() {
        List<VmEntry> toCreate = new ArrayList<>();
        for (VmEntry vm : state.vms.values()) {
            if (vm.state == VmState.REQUESTED && adapters.apply(vm.adapter) != null) {
                toCreate.add(vm);
            }
        }
        return toCreate;
    }

    /** The LOST VMs due for destruction whose adapter is there; failure summaries forget VMs that are gone. */
    List<VmEntry> lostToDestroy(long now) {
        List<VmEntry> due = LostVms.due(state.vms.values(), state.partitions::get, state::liveVmCount,
                ControllerState::targetVms, now, TimeUnit.SECONDS.toMillis(settings.get().lostVmDestroySeconds()));
        due.removeIf(vm -> adapters.apply(vm.adapter) == null);
        createFailures.values().forEach(f -> f.retain(state.vmsById.keySet()));
        destroyFailures.values().forEach(f -> f.retain(state.vmsById.keySet()));
        return due;
    }

    private void requestVm(PartitionEntry partition) {
        VmEntry vm = new VmEntry(Ids.childId(partition.name), partition.name, partition.adapter, Ids.randomHex(16),
                VmState.REQUESTED, partition.vmCapacity);
        state.putVm(vm);
        unit.write(tx -> tx.insertVm(vm));
    }

    /** Forgets a VM the adapter destroyed, if it is still the one known by its id. */
    boolean forget(VmEntry vm) {
        if (state.vmsById.get(vm.id) != vm) {
            return false;
        }
        state.removeVm(vm);
        unit.write(tx -> tx.deleteVm(vm.id));
        return true;
    }

    // ---- creating a VM: partition looked up locked, the adapter called unlocked, its answer kept locked ----

    /** The partition of a VM still waiting for creation, or null. */
    PartitionEntry awaitingCreation(VmEntry vm) {
        PartitionEntry partition = state.partitions.get(vm.partition);
        return partition == null || vm.state != VmState.REQUESTED ? null : partition;
    }

    /** Calls the adapter (without the lock); its failure is thrown, for the caller to record ({@link #createFailed}). */
    VmRef create(IaasAdapter adapter, VmEntry vm, PartitionEntry partition) {
        if (vm.requestedBeforeLoad) {
            // The controller before this one (a restart, a fail-over) may have died while the adapter created it: the
            // VM id is the key the adapter knows it by, so a VM it already has is adopted, not created twice.
            vm.requestedBeforeLoad = false;
            for (VmRef existing : adapter.listVms()) {
                if (existing.vmId().equals(vm.id)) {
                    LOG.info("VM {} was asked of adapter {} before this controller took over: adopted, not created again", vm.id, vm.adapter);
                    return existing;
                }
            }
        }
        VmRef ref = adapter.createVm(new VmSpec(vm.id, vm.partition, vm.capacity, partition.template,
                controllerUrl.get(), vm.joinToken));
        createFailures(vm.adapter).succeeded(vm.id);
        return ref;
    }

    /** Without the lock, after the VM's detail was set. */
    void createFailed(VmEntry vm, RuntimeException e) {
        createFailures(vm.adapter).failed(vm.id, String.valueOf(e.getMessage()));
    }

    /** Keeps the adapter's reference of a created VM; false if the VM is no longer wanted. */
    boolean created(VmEntry vm, VmRef ref) {
        // The partition (or the VM, scaled in) may have gone while the adapter worked: nobody would destroy it.
        if (state.vmsById.get(vm.id) != vm) {
            return false;
        }
        // kept even when the agent registered first: without its reference the VM could never be destroyed
        vm.adapterRef = ref.adapterRef();
        if (vm.state == VmState.REQUESTED) {
            state.setVmState(vm, VmState.BOOTING, "waiting for its agent to register");
        }
        unit.write(tx -> tx.updateVm(vm));
        return true;
    }

    /** Without the lock: destroys a VM created after the controller stopped wanting it. */
    void destroyUnwanted(IaasAdapter adapter, VmEntry vm, VmRef ref) {
        LOG.warn("VM {} of partition {} was created by adapter {} as {} after the controller stopped wanting it "
                + "(its partition or the VM was removed meanwhile): destroying it", vm.id, vm.partition, vm.adapter, ref.adapterRef());
        try {
            adapter.destroyVm(ref);
        } catch (RuntimeException e) {
            LOG.warn("Adapter {} could not destroy unwanted VM {} ({}): {}; its sweep for unknown VMs tries again",
                    vm.adapter, vm.id, ref.adapterRef(), e.getMessage());
        }
    }

    // ---- destroying a LOST VM: the adapter called unlocked, then the VM forgotten locked -----------

    /** Calls the adapter (without the lock) to destroy a LOST VM; its failure is thrown, for the caller to record. */
    void destroyLost(VmEntry vm, String ref) {
        IaasAdapter adapter = adapters.apply(vm.adapter);
        if (ref != null) {
            adapter.destroyVm(new VmRef(vm.id, ref));
        }
        destroyFailures(vm.adapter).succeeded(vm.id);
    }

    /** The adapter could not destroy a LOST VM: asked again a minute later. */
    void destroyLostFailed(VmEntry vm, RuntimeException e) {
        vm.nextDestroyMillis = clock.millis() + FAILURE_SUMMARY_INTERVAL.toMillis();
        vm.detail = "lost; its adapter could not destroy it: " + e.getMessage();
    }

    /** Without the lock, after {@link #destroyLostFailed}. */
    void summariseDestroyFailure(VmEntry vm, RuntimeException e) {
        destroyFailures(vm.adapter).failed(vm.id, String.valueOf(e.getMessage()));
    }

    /** Forgets a destroyed LOST VM; an agent that came back meanwhile has what was placed there since moved again. */
    boolean forgetLost(VmEntry vm) {
        if (state.vmsById.get(vm.id) != vm) {
            return false;
        }
        if (vm.state != VmState.LOST) {
            markLost(vm, "destroyed by adapter " + vm.adapter);
        }
        return forget(vm);
    }

    /** Without the lock: logs the destruction and posts {@link #TOPIC_VM_DESTROYED}. */
    void destroyedLost(VmEntry vm, String ref, long lostSeconds) {
        String reason = "LOST for " + lostSeconds + " s (lostVmDestroySeconds " + settings.get().lostVmDestroySeconds() + ")";
        LOG.info("VM {} of partition {} destroyed by adapter {} ({}) and removed: {}", vm.id, vm.partition, vm.adapter, ref, reason);
        Map<String, Object> properties = new HashMap<>();
        properties.put("vmId", vm.id);
        properties.put("partition", vm.partition);
        properties.put("adapter", vm.adapter);
        properties.put("adapterRef", ref == null ? "" : ref);
        properties.put("reason", reason);
        try {
            events.accept(TOPIC_VM_DESTROYED, properties);
        } catch (RuntimeException e) {
            LOG.debug("posting {} failed", TOPIC_VM_DESTROYED, e);
        }
    }

    /** Without the lock: asks the adapter to destroy a VM the controller no longer tracks. */
    void destroy(VmEntry vm) {
        IaasAdapter adapter = adapters.apply(vm.adapter);
        if (adapter == null || vm.adapterRef == null) {
            if (vm.adapterRef != null) {
                LOG.warn("VM {} ({}) is no longer tracked but adapter {} is unavailable to destroy it", vm.id, vm.adapterRef, vm.adapter);
            }
            return;
        }
        try {
            adapter.destroyVm(new VmRef(vm.id, vm.adapterRef));
        } catch (RuntimeException e) {
            LOG.warn("Adapter {} could not destroy VM {}: {}", vm.adapter, vm.id, e.toString());
        }
    }

    private FailureSummary createFailures(String adapter) {
        return createFailures.computeIfAbsent(adapter, a -> new FailureSummary("Adapter " + a + " creating VMs", clock,
                FAILURE_SUMMARY_INTERVAL, warnLog, infoLog));
    }

    private FailureSummary destroyFailures(String adapter) {
        return destroyFailures.computeIfAbsent(adapter, a -> new FailureSummary("Adapter " + a + " destroying LOST VMs", clock,
                FAILURE_SUMMARY_INTERVAL, warnLog, infoLog));
    }
}
