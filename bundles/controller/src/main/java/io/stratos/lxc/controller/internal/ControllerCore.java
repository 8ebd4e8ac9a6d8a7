package io.stratos.lxc.controller.internal;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.agent.AgentCredentials;
import io.stratos.lxc.api.agent.AgentRegistration;
import io.stratos.lxc.api.agent.AgentRegistry;
import io.stratos.lxc.api.agent.AgentReport;
import io.stratos.lxc.api.agent.DesiredProcess;
import io.stratos.lxc.api.agent.DesiredState;
import io.stratos.lxc.api.agent.ProcessReport;
import io.stratos.lxc.api.artifact.ArtifactStatus;
import io.stratos.lxc.api.artifact.ArtifactStore;
import io.stratos.lxc.api.artifact.ArtifactVersion;
import io.stratos.lxc.api.artifact.GitArtifactSpec;
import io.stratos.lxc.api.artifact.GitFetcher;
import io.stratos.lxc.api.artifact.StoredArtifact;
import io.stratos.lxc.api.controller.CartridgeProcess;
import io.stratos.lxc.api.controller.CloudController;
import io.stratos.lxc.api.controller.Partition;
import io.stratos.lxc.api.controller.PartitionSpec;
import io.stratos.lxc.api.controller.PartitionVm;
import io.stratos.lxc.api.controller.ProcessDrain;
import io.stratos.lxc.api.controller.ProcessState;
import io.stratos.lxc.api.controller.Resources;
import io.stratos.lxc.api.controller.Subscription;
import io.stratos.lxc.api.controller.SubscriptionProcesses;
import io.stratos.lxc.api.controller.SubscriptionSpec;
import io.stratos.lxc.api.controller.VmRejoin;
import io.stratos.lxc.api.controller.VmState;
import io.stratos.lxc.api.iaas.IaasAdapter;
import io.stratos.lxc.api.iaas.VmRef;
import io.stratos.lxc.api.iaas.VmSpec;
import io.stratos.lxc.controller.internal.CartridgeResolver.ResolvedCartridge;
import io.stratos.lxc.controller.internal.Model.ArtifactEntry;
import io.stratos.lxc.controller.internal.Model.PartitionEntry;
import io.stratos.lxc.controller.internal.Model.ProcessEntry;
import io.stratos.lxc.controller.internal.Model.SubscriptionEntry;
import io.stratos.lxc.controller.internal.Model.VmEntry;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cloud controller's logic, free of OSGi so it can be tested directly. All state lives in memory
 * under one lock and is written through to the database: a change is applied to memory and recorded
 * as SQL, committed in one transaction at the end of the operation, and if the commit fails memory is
 * reloaded from the database, so memory never holds what the database does not.
 */
final class ControllerCore implements CloudController, AgentRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(ControllerCore.class);
    static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final SecureRandom RANDOM = new SecureRandom();
    /** How often a failure repeated for many VMs is summarised in the log. */
    static final Duration FAILURE_SUMMARY_INTERVAL = Duration.ofMinutes(1);
    /** EventAdmin topic of a VM the controller had its adapter destroy and then forgot (a LOST one, after lostVmDestroySeconds). */
    static final String TOPIC_VM_DESTROYED = "io/stratos/lxc/controller/VM_DESTROYED";

    private final Repository repository;
    private final Clock clock;
    private final Supplier<ControllerSettings> settings;
    private final Function<String, IaasAdapter> adapters;
    private final Supplier<CartridgeResolver> resolver;
    private final Supplier<String> controllerUrl;
    /** Whether an autoscale policy exists: true/false, or null while no autoscaler is there to ask. */
    private volatile Function<String, Boolean> policyExists = name -> null;
    /** What sends requests to processes (the router): asked before a leaving process is stopped. */
    private volatile Supplier<List<ProcessDrain>> drains = List::of;
    /** Where application artifacts are kept, and what reads git repositories; null while absent. */
    private volatile Supplier<ArtifactStore> artifactStore = () -> null;
    private volatile Supplier<GitFetcher> gitFetcher = () -> null;

    private final Map<String, PartitionEntry> partitions = new TreeMap<>();
    private final Map<String, VmEntry> vms = new TreeMap<>();
    /**
     * The same VMs by id in a hash map: looked up for every process in a pass, where the TreeMap's string compares showed.
     * Concurrent, so that authenticating an agent's request (every status report and long poll) needs no lock.
     */
    private final Map<String, VmEntry> vmsById = new java.util.concurrent.ConcurrentHashMap<>();
    private final java.util.NavigableMap<String, SubscriptionEntry> subscriptions = new TreeMap<>();
    /** The same subscriptions by alias for lookups: every state change finds its subscription (the tree's compares were 2 % of CPU). */
    private final Map<String, SubscriptionEntry> subscriptionsByAlias = new HashMap<>();
    private final Map<String, ProcessEntry> processes = new LinkedHashMap<>();
    /** The same processes indexed by alias: per-subscription work must not scan every process. */
    private final Map<String, Map<String, ProcessEntry>> processesByAlias = new HashMap<>();
    /** ... and by the VM they are placed on, for agent reports and placement. */
    private final Map<String, Map<String, ProcessEntry>> processesByVm = new HashMap<>();
    private final Map<String, List<Waiter>> waiters = new HashMap<>();
    private final List<Repository.Work> pendingWrites = new ArrayList<>();
    private final java.util.Set<VmEntry> changedVms = new java.util.LinkedHashSet<>();
    /** Processes whose INSERT is among the pending writes: it writes their fields as they are at the commit. */
    private final java.util.Set<ProcessEntry> insertPending = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    /** The PENDING processes, kept up to date (see setState), so placement does not scan every process. */
    private final java.util.Set<ProcessEntry> pending = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    /** The stopping processes still draining (drainingSinceMillis set), so finishDrains does not scan every process. */
    private final java.util.Set<ProcessEntry> draining = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
    private long processSequence;
    private long revisionCounter;
    /** False while the state is being (re)loaded: the VM janitor must not take an empty list for the truth. */
    private volatile boolean stateLoaded;
    /** Where summarised adapter failures are logged (a field so tests can read them). */
    volatile Consumer<String> warnLog = LOG::warn;
    volatile Consumer<String> infoLog = LOG::info;
    /** Per adapter: its VM creations and LOST-VM destructions failing, logged once then summarised. */
    private final Map<String, FailureSummary> createFailures = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<String, FailureSummary> destroyFailures = new java.util.concurrent.ConcurrentHashMap<>();
    /** Posts an OSGi event (topic, properties); the component wires it to EventAdmin when there is one. */
    private volatile BiConsumer<String, Map<String, Object>> events = (topic, properties) -> { };

    private record Waiter(long since, CompletableFuture<DesiredState> future) {
    }

    ControllerCore(Repository repository, Clock clock, Supplier<ControllerSettings> settings,
                   Function<String, IaasAdapter> adapters, Supplier<CartridgeResolver> resolver, Supplier<String> controllerUrl) {
        this.repository = repository;
        this.clock = clock;
        this.settings = settings;
        this.adapters = adapters;
        this.resolver = resolver;
        this.controllerUrl = controllerUrl;
        // Revisions start from the clock, so an agent's last revision from before a restart never matches.
        this.revisionCounter = clock.millis() * 1000;
    }

    void policyExists(Function<String, Boolean> check) {
        this.policyExists = check;
    }

    void drains(Supplier<List<ProcessDrain>> drains) {
        this.drains = drains;
    }

    void artifacts(Supplier<ArtifactStore> store, Supplier<GitFetcher> git) {
        this.artifactStore = store;
        this.gitFetcher = git;
    }

    void events(BiConsumer<String, Map<String, Object>> post) {
        this.events = post;
    }

    /** The ids of every VM the controller has, or null while its state is not loaded (for the {@link VmJanitor}). */
    synchronized java.util.Set<String> knownVmIds() {
        return stateLoaded ? java.util.Set.copyOf(vms.keySet()) : null;
    }

    /** Reads the persisted state; VMs get a fresh grace period to report in after a controller restart. */
    synchronized void load() {
        stateLoaded = false;
        partitions.clear();
        vms.clear();
        subscriptions.clear();
        subscriptionsByAlias.clear();
        processes.clear();
        processesByAlias.clear();
        processesByVm.clear();
        pending.clear();
        draining.clear();
        Repository.Loaded loaded;
        try {
            loaded = repository.load();
        } catch (RuntimeException e) {
            vmsById.clear();
            throw e;
        }
        long now = clock.millis();
        loaded.partitions().forEach(p -> partitions.put(p.name, p));
        loaded.subscriptions().forEach(s -> {
            subscriptions.put(s.alias, s);
            subscriptionsByAlias.put(s.alias, s);
        });
        for (VmEntry vm : loaded.vms()) {
            vm.lastHeartbeatMillis = now;
            vm.lostSinceMillis = now; // a LOST VM's time to destruction starts again: the moment is not persisted
            vm.revision = ++revisionCounter;
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
        stateLoaded = true;
        LOG.info("Controller state loaded: {} partitions, {} VMs, {} subscriptions, {} processes",
                partitions.size(), vms.size(), subscriptions.size(), processes.size());
    }

    // ---- write-through --------------------------------------------------------------------------

    private void write(Repository.Work work) {
        pendingWrites.add(work);
    }

    /** Commits what the operation wrote; on failure reloads memory from the database and rethrows. */
    private void commit() {
        if (!pendingWrites.isEmpty()) {
            flushWrites();
        }
        // Agents only ever see committed state.
        for (VmEntry vm : changedVms) {
            List<Waiter> list = waiters.remove(vm.id);
            if (list != null && vmsById.get(vm.id) == vm) {
                DesiredState state = desiredOf(vm);
                list.forEach(w -> w.future.complete(state));
            }
        }
        changedVms.clear();
    }

    private void flushWrites() {
        List<Repository.Work> writes = new ArrayList<>(pendingWrites);
        pendingWrites.clear();
        insertPending.clear();
        try {
            repository.inTransaction(tx -> {
                for (Repository.Work work : writes) {
                    work.run(tx);
                }
            });
        } catch (RuntimeException e) {
            changedVms.clear();
            LOG.error("Commit failed, reloading controller state from the database", e);
            try {
                load();
            } catch (RuntimeException reload) {
                LOG.error("Reload failed too", reload);
            }
            throw e;
        }
    }

    // ---- partitions ------------------------------------------------------------------------------

    @Override
    public synchronized Partition createPartition(PartitionSpec spec) {
        if (spec == null) {
            throw StratosException.invalid(null, "a partition needs a JSON body", "send {\"name\",\"cartridge\",...}");
        }
        String name = label("name", spec.name());
        String cartridge = label("cartridge", spec.cartridge());
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
        if (partitions.containsKey(name)) {
            throw StratosException.conflict("name", "partition '" + name + "' exists", "choose another name or delete it first");
        }
        for (PartitionEntry p : partitions.values()) {
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
        PartitionChecks.cartridgeExists(resolver.get(), cartridge);
        PartitionEntry entry = new PartitionEntry(name, cartridge, adapter, min, max, capacity, template);
        entry.desiredVms = min;
        partitions.put(name, entry);
        write(tx -> tx.insertPartition(entry));
        for (int i = 0; i < min; i++) {
            requestVm(entry);
        }
        commit();
        LOG.info("Partition {} created for cartridge {} on adapter {} ({}..{} VMs)", name, cartridge, adapter, min, max);
        return toPartition(entry);
    }

    @Override
    public synchronized List<Partition> partitions() {
        return partitions.values().stream().map(this::toPartition).toList();
    }

    @Override
    public synchronized Partition partition(String name) {
        return toPartition(partitionEntry(name));
    }

    @Override
    public void deletePartition(String name) {
        List<VmEntry> toDestroy;
        synchronized (this) {
            PartitionEntry partition = partitionEntry(name);
            List<String> users = subscriptions.values().stream().filter(s -> s.cartridge.equals(partition.cartridge))
                    .map(s -> s.alias).toList();
            if (!users.isEmpty()) {
                throw StratosException.conflict("name", "partition '" + name + "' still serves subscriptions " + users,
                        "unsubscribe them first");
            }
            toDestroy = vms.values().stream().filter(vm -> vm.partition.equals(name)).toList();
            if (adapters.apply(partition.adapter) == null && toDestroy.stream().anyMatch(vm -> vm.adapterRef != null)) {
                // Forgetting VMs we cannot destroy would leave them running unseen.
                throw StratosException.conflict("adapter", "partition '" + name + "' has VMs and its IaaS adapter '"
                        + partition.adapter + "' is unavailable to destroy them", "start the adapter's bundle, then delete");
            }
            toDestroy.forEach(this::removeVm);
            partitions.remove(name);
            write(tx -> tx.deletePartition(name));
            commit();
        }
        for (VmEntry vm : toDestroy) {
            destroy(vm);
        }
        LOG.info("Partition {} deleted with its {} VMs", name, toDestroy.size());
    }

    @Override
    public synchronized Partition scalePartition(String name, int count) {
        PartitionEntry partition = partitionEntry(name);
        if (count < partition.minVms || count > partition.maxVms) {
            throw StratosException.invalid("vms", "partition '" + name + "' can have " + partition.minVms + " to "
                    + partition.maxVms + " VMs, not " + count, "choose a number in that range");
        }
        partition.desiredVms = count;
        write(tx -> tx.updateDesiredVms(name, count));
        balanceVms(partition);
        commit();
        LOG.info("Partition {} scaled to {} VMs", name, count);
        return toPartition(partition);
    }

    private int targetVms(PartitionEntry partition) {
        return Math.max(partition.minVms, Math.min(partition.maxVms, partition.desiredVms));
    }

    /** Requests VMs up to the target, or drains the least useful ones down to it. */
    private void balanceVms(PartitionEntry partition) {
        List<VmEntry> live = vms.values().stream().filter(vm -> vm.partition.equals(partition.name))
                .filter(vm -> vm.state == VmState.REQUESTED || vm.state == VmState.BOOTING || vm.state == VmState.READY)
                .toList();
        int target = targetVms(partition);
        for (int i = live.size(); i < target; i++) {
            requestVm(partition);
        }
        int surplus = live.size() - target;
        if (surplus <= 0) {
            return;
        }
        // Unused VMs first (not booted yet, then empty), then the least allocated.
        List<VmEntry> order = new ArrayList<>(live);
        order.sort(Comparator.comparingInt((VmEntry vm) -> vm.state == VmState.READY ? 1 : 0)
                .thenComparingInt(vm -> vm.allocated.cpuMillis() + vm.allocated.memoryMiB()));
        for (VmEntry vm : order.subList(0, surplus)) {
            vm.state = VmState.DRAINING;
            vm.detail = "draining: its processes move to other VMs first";
            write(tx -> tx.updateVm(vm));
            LOG.info("VM {} of partition {} draining", vm.id, partition.name);
        }
    }

    /**
     * Draining VMs: once a subscription runs enough processes elsewhere, its processes there stop;
     * an empty draining VM is handed to the adapter for destruction.
     */
    private void retireDrainingVms(List<VmEntry> toDestroy) {
        for (VmEntry vm : vms.values()) {
            if (vm.state != VmState.DRAINING) {
                continue;
            }
            for (ProcessEntry p : processesOnVm(vm.id)) {
                if (!p.stopping) {
                    SubscriptionEntry s = subscriptionsByAlias.get(p.alias);
                    long runningElsewhere = processesOf(p.alias).stream()
                            .filter(o -> !o.stopping && o.state == ProcessState.RUNNING && !vm.id.equals(o.vmId)).count();
                    if (runningElsewhere >= s.desiredProcesses) {
                        stop(p, "its VM " + vm.id + " is draining");
                    }
                }
            }
            if (!processesByVm.containsKey(vm.id)) {
                vm.state = VmState.TERMINATING;
                vm.detail = "empty; being destroyed";
                write(tx -> tx.updateVm(vm));
            }
        }
        for (VmEntry vm : vms.values()) {
            if (vm.state == VmState.TERMINATING && adapters.apply(vm.adapter) != null) {
                toDestroy.add(vm);
            }
        }
    }

    private boolean onDrainingVm(ProcessEntry p) {
        VmEntry vm = p.vmId == null ? null : vmsById.get(p.vmId);
        return vm != null && vm.state == VmState.DRAINING;
    }

    private PartitionEntry partitionEntry(String name) {
        PartitionEntry entry = partitions.get(name);
        if (entry == null) {
            throw StratosException.notFound("no partition '" + name + "'", "list them with GET /partitions");
        }
        return entry;
    }

    private void requestVm(PartitionEntry partition) {
        VmEntry vm = new VmEntry(childId(partition.name), partition.name, partition.adapter, randomHex(16),
                VmState.REQUESTED, partition.vmCapacity);
        putVm(vm);
        write(tx -> tx.insertVm(vm));
    }

    private void putVm(VmEntry vm) {
        vms.put(vm.id, vm);
        vmsById.put(vm.id, vm);
    }

    private void removeVm(VmEntry vm) {
        vms.remove(vm.id);
        vmsById.remove(vm.id);
    }

    @Override
    public synchronized List<PartitionVm> vms() {
        return vms.values().stream().map(this::toVm).toList();
    }

    // ---- subscriptions ---------------------------------------------------------------------------

    @Override
    public Subscription subscribe(String tenant, SubscriptionSpec spec) {
        // Asked before taking this lock: the autoscaler asks this controller for subscriptions while it holds its
        // own lock, so asking it under ours deadlocked both (seen in the fleet benchmark).
        Boolean policyKnown = spec == null || spec.policy() == null ? null : policyExists.apply(spec.policy());
        synchronized (this) {
            return subscribe(tenant, spec, policyKnown);
        }
    }

    private Subscription subscribe(String tenant, SubscriptionSpec spec, Boolean policyKnown) {
        if (spec == null) {
            throw StratosException.invalid(null, "a subscription needs a JSON body", "send {\"alias\",\"cartridge\"}");
        }
        String alias = label("alias", spec.alias());
        String cartridge = label("cartridge", spec.cartridge());
        int min = spec.minProcesses() == null ? 1 : spec.minProcesses();
        int max = spec.maxProcesses() == null ? Math.max(min, 10) : spec.maxProcesses();
        if (min < 0 || min > 1000) {
            throw StratosException.invalid("minProcesses", "minProcesses must be from 0 to 1000, not " + min, null);
        }
        if (max < Math.max(min, 1) || max > 1000) {
            throw StratosException.invalid("maxProcesses", "maxProcesses must be at least minProcesses (and 1) and at most 1000, not " + max, null);
        }
        if (subscriptions.containsKey(alias)) {
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
        subscriptions.put(alias, entry);
        subscriptionsByAlias.put(alias, entry);
        write(tx -> tx.insertSubscription(entry));
        adjustProcessCount(entry);
        placePending();
        commit();
        LOG.info("Subscription {} to {}:{} created for tenant {} ({}..{} processes)", alias, resolved.name(),
                resolved.version(), entry.tenant, min, max);
        return toSubscription(entry);
    }

    @Override
    public synchronized List<Subscription> subscriptions() {
        return subscriptions.values().stream().map(this::toSubscription).toList();
    }

    @Override
    public synchronized Subscription subscription(String alias) {
        return toSubscription(subscriptionEntry(alias));
    }

    @Override
    public synchronized void unsubscribe(String alias) {
        SubscriptionEntry entry = subscriptionEntry(alias);
        for (ProcessEntry p : processesOf(alias)) {
            release(p);
            removeProcess(p);
        }
        subscriptions.remove(alias);
        subscriptionsByAlias.remove(alias);
        write(tx -> tx.deleteSubscription(alias));
        commit();
        LOG.info("Subscription {} removed; alias freed", entry.alias);
    }

    @Override
    public synchronized Subscription scale(String alias, int count) {
        SubscriptionEntry entry = subscriptionEntry(alias);
        if (count < entry.minProcesses || count > entry.maxProcesses) {
            throw StratosException.invalid("processes", "subscription '" + alias + "' can have " + entry.minProcesses
                    + " to " + entry.maxProcesses + " processes, not " + count, "choose a number in that range");
        }
        entry.desiredProcesses = count;
        write(tx -> tx.updateDesiredProcesses(alias, count));
        adjustProcessCount(entry);
        placePending();
        commit();
        return toSubscription(entry);
    }

    @Override
    public synchronized List<CartridgeProcess> processes(String alias) {
        subscriptionEntry(alias);
        return processesOf(alias).stream().map(this::toProcess).toList();
    }

    @Override
    public synchronized List<CartridgeProcess> processes() {
        return processes.values().stream().map(this::toProcess).toList();
    }

    /** Processes copied per hold of the lock in {@link #subscriptionsWithProcesses} (a field for the tests). */
    int viewProcessesPerHold = 5_000;

    /**
     * One call for the whole view (the autoscaler's pass asked once per subscription before, ~300 holds of the lock
     * at 10,000 VMs). The lock is released after every viewProcessesPerHold (5,000) processes copied, so a change
     * or a status report never waits for all 300,000 to be copied; each subscription is seen at one moment.
     */
    @Override
    public List<SubscriptionProcesses> subscriptionsWithProcesses(Predicate<Subscription> which) {
        List<SubscriptionProcesses> all = new ArrayList<>();
        String after = null;
        while (true) {
            synchronized (this) {
                Map<String, SubscriptionEntry> rest = after == null ? subscriptions : subscriptions.tailMap(after, false);
                int copied = 0;
                for (SubscriptionEntry s : rest.values()) {
                    if (copied >= viewProcessesPerHold) {
                        break;
                    }
                    after = s.alias;
                    Subscription subscription = toSubscription(s);
                    if (!which.test(subscription)) {
                        continue;
                    }
                    Map<String, ProcessEntry> own = processesByAlias.get(s.alias);
                    List<CartridgeProcess> list = new ArrayList<>(own == null ? 0 : own.size());
                    if (own != null) {
                        for (ProcessEntry p : own.values()) {
                            list.add(toProcess(p, s));
                        }
                    }
                    copied += list.size() + 1;
                    all.add(new SubscriptionProcesses(subscription, list));
                }
                if (copied < viewProcessesPerHold) {
                    return all;
                }
            }
        }
    }

    private SubscriptionEntry subscriptionEntry(String alias) {
        SubscriptionEntry entry = subscriptionsByAlias.get(alias);
        if (entry == null) {
            throw CloudController.noSuchSubscription(alias);
        }
        return entry;
    }

    private void putProcess(ProcessEntry p) {
        p.sequence = ++processSequence;
        processes.put(p.id, p);
        index(processesByAlias, p.alias, p);
        if (p.vmId != null) {
            index(processesByVm, p.vmId, p);
        }
        count(p, 1);
    }

    private void removeProcess(ProcessEntry p) {
        if (processes.remove(p.id) == null) {
            return;
        }
        unindex(processesByAlias, p.alias, p);
        if (p.vmId != null) {
            unindex(processesByVm, p.vmId, p);
        }
        count(p, -1);
        draining.remove(p);
    }

    /** Every change of a process's state goes through here, to keep the per-subscription counts and PENDING set right. */
    private void setState(ProcessEntry p, ProcessState state) {
        if (p.state == state) {
            return;
        }
        count(p, -1);
        p.state = state;
        count(p, 1);
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
    private void setDrainingSince(ProcessEntry p, long millis) {
        p.drainingSinceMillis = millis;
        if (millis >= 0) {
            draining.add(p);
        } else {
            draining.remove(p);
        }
    }

    /** Every change of a process's VM goes through here, to keep the index right. */
    private void setVm(ProcessEntry p, String vmId) {
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

    private List<ProcessEntry> processesOnVm(String vmId) {
        Map<String, ProcessEntry> on = processesByVm.get(vmId);
        return on == null ? List.of() : new ArrayList<>(on.values());
    }

    private List<ProcessEntry> processesOf(String alias) {
        Map<String, ProcessEntry> own = processesByAlias.get(alias);
        return own == null ? List.of() : new ArrayList<>(own.values());
    }

    /** Creates PENDING processes or marks surplus ones STOPPING until the count matches the desired one. */
    private void adjustProcessCount(SubscriptionEntry s) {
        // Processes on a draining VM are leaving: replacements are made for them elsewhere.
        // Counted without copying: this runs for every subscription in every pass.
        Map<String, ProcessEntry> own = processesByAlias.get(s.alias);
        int liveCount = 0;
        boolean olderArtifact = false;
        if (own != null) {
            for (ProcessEntry p : own.values()) {
                if (!p.stopping && !onDrainingVm(p)) {
                    liveCount++;
                    olderArtifact |= p.artifact != s.desiredArtifact;
                }
            }
        }
        for (int i = liveCount; i < s.desiredProcesses; i++) {
            ProcessEntry p = newProcess(s);
            putProcess(p);
            write(tx -> tx.insertProcess(p));
            insertPending.add(p);
        }
        // A rollout runs one process more than desired while the new one proves healthy (see rollOut).
        boolean rolling = s.desiredArtifact != s.deployedArtifact || olderArtifact;
        int surplus = liveCount - s.desiredProcesses - (rolling ? 1 : 0);
        if (surplus > 0) {
            List<ProcessEntry> live = own.values().stream().filter(p -> !p.stopping && !onDrainingVm(p)).toList();
            // Stop what is not running yet first, then what runs an older artifact, then the newest.
            List<ProcessEntry> order = new ArrayList<>(live);
            order.sort(Comparator.comparing((ProcessEntry p) -> p.state == ProcessState.RUNNING)
                    .thenComparing(p -> p.artifact == s.desiredArtifact));
            for (ProcessEntry p : order.subList(0, surplus)) {
                stop(p, "scaled down");
            }
        }
    }

    private void stop(ProcessEntry p, String reason) {
        VmEntry host = p.vmId == null ? null : vmsById.get(p.vmId);
        if (host == null || (host.state != VmState.READY && host.state != VmState.DRAINING)) {
            // Nothing runs it (or its VM is gone): forget it at once.
            release(p);
            removeProcess(p);
            write(tx -> tx.deleteProcess(p.id));
            return;
        }
        boolean serving = p.state == ProcessState.RUNNING;
        p.stopping = true;
        setState(p, ProcessState.STOPPING);
        p.reason = reason;
        write(tx -> tx.updateProcess(p));
        if (serving && !drains.get().isEmpty() && settings.get().drainTimeoutSeconds() > 0) {
            // STOPPING takes it out of the router at once; its agent keeps it running until the requests
            // sent to it have finished (see finishDrains), so scaling in loses none.
            setDrainingSince(p, clock.millis());
            p.reason = reason + "; draining: out of the router, finishing its requests";
            return;
        }
        bump(vmsById.get(p.vmId));
    }

    /**
     * Stops the draining processes that every {@link ProcessDrain} reports drained, or that have drained
     * for {@code drainTimeoutSeconds}. The drains are asked outside the lock: the router looks processes
     * up through this controller.
     */
    void finishDrains() {
        Map<String, String> draining = new LinkedHashMap<>();
        synchronized (this) {
            for (ProcessEntry p : this.draining) {
                if (p.stopping && p.drainingSinceMillis >= 0) {
                    draining.put(p.id, p.alias);
                }
            }
        }
        if (draining.isEmpty()) {
            return;
        }
        List<ProcessDrain> asked = drains.get();
        java.util.Set<String> drained = new java.util.HashSet<>();
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
        synchronized (this) {
            long timeout = TimeUnit.SECONDS.toMillis(settings.get().drainTimeoutSeconds());
            long now = clock.millis();
            for (String id : draining.keySet()) {
                ProcessEntry p = processes.get(id);
                if (p == null || !p.stopping || p.drainingSinceMillis < 0) {
                    continue;
                }
                boolean done = drained.contains(id);
                if (!done && now - p.drainingSinceMillis < timeout) {
                    continue;
                }
                long took = now - p.drainingSinceMillis;
                setDrainingSince(p, -1);
                p.reason = p.reason.replace("; draining: out of the router, finishing its requests", "");
                VmEntry vm = p.vmId == null ? null : vmsById.get(p.vmId);
                if (vm != null) {
                    bump(vm);
                }
                if (done) {
                    LOG.info("Process {} of {} drained in {} ms; stopping it", id, p.alias, took);
                } else {
                    LOG.warn("Process {} of {} still had requests after {} s of draining; stopping it", id, p.alias,
                            settings.get().drainTimeoutSeconds());
                }
            }
            commit();
        }
    }

    // ---- placement -------------------------------------------------------------------------------

    /**
     * Places every PENDING process. Bin-packing, most-allocated VM first (so VMs empty out and can be
     * scaled in), but a VM without a process of the same subscription wins (spread for availability).
     */
    private void placePending() {
        partitions.values().forEach(p -> {
            p.pending = 0;
            p.shortfall = Resources.ZERO;
        });
        // Per subscription, its live processes per VM: built once per pass, updated as processes are placed.
        Map<String, Map<String, Integer>> spread = new HashMap<>();
        // Consecutive processes of one subscription share an ordered view of the VMs (see Placement.Batch):
        // looking at every VM for each process made placement O(VMs) per process (JFR, 10,000 VMs).
        Placement.Batch batch = null;
        String batchAlias = null;
        if (pending.isEmpty()) {
            return;
        }
        // The PENDING ones in the order of the process table (creation), as a scan of every process took them.
        List<ProcessEntry> queue = new ArrayList<>(pending);
        queue.sort(Comparator.comparingLong(p -> p.sequence));
        Map<String, PartitionEntry> partitionOf = new HashMap<>();
        for (ProcessEntry p : queue) {
            if (p.state != ProcessState.PENDING || p.stopping) {
                continue;
            }
            SubscriptionEntry s = subscriptionsByAlias.get(p.alias);
            PartitionEntry partition = partitionOf.computeIfAbsent(s.cartridge, c -> partitions.values().stream()
                    .filter(x -> x.cartridge.equals(c)).findFirst().orElse(null));
            if (partition == null) {
                p.reason = "no partition serves cartridge '" + s.cartridge + "'";
                continue;
            }
            Map<String, Integer> perVm = spread.computeIfAbsent(s.alias, this::liveProcessesPerVm);
            if (batch == null || !s.alias.equals(batchAlias)) {
                batch = new Placement.Batch(vms.values(), partition.name, s.request, s.runtimes,
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
            setVm(p, best.id);
            p.runtime = Placement.runtimeFor(best, s.runtimes);
            setState(p, ProcessState.STARTING);
            p.reason = "";
            best.allocated = best.allocated.plus(s.request);
            perVm.merge(best.id, 1, Integer::sum);
            batch.placed(best);
            if (!insertPending.contains(p)) {
                // a process created in this operation is written once, placed (half the rows of a new subscription)
                write(tx -> tx.updateProcess(p));
            }
            bump(best);
        }
    }

    private Map<String, Integer> liveProcessesPerVm(String alias) {
        Map<String, Integer> perVm = new HashMap<>();
        for (ProcessEntry p : processesOf(alias)) {
            if (p.vmId != null && !p.stopping) {
                perVm.merge(p.vmId, 1, Integer::sum);
            }
        }
        return perVm;
    }

    private void release(ProcessEntry p) {
        VmEntry vm = p.vmId == null ? null : vmsById.get(p.vmId);
        SubscriptionEntry s = subscriptionsByAlias.get(p.alias);
        if (vm != null && s != null) {
            vm.allocated = vm.allocated.minus(s.request);
            bump(vm);
        }
    }

    private static boolean isReady(VmEntry vm) {
        return vm != null && vm.state == VmState.READY;
    }

    // ---- reconciliation --------------------------------------------------------------------------

    /** One pass: lost agents, process counts, placement, VM requests; then the adapter calls. */
    void reconcile() {
        finishDrains();
        List<VmEntry> toCreate = new ArrayList<>();
        List<VmEntry> toDestroy = new ArrayList<>();
        List<VmEntry> lostToDestroy;
        synchronized (this) {
            long now = clock.millis();
            long grace = TimeUnit.SECONDS.toMillis(settings.get().agentGracePeriodSeconds());
            for (VmEntry vm : vms.values()) {
                if ((vm.state == VmState.READY || vm.state == VmState.DRAINING) && now - vm.lastHeartbeatMillis > grace) {
                    markLost(vm, "agent silent for more than " + settings.get().agentGracePeriodSeconds() + " s");
                }
            }
            partitions.values().forEach(this::balanceVms);
            subscriptions.values().forEach(this::adjustProcessCount);
            subscriptions.values().forEach(this::rollOut);
            placePending();
            retireDrainingVms(toDestroy);
            commit();
            for (VmEntry vm : vms.values()) {
                if (vm.state == VmState.REQUESTED && adapters.apply(vm.adapter) != null) {
                    toCreate.add(vm);
                }
            }
            lostToDestroy = LostVms.due(vms.values(), partitions::get, this::liveVmCount, this::targetVms, now,
                    TimeUnit.SECONDS.toMillis(settings.get().lostVmDestroySeconds()));
            lostToDestroy.removeIf(vm -> adapters.apply(vm.adapter) == null);
            createFailures.values().forEach(f -> f.retain(vmsById.keySet()));
            destroyFailures.values().forEach(f -> f.retain(vmsById.keySet()));
        }
        for (VmEntry vm : toCreate) {
            createVm(vm);
        }
        for (VmEntry vm : lostToDestroy) {
            destroyLost(vm);
        }
        for (VmEntry vm : toDestroy) {
            destroy(vm);
            synchronized (this) {
                if (vmsById.get(vm.id) == vm && vm.state == VmState.TERMINATING) {
                    removeVm(vm);
                    write(tx -> tx.deleteVm(vm.id));
                    commit();
                }
            }
        }
    }

    private void markLost(VmEntry vm, String why) {
        LOG.warn("VM {} lost: {}; re-placing its processes", vm.id, why);
        vm.state = VmState.LOST;
        vm.lostSinceMillis = clock.millis();
        vm.detail = why;
        write(tx -> tx.updateVm(vm));
        for (ProcessEntry p : processesOnVm(vm.id)) {
            if (p.stopping) {
                removeProcess(p);
                write(tx -> tx.deleteProcess(p.id));
                continue;
            }
            setVm(p, null);
            p.runtime = null;
            setState(p, ProcessState.PENDING);
            p.hostPort = 0;
            p.reason = "VM " + vm.id + " lost";
            write(tx -> tx.updateProcess(p));
        }
        vm.allocated = Resources.ZERO;
        bump(vm);
    }

    /** The VMs of a partition that count towards its target: requested, booting or ready. */
    private int liveVmCount(PartitionEntry partition) {
        int live = 0;
        for (VmEntry vm : vms.values()) {
            if (vm.partition.equals(partition.name)
                    && (vm.state == VmState.REQUESTED || vm.state == VmState.BOOTING || vm.state == VmState.READY)) {
                live++;
            }
        }
        return live;
    }

    /**
     * Asks the adapter to destroy a LOST VM (outside the lock): on a cloud its silent agent's VM may still run and cost.
     * Forgotten only once the adapter confirms; a failure is asked again a minute later.
     */
    private void destroyLost(VmEntry vm) {
        IaasAdapter adapter = adapters.apply(vm.adapter);
        String ref = vm.adapterRef;
        long lostSeconds = TimeUnit.MILLISECONDS.toSeconds(clock.millis() - vm.lostSinceMillis);
        try {
            if (ref != null) {
                adapter.destroyVm(new VmRef(vm.id, ref));
            }
        } catch (RuntimeException e) {
            synchronized (this) {
                vm.nextDestroyMillis = clock.millis() + FAILURE_SUMMARY_INTERVAL.toMillis();
                vm.detail = "lost; its adapter could not destroy it: " + e.getMessage();
            }
            destroyFailures(vm.adapter).failed(vm.id, String.valueOf(e.getMessage()));
            return;
        }
        destroyFailures(vm.adapter).succeeded(vm.id);
        synchronized (this) {
            if (vmsById.get(vm.id) != vm) {
                return;
            }
            if (vm.state != VmState.LOST) {
                // its agent came back while the adapter destroyed it: what was placed there since moves again
                markLost(vm, "destroyed by adapter " + vm.adapter);
            }
            removeVm(vm);
            write(tx -> tx.deleteVm(vm.id));
            commit();
        }
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

    /** Asks the adapter for the VM, outside the lock (clouds take seconds). */
    private void createVm(VmEntry vm) {
        IaasAdapter adapter = adapters.apply(vm.adapter);
        if (adapter == null) {
            return;
        }
        PartitionEntry partition;
        synchronized (this) {
            partition = partitions.get(vm.partition);
            if (partition == null || vm.state != VmState.REQUESTED) {
                return;
            }
        }
        VmRef ref;
        try {
            ref = adapter.createVm(new VmSpec(vm.id, vm.partition, vm.capacity, partition.template,
                    controllerUrl.get(), vm.joinToken));
        } catch (RuntimeException e) {
            synchronized (this) {
                vm.detail = "adapter failed: " + e.getMessage();
            }
            createFailures(vm.adapter).failed(vm.id, String.valueOf(e.getMessage()));
            return;
        }
        createFailures(vm.adapter).succeeded(vm.id);
        boolean wanted;
        synchronized (this) {
            // The partition (or the VM, scaled in) may have gone while the adapter worked: nobody would destroy it.
            wanted = vmsById.get(vm.id) == vm;
            if (wanted) {
                // kept even when the agent registered first: without its reference the VM could never be destroyed
                vm.adapterRef = ref.adapterRef();
                if (vm.state == VmState.REQUESTED) {
                    vm.state = VmState.BOOTING;
                    vm.detail = "waiting for its agent to register";
                }
                write(tx -> tx.updateVm(vm));
                commit();
            }
        }
        if (!wanted) {
            LOG.warn("VM {} of partition {} was created by adapter {} as {} after the controller stopped wanting it "
                    + "(its partition or the VM was removed meanwhile): destroying it", vm.id, vm.partition, vm.adapter, ref.adapterRef());
            try {
                adapter.destroyVm(ref);
            } catch (RuntimeException e) {
                LOG.warn("Adapter {} could not destroy unwanted VM {} ({}): {}; its sweep for unknown VMs tries again",
                        vm.adapter, vm.id, ref.adapterRef(), e.getMessage());
            }
            return;
        }
        LOG.info("VM {} of partition {} created by adapter {} as {}", vm.id, vm.partition, vm.adapter, ref.adapterRef());
    }

    private FailureSummary createFailures(String adapter) {
        return createFailures.computeIfAbsent(adapter, a -> new FailureSummary("Adapter " + a + " creating VMs", clock,
                FAILURE_SUMMARY_INTERVAL, m -> warnLog.accept(m), m -> infoLog.accept(m)));
    }

    private FailureSummary destroyFailures(String adapter) {
        return destroyFailures.computeIfAbsent(adapter, a -> new FailureSummary("Adapter " + a + " destroying LOST VMs", clock,
                FAILURE_SUMMARY_INTERVAL, m -> warnLog.accept(m), m -> infoLog.accept(m)));
    }

    private void destroy(VmEntry vm) {
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

    // ---- agent protocol --------------------------------------------------------------------------

    /**
     * A join token works once: only while the VM has no agent secret. After that the agent registers with the secret
     * it was given (kept in its data directory), across its own and this controller's restarts (the secret is
     * persisted). A token seen again is refused like a wrong one, and logged: someone else holds it.
     */
    @Override
    public synchronized AgentCredentials register(AgentRegistration registration) {
        if (registration == null || registration.vmId() == null || (registration.joinToken() == null && registration.secret() == null)) {
            throw StratosException.invalid("joinToken", "a registration needs vmId and joinToken (or the agent's secret)", null);
        }
        VmEntry vm = vmsById.get(registration.vmId());
        String secret = vm == null ? null : vm.agentSecret;
        boolean bySecret = secret != null && registration.secret() != null && constantTimeEquals(secret, registration.secret());
        boolean tokenMatches = vm != null && registration.joinToken() != null && constantTimeEquals(vm.joinToken, registration.joinToken());
        if (!bySecret && !(tokenMatches && secret == null)) {
            if (tokenMatches) {
                LOG.warn("Refused a second registration of VM {} with its join token, which was used already: its agent "
                        + "registers with its secret; if that is lost, issue a new token (stratos:vm-rejoin {})", vm.id, vm.id);
            }
            // The same answer for an unknown VM, a wrong or used token and a wrong secret: tells an attacker nothing.
            throw StratosException.notFound("unknown VM or wrong join token",
                    "an agent registers once with its VM's join token, then with the secret it was given");
        }
        Resources claimed = registration.capacity();
        if (claimed != null && (claimed.cpuMillis() > vm.capacity.cpuMillis() || claimed.memoryMiB() > vm.capacity.memoryMiB())) {
            LOG.warn("Refused the agent of VM {}: it claims {}m/{}MiB, the VM was created with {}m/{}MiB", vm.id,
                    claimed.cpuMillis(), claimed.memoryMiB(), vm.capacity.cpuMillis(), vm.capacity.memoryMiB());
            throw StratosException.invalid("capacity", "VM " + vm.id + " was created with " + vm.capacity.cpuMillis() + "m CPU and "
                            + vm.capacity.memoryMiB() + " MiB; its agent claims " + claimed.cpuMillis() + "m and " + claimed.memoryMiB() + " MiB",
                    "an agent claims at most its VM's capacity (STRATOS_AGENT_CPU_MILLIS, STRATOS_AGENT_MEMORY_MIB), or leaves capacity out");
        }
        if (!bySecret) {
            vm.agentSecret = randomHex(16);
        }
        if (vm.state != VmState.DRAINING && vm.state != VmState.TERMINATING) {
            // a restarted agent of a draining VM does not make it take new processes
            vm.state = VmState.READY;
        }
        vm.detail = "";
        if (claimed != null && !claimed.equals(vm.capacity)) {
            // The controller keeps the capacity it created the VM with: the agent's word does not change placement.
            LOG.warn("The agent of VM {} says it has {}m/{}MiB, less than the {}m/{}MiB it was created with; placing by the latter",
                    vm.id, claimed.cpuMillis(), claimed.memoryMiB(), vm.capacity.cpuMillis(), vm.capacity.memoryMiB());
        }
        vm.runtimes = registration.runtimes() == null ? List.of() : List.copyOf(registration.runtimes());
        vm.agentVersion = registration.agentVersion();
        vm.cachedImages = registration.cachedImages() == null ? List.of() : List.copyOf(registration.cachedImages());
        vm.lastHeartbeatMillis = clock.millis();
        write(tx -> tx.updateVm(vm));
        bump(vm);
        placePending();
        commit();
        LOG.info("Agent of VM {} registered: {}", vm.id, registration);
        ControllerSettings s = settings.get();
        return new AgentCredentials(vm.id, vm.agentSecret, Math.max(1, s.agentGracePeriodSeconds() / 6), s.desiredStateLongPollSeconds());
    }

    /**
     * An operator's answer to a lost agent secret: a new join token, the old secret ended (its agent is refused from
     * now on). The adapter hands the token to the VM where it can, outside the lock (adapters may take seconds).
     */
    @Override
    public VmRejoin rejoinVm(String vmId) {
        VmEntry vm;
        String token = randomHex(16);
        synchronized (this) {
            vm = vmId == null ? null : vmsById.get(vmId);
            if (vm == null) {
                throw StratosException.notFound("no VM '" + vmId + "'", "list them with GET /vms or stratos:vm-list");
            }
            vm.joinToken = token;
            vm.agentSecret = null;
            vm.detail = "waiting for its agent to rejoin with a new join token";
            write(tx -> tx.updateVm(vm));
            bump(vm);
            commit();
        }
        // waiters of the old agent get nothing more: its secret no longer authenticates
        LOG.info("VM {}: a new join token was issued; its agent's old secret no longer works", vmId);
        IaasAdapter adapter = adapters.apply(vm.adapter);
        boolean handed = false;
        if (adapter != null && vm.adapterRef != null) {
            try {
                handed = adapter.handOverJoinToken(new VmRef(vm.id, vm.adapterRef), token);
            } catch (RuntimeException e) {
                LOG.warn("Adapter {} could not hand the new join token to VM {}: {}", vm.adapter, vm.id, e.toString());
            }
        }
        String hint = handed ? "adapter " + vm.adapter + " handed the token to the VM's agent, which registers with it"
                : "hand the token to the VM's agent: write it to <agent data directory>/join-token on the VM "
                + "(or set STRATOS_AGENT_JOIN_TOKEN and restart the agent)";
        return new VmRejoin(vm.id, token, handed, hint);
    }

    @Override
    public CompletionStage<DesiredState> desiredState(String agentId, String secret, long since) {
        CompletableFuture<DesiredState> future = new CompletableFuture<>();
        synchronized (this) {
            VmEntry vm = authenticate(agentId, secret);
            vm.lastHeartbeatMillis = Math.max(vm.lastHeartbeatMillis, clock.millis());
            if (vm.revision != since) {
                return CompletableFuture.completedFuture(desiredOf(vm));
            }
            waiters.computeIfAbsent(vm.id, k -> new ArrayList<>()).add(new Waiter(since, future));
        }
        int seconds = settings.get().desiredStateLongPollSeconds();
        return future.completeOnTimeout(null, seconds, TimeUnit.SECONDS).thenApply(state -> {
            if (state != null) {
                return state;
            }
            synchronized (this) {
                List<Waiter> list = waiters.get(agentId);
                if (list != null) {
                    list.removeIf(w -> w.future == future);
                }
                VmEntry vm = vmsById.get(agentId);
                return vm == null ? new DesiredState(since, List.of()) : desiredOf(vm);
            }
        });
    }

    @Override
    public synchronized void report(String agentId, String secret, AgentReport report) {
        VmEntry vm = authenticate(agentId, secret);
        vm.lastHeartbeatMillis = clock.millis();
        vm.cachedImages = report.cachedImages();
        if (report.agentVersion() != null) {
            vm.agentVersion = report.agentVersion();
        }
        if (vm.state == VmState.LOST) {
            // It came back: its old processes were re-placed, so it starts empty.
            vm.state = VmState.READY;
            vm.detail = "";
            write(tx -> tx.updateVm(vm));
            bump(vm);
        }
        Map<String, ProcessEntry> on = processesByVm.get(vm.id);
        if (on == null) {
            commit();
            return;
        }
        java.util.Set<String> touched = null;
        // Most reports change nothing but metrics: the VM's own processes are looked up by id, nothing is copied.
        for (ProcessReport r : report.processes()) {
            ProcessEntry p = on.get(r.processId());
            if (p == null || p.stopping) {
                continue;
            }
            if (p.state != r.state() && p.artifact != 0) {
                if (touched == null) {
                    touched = new java.util.HashSet<>();
                }
                touched.add(p.alias);
            }
            setState(p, r.state());
            p.hostPort = r.hostPort();
            p.reason = r.reason() == null ? "" : r.reason();
            if (r.metrics() != null) {
                p.metrics = r.metrics();
            }
        }
        boolean anyStopping = false;
        for (ProcessEntry p : on.values()) {
            anyStopping |= p.stopping;
        }
        if (anyStopping) {
            Map<String, ProcessReport> reported = new HashMap<>();
            for (ProcessReport r : report.processes()) {
                reported.put(r.processId(), r);
            }
            for (ProcessEntry p : new ArrayList<>(on.values())) {
                ProcessReport r = reported.get(p.id);
                if (p.stopping && (r == null || r.state() == ProcessState.STOPPED)) {
                    release(p);
                    removeProcess(p);
                    write(tx -> tx.deleteProcess(p.id));
                }
            }
        }
        if (touched == null) {
            commit();
            return;
        }
        for (String alias : touched) {
            // a rollout's next step need not wait for the next reconciliation pass
            SubscriptionEntry s = subscriptionsByAlias.get(alias);
            if (s != null) {
                rollOut(s);
            }
        }
        placePending();
        commit();
    }

    /** Without the lock (the REST layer asks for every agent request): a concurrent map and a volatile secret. */
    @Override
    public boolean authenticates(String agentId, String secret) {
        VmEntry vm = agentId == null ? null : vmsById.get(agentId);
        String expected = vm == null ? null : vm.agentSecret;
        return expected != null && secret != null && constantTimeEquals(expected, secret);
    }

    private VmEntry authenticate(String agentId, String secret) {
        if (!authenticates(agentId, secret)) {
            throw StratosException.notFound("unknown agent or wrong credentials", "register again with the VM's join token");
        }
        return vmsById.get(agentId);
    }

    private DesiredState desiredOf(VmEntry vm) {
        List<DesiredProcess> desired = new ArrayList<>();
        for (ProcessEntry p : processesOnVm(vm.id)) {
            if (!p.stopping || p.drainingSinceMillis >= 0) {
                // a draining process keeps running until its requests have finished
                SubscriptionEntry s = subscriptionsByAlias.get(p.alias);
                desired.add(new DesiredProcess(p.id, s.alias, s.cartridge, s.version, s.digest, p.runtime,
                        s.request.cpuMillis(), s.request.memoryMiB(), s.env, s.artifactDigest(p.artifact)));
            }
        }
        return new DesiredState(vm.revision, desired);
    }

    /** A VM's desired state changed: new revision; its long polls are answered at the commit. */
    private void bump(VmEntry vm) {
        vm.revision = ++revisionCounter;
        changedVms.add(vm);
    }

    // ---- application artifacts -------------------------------------------------------------------

    @Override
    public ArtifactStatus deployArtifact(String alias, InputStream artifact) {
        requireAppDir(alias);
        StoredArtifact stored = artifactStore().put(artifact); // outside the lock: uploads take time
        return addArtifact(alias, stored, "upload", null, null, null);
    }

    @Override
    public ArtifactStatus deployArtifact(String alias, GitArtifactSpec git) {
        if (git == null || git.git() == null || git.git().isBlank()) {
            throw StratosException.invalid("git", "a git artifact needs the repository URL",
                    "send {\"git\": \"https://host/repo.git\", \"ref\": \"main\"}");
        }
        String ref = git.ref() == null || git.ref().isBlank() ? "main" : git.ref().trim();
        requireAppDir(alias);
        Snapshot snapshot = snapshot(git.git().trim(), ref);
        return addArtifact(alias, snapshot.stored(), "git", git.git().trim(), ref, snapshot.commit());
    }

    @Override
    public ArtifactStatus refreshArtifact(String alias) {
        ArtifactEntry latestGit;
        synchronized (this) {
            SubscriptionEntry s = subscriptionEntry(alias);
            latestGit = null;
            for (ArtifactEntry a : s.artifacts) {
                if ("git".equals(a.source)) {
                    latestGit = a;
                }
            }
            if (latestGit == null) {
                throw StratosException.conflict("git", "subscription '" + alias + "' has no git artifact to refresh",
                        "deploy one first: POST .../subscriptions/" + alias + "/artifact {\"git\": ..., \"ref\": ...}");
            }
        }
        Snapshot snapshot = snapshot(latestGit.git, latestGit.ref);
        if (snapshot.commit().equals(latestGit.commit)) {
            synchronized (this) {
                LOG.info("Subscription {}: {} {} is still at {}; nothing to roll out", alias, latestGit.git, latestGit.ref, snapshot.commit());
                return artifactStatus(subscriptionEntry(alias));
            }
        }
        return addArtifact(alias, snapshot.stored(), "git", latestGit.git, latestGit.ref, snapshot.commit());
    }

    @Override
    public synchronized ArtifactStatus artifact(String alias) {
        return artifactStatus(subscriptionEntry(alias));
    }

    private record Snapshot(StoredArtifact stored, String commit) {
    }

    /** Reads the commit into a temporary tar, then stores it like an upload. */
    private Snapshot snapshot(String url, String ref) {
        GitFetcher git = gitFetcher.get();
        if (git == null) {
            throw StratosException.unavailable("git artifacts are not available: no git service is running",
                    "install the stratos-lxc feature completely (it brings stratos-git)");
        }
        ArtifactStore store = artifactStore();
        Path tar = null;
        try {
            tar = Files.createTempFile("stratos-git-", ".tar");
            String commit;
            try (OutputStream out = Files.newOutputStream(tar)) {
                commit = git.snapshot(url, ref, out, settings.get().maxArtifactBytes());
            }
            try (InputStream in = Files.newInputStream(tar)) {
                return new Snapshot(store.put(in), commit);
            }
        } catch (IOException e) {
            throw StratosException.unavailable("cannot keep the git snapshot: " + e.getMessage(), "check the controller's temporary directory");
        } finally {
            if (tar != null) {
                try {
                    Files.deleteIfExists(tar);
                } catch (IOException ignored) {
                    // a temporary file
                }
            }
        }
    }

    private ArtifactStore artifactStore() {
        ArtifactStore store = artifactStore.get();
        if (store == null) {
            throw StratosException.unavailable("the artifact store is not available", "check stratos:status and retry");
        }
        return store;
    }

    /** A cartridge without appDir has nowhere to put an application: say so before reading the upload. */
    private void requireAppDir(String alias) {
        String cartridge;
        String version;
        synchronized (this) {
            SubscriptionEntry s = subscriptionEntry(alias);
            cartridge = s.cartridge;
            version = s.version;
        }
        CartridgeResolver cartridges = resolver.get();
        if (cartridges == null) {
            throw StratosException.unavailable("the cartridge store is not available", "check stratos:status and retry");
        }
        if (cartridges.resolve(cartridge, version).appDir() == null) {
            throw StratosException.invalid("artifact", "cartridge " + cartridge + ":" + version + " has no appDir in its manifest, so it "
                    + "has nowhere to put an application", "use a cartridge whose cartridge.json names appDir (php, tomcat)");
        }
    }

    private synchronized ArtifactStatus addArtifact(String alias, StoredArtifact stored, String source, String git, String ref,
                                                    String commit) {
        SubscriptionEntry s = subscriptionEntry(alias);
        ArtifactEntry current = s.artifact(s.desiredArtifact);
        if (current != null && current.digest.equals(stored.digest()) && !ArtifactVersion.FAILED.equals(current.state)) {
            LOG.info("Subscription {}: artifact {} is already version {}; nothing to roll out", alias, stored.digest(), current.number);
            return artifactStatus(s);
        }
        if (current != null && s.desiredArtifact != s.deployedArtifact) {
            current.state = ArtifactVersion.CANCELLED;
            current.reason = "a newer version was deployed before its rollout finished";
            write(tx -> tx.updateArtifact(alias, current));
        }
        ArtifactEntry added = new ArtifactEntry(s.nextArtifactNumber(), stored.digest(), stored.size(), source, git, ref, commit,
                Instant.now(clock).toString(), ArtifactVersion.ROLLING_OUT);
        s.artifacts.add(added);
        s.desiredArtifact = added.number;
        write(tx -> tx.insertArtifact(alias, added));
        write(tx -> tx.updateArtifactVersions(s));
        pruneArtifactHistory(s);
        rollOut(s);
        placePending();
        commit();
        LOG.info("Subscription {}: artifact version {} ({}, {}) rolling out", alias, added.number, stored.digest(),
                git == null ? "upload" : git + " " + ref + " at " + commit);
        return artifactStatus(s);
    }

    /**
     * Keeps the newest artifactVersionsKept versions of the history, and always the deployed and desired ones and any a
     * process still runs; the store drops blobs no subscription keeps (see {@link #referencedArtifacts}).
     */
    private void pruneArtifactHistory(SubscriptionEntry s) {
        int kept = settings.get().artifactVersionsKept();
        java.util.Set<Integer> inUse = new java.util.HashSet<>(List.of(s.deployedArtifact, s.desiredArtifact));
        processesOf(s.alias).forEach(p -> inUse.add(p.artifact));
        int surplus = s.artifacts.size() - kept;
        for (java.util.Iterator<ArtifactEntry> it = s.artifacts.iterator(); it.hasNext() && surplus > 0; ) {
            ArtifactEntry oldest = it.next();
            if (!inUse.contains(oldest.number)) {
                it.remove();
                surplus--;
                write(tx -> tx.deleteArtifact(s.alias, oldest.number));
            }
        }
    }

    /** Every artifact digest a subscription keeps in its history: what the store must not drop. */
    synchronized java.util.Set<String> referencedArtifacts() {
        java.util.Set<String> digests = new java.util.HashSet<>();
        subscriptions.values().forEach(s -> s.artifacts.forEach(a -> digests.add(a.digest)));
        return digests;
    }

    private ProcessEntry newProcess(SubscriptionEntry s) {
        ProcessEntry p = new ProcessEntry(childId(s.alias), s.alias, null, null, false, ProcessState.PENDING);
        p.reason = "waiting for placement";
        p.artifact = s.desiredArtifact;
        p.createdMillis = clock.millis();
        return p;
    }

    private boolean rollingOut(SubscriptionEntry s, List<ProcessEntry> live) {
        return s.desiredArtifact != s.deployedArtifact || live.stream().anyMatch(p -> p.artifact != s.desiredArtifact);
    }

    /** The same question without copying the live processes: asked for every subscription in every pass. */
    private boolean rollingOut(SubscriptionEntry s) {
        return s.desiredArtifact != s.deployedArtifact || runsAnotherArtifact(s, false);
    }

    /** Whether a process that is not stopping runs another artifact than the desired one (those on draining VMs too, or not). */
    private boolean runsAnotherArtifact(SubscriptionEntry s, boolean onDrainingVms) {
        Map<String, ProcessEntry> own = processesByAlias.get(s.alias);
        if (own != null) {
            for (ProcessEntry p : own.values()) {
                if (p.artifact != s.desiredArtifact && !p.stopping && (onDrainingVms || !onDrainingVm(p))) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * One step of a rolling update, at most: while a process of the desired version is on its way up, wait (or stop
     * the rollout if it failed or took longer than rolloutHealthTimeoutSeconds); once it serves, take one process of
     * an older version out (through the drain, so its requests finish); then start the next new one. So the
     * subscription never serves with fewer than its desired processes, and at most one more.
     */
    private void rollOut(SubscriptionEntry s) {
        if (!rollingOut(s)) {
            return;
        }
        List<ProcessEntry> live = processesOf(s.alias).stream().filter(p -> !p.stopping && !onDrainingVm(p)).toList();
        if (!rollingOut(s, live)) {
            return;
        }
        List<ProcessEntry> fresh = live.stream().filter(p -> p.artifact == s.desiredArtifact).toList();
        List<ProcessEntry> old = live.stream().filter(p -> p.artifact != s.desiredArtifact).toList();
        long timeout = TimeUnit.SECONDS.toMillis(settings.get().rolloutHealthTimeoutSeconds());
        long now = clock.millis();
        for (ProcessEntry p : fresh) {
            boolean failed = p.state == ProcessState.FAILED;
            boolean late = p.state != ProcessState.RUNNING && p.vmId != null && now - p.createdMillis > timeout;
            if ((failed || late) && s.desiredArtifact != s.deployedArtifact) {
                rollBack(s, p, failed ? p.reason : "not healthy after " + settings.get().rolloutHealthTimeoutSeconds() + " s"
                        + (p.reason == null || p.reason.isEmpty() ? "" : " (" + p.reason + ")"));
                return;
            }
        }
        if (fresh.stream().anyMatch(p -> p.state != ProcessState.RUNNING)) {
            return; // the new one is on its way
        }
        if (old.isEmpty()) {
            if (s.desiredArtifact != s.deployedArtifact) {
                finishRollout(s);
            }
            return;
        }
        if (live.size() > s.desiredProcesses) {
            // the new one serves: take out an old one (not serving ones first)
            ProcessEntry leaving = old.stream().min(Comparator.comparing((ProcessEntry p) -> p.state == ProcessState.RUNNING)).orElseThrow();
            stop(leaving, "replaced by artifact version " + s.desiredArtifact);
            progress(s, fresh.size(), live.size() - 1);
        } else {
            ProcessEntry p = newProcess(s);
            putProcess(p);
            write(tx -> tx.insertProcess(p));
            insertPending.add(p);
            progress(s, fresh.size(), live.size());
        }
    }

    private void progress(SubscriptionEntry s, int updated, int total) {
        ArtifactEntry target = s.artifact(s.desiredArtifact);
        if (target != null && ArtifactVersion.ROLLING_OUT.equals(target.state)) {
            target.reason = updated + " of " + total + " processes updated";
            write(tx -> tx.updateArtifact(s.alias, target));
        }
    }

    private void finishRollout(SubscriptionEntry s) {
        ArtifactEntry before = s.artifact(s.deployedArtifact);
        if (before != null && ArtifactVersion.DEPLOYED.equals(before.state)) {
            before.state = ArtifactVersion.SUPERSEDED;
            before.reason = "replaced by version " + s.desiredArtifact;
            write(tx -> tx.updateArtifact(s.alias, before));
        }
        ArtifactEntry now = s.artifact(s.desiredArtifact);
        if (now != null) {
            now.state = ArtifactVersion.DEPLOYED;
            now.reason = "";
            write(tx -> tx.updateArtifact(s.alias, now));
        }
        s.deployedArtifact = s.desiredArtifact;
        write(tx -> tx.updateArtifactVersions(s));
        LOG.info("Subscription {}: artifact version {} serves on every process", s.alias, s.desiredArtifact);
    }

    /**
     * The new version failed: it is marked FAILED with the reason and the previous version becomes the desired one
     * again, so the same rolling machinery replaces whatever already runs the failed version, one by one. The failed
     * process itself never served: it stops at once.
     */
    private void rollBack(SubscriptionEntry s, ProcessEntry failed, String reason) {
        ArtifactEntry bad = s.artifact(s.desiredArtifact);
        String why = "process " + failed.id + ": " + reason + "; rolled back to version " + s.deployedArtifact;
        if (bad != null) {
            bad.state = ArtifactVersion.FAILED;
            bad.reason = why;
            write(tx -> tx.updateArtifact(s.alias, bad));
        }
        LOG.warn("Subscription {}: rollout of artifact version {} stopped: {}", s.alias, s.desiredArtifact, why);
        s.desiredArtifact = s.deployedArtifact;
        write(tx -> tx.updateArtifactVersions(s));
        for (ProcessEntry p : processesOf(s.alias)) {
            if (!p.stopping && p.artifact != s.desiredArtifact && p.state != ProcessState.RUNNING) {
                stop(p, "its artifact version failed to roll out");
            }
        }
    }

    private String rolloutState(SubscriptionEntry s) {
        if (s.desiredArtifact != s.deployedArtifact || runsAnotherArtifact(s, true)) {
            return "ROLLING_OUT";
        }
        ArtifactEntry latest = s.artifacts.isEmpty() ? null : s.artifacts.get(s.artifacts.size() - 1);
        return latest != null && ArtifactVersion.FAILED.equals(latest.state) ? "FAILED" : "IDLE";
    }

    private ArtifactStatus artifactStatus(SubscriptionEntry s) {
        List<ProcessEntry> live = processesOf(s.alias).stream().filter(p -> !p.stopping).toList();
        int updated = (int) live.stream().filter(p -> p.artifact == s.desiredArtifact && p.state == ProcessState.RUNNING).count();
        List<ArtifactVersion> history = new ArrayList<>();
        for (int i = s.artifacts.size() - 1; i >= 0; i--) {
            ArtifactEntry a = s.artifacts.get(i);
            history.add(new ArtifactVersion(a.number, a.digest, a.size, a.source, a.git, a.ref, a.commit, a.createdAt, a.state, a.reason));
        }
        return new ArtifactStatus(s.alias, s.deployedArtifact, s.desiredArtifact, rolloutState(s), updated, s.desiredProcesses, history);
    }

    // ---- views -----------------------------------------------------------------------------------

    /** For the status view and the adapter hot-swap display. */
    synchronized Map<String, Integer> counts() {
        Map<String, Integer> counts = new LinkedHashMap<>();
        counts.put("partitions", partitions.size());
        counts.put("vms", vms.size());
        counts.put("readyVms", (int) vms.values().stream().filter(ControllerCore::isReady).count());
        counts.put("subscriptions", subscriptions.size());
        counts.put("processes", processes.size());
        counts.put("pending", pending.size());
        return counts;
    }

    synchronized List<String> partitionsWithoutAdapter() {
        return partitions.values().stream().filter(p -> adapters.apply(p.adapter) == null).map(p -> p.name).toList();
    }

    private Partition toPartition(PartitionEntry p) {
        int count = 0;
        int ready = 0;
        for (VmEntry vm : vms.values()) {
            if (vm.partition.equals(p.name)) {
                count++;
                ready += isReady(vm) ? 1 : 0;
            }
        }
        String state = adapters.apply(p.adapter) == null ? "ADAPTER_UNAVAILABLE" : "ACTIVE";
        return new Partition(p.name, p.cartridge, p.adapter, p.minVms, p.maxVms, p.vmCapacity, p.template, state,
                targetVms(p), count, ready, p.pending, p.shortfall);
    }

    private PartitionVm toVm(VmEntry vm) {
        Map<String, ProcessEntry> on = processesByVm.get(vm.id);
        int count = on == null ? 0 : on.size();
        String heartbeat = vm.agentSecret == null ? null : Instant.ofEpochMilli(vm.lastHeartbeatMillis).toString();
        return new PartitionVm(vm.id, vm.partition, vm.adapter, vm.adapterRef, vm.state, vm.capacity, vm.allocated, count,
                vm.runtimes, vm.agentSecret == null ? null : vm.id, heartbeat, vm.detail, vm.agentVersion, vm.cachedImages);
    }

    private Subscription toSubscription(SubscriptionEntry s) {
        Map<ProcessState, Integer> counts = new EnumMap<>(ProcessState.class);
        for (ProcessState state : ProcessState.values()) {
            if (s.stateCounts[state.ordinal()] > 0) {
                counts.put(state, s.stateCounts[state.ordinal()]);
            }
        }
        String endpoint = "http://" + s.alias + "." + settings.get().routerDomain() + ":" + settings.get().routerPort() + "/";
        Subscription.Artifact artifact = s.artifacts.isEmpty() ? null : new Subscription.Artifact(s.deployedArtifact,
                s.artifactDigest(s.deployedArtifact), s.desiredArtifact, s.artifactDigest(s.desiredArtifact), rolloutState(s));
        return new Subscription(s.alias, s.tenant, s.cartridge, s.version, s.digest, s.policy, s.minProcesses,
                s.maxProcesses, s.desiredProcesses, s.env, counts, endpoint, s.createdAt, artifact);
    }

    private CartridgeProcess toProcess(ProcessEntry p) {
        return toProcess(p, subscriptionsByAlias.get(p.alias));
    }

    private static CartridgeProcess toProcess(ProcessEntry p, SubscriptionEntry s) {
        return new CartridgeProcess(p.id, p.alias, s.cartridge, s.version, p.vmId, p.runtime, p.state, p.hostPort,
                p.reason, s.request, p.metrics, p.artifact);
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private static String label(String field, String value) {
        if (value == null || value.isBlank()) {
            throw StratosException.invalid(field, field + " is required", "a DNS label such as 'hello'");
        }
        if (!DNS_LABEL.matcher(value).matches()) {
            throw StratosException.invalid(field, field + " '" + value + "' is not a DNS label",
                    "use 1 to 63 lower-case letters, digits and '-', not starting or ending with '-'");
        }
        return value;
    }

    /**
     * The id of a new VM of a partition or process of a subscription: the owner's name (cut to 54 characters)
     * and 8 random hex digits, at most 63 in all, as the id columns and container names allow.
     */
    static String childId(String owner) {
        return (owner.length() > 54 ? owner.substring(0, 54) : owner) + "-" + randomHex(4);
    }

    static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    private static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
