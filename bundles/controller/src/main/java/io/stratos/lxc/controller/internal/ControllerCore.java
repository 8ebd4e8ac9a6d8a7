package io.stratos.lxc.controller.internal;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.agent.AgentCredentials;
import io.stratos.lxc.api.agent.AgentRegistration;
import io.stratos.lxc.api.agent.AgentRegistry;
import io.stratos.lxc.api.agent.AgentReport;
import io.stratos.lxc.api.agent.DesiredState;
import io.stratos.lxc.api.artifact.ArtifactStatus;
import io.stratos.lxc.api.artifact.ArtifactStore;
import io.stratos.lxc.api.artifact.GitArtifactSpec;
import io.stratos.lxc.api.artifact.GitFetcher;
import io.stratos.lxc.api.artifact.StoredArtifact;
import io.stratos.lxc.api.controller.CartridgeProcess;
import io.stratos.lxc.api.controller.CloudController;
import io.stratos.lxc.api.controller.Partition;
import io.stratos.lxc.api.controller.PartitionSpec;
import io.stratos.lxc.api.controller.PartitionVm;
import io.stratos.lxc.api.controller.ProcessDrain;
import io.stratos.lxc.api.controller.Subscription;
import io.stratos.lxc.api.controller.SubscriptionProcesses;
import io.stratos.lxc.api.controller.SubscriptionSpec;
import io.stratos.lxc.api.controller.VmRejoin;
import io.stratos.lxc.api.controller.VmState;
import io.stratos.lxc.api.event.StratosEvents;
import io.stratos.lxc.api.iaas.IaasAdapter;
import io.stratos.lxc.api.iaas.VmRef;
import io.stratos.lxc.controller.internal.Model.ArtifactEntry;
import io.stratos.lxc.controller.internal.Model.PartitionEntry;
import io.stratos.lxc.controller.internal.Model.ProcessEntry;
import io.stratos.lxc.controller.internal.Model.SubscriptionEntry;
import io.stratos.lxc.controller.internal.Model.VmEntry;
import io.stratos.lxc.api.router.Route;
import io.stratos.lxc.api.router.RouteChanges;
import io.stratos.lxc.api.router.RouteFeed;
import java.io.InputStream;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cloud controller, free of OSGi so it can be tested directly: a façade over its collaborators that owns the one
 * lock (this object's monitor) and the transaction boundary. All state ({@link ControllerState}) lives in memory under
 * the lock and is written through to the database: each operation applies its changes to memory, records them in the
 * {@link UnitOfWork}, and commits here, in one transaction, at its end. The collaborators hold no lock of their own and
 * never commit; what calls an adapter, the artifact store, git or the router's drains runs here outside the lock.
 * Being the one place that takes the lock and commits, it is as long as the API it serves (about 600 lines): each
 * method is the lock, a call to a collaborator and the commit, and splitting them would scatter the boundary.
 */
final class ControllerCore implements CloudController, AgentRegistry, RouteFeed {

    private static final Logger LOG = LoggerFactory.getLogger(ControllerCore.class);

    private final Repository repository;
    private final Clock clock;
    private final Supplier<ControllerSettings> settings;
    private final Function<String, IaasAdapter> adapters;
    /** Whether an autoscale policy exists: true/false, or null while no autoscaler is there to ask. */
    private volatile Function<String, Boolean> policyExists = name -> null;
    /** What sends requests to processes (the router): asked before a leaving process is stopped. */
    private volatile Supplier<List<ProcessDrain>> drains = List::of;
    /** Where application artifacts are kept, and what reads git repositories; null while absent. */
    private volatile Supplier<ArtifactStore> artifactStore = () -> null;
    private volatile Supplier<GitFetcher> gitFetcher = () -> null;
    /** Where summarised adapter failures are logged (a field so tests can read them). */
    volatile Consumer<String> warnLog = LOG::warn;
    volatile Consumer<String> infoLog = LOG::info;
    /** The events of committed changes, for EventAdmin; the component gives it EventAdmin when there is one. */
    private final EventPublisher events;

    private final ControllerState state;
    private final UnitOfWork unit;
    private volatile Runnable guard = () -> { };
    private final ProcessScheduler scheduler;
    private final RolloutManager rollouts;
    private final VmFleet fleet;
    private final AgentChannel agents;
    private final ArtifactService artifacts;
    private final Views views;
    private final RouteLog routeLog;
    private final RouteLog.View routeView;

    ControllerCore(Repository repository, Clock clock, Supplier<ControllerSettings> settings,
                   Function<String, IaasAdapter> adapters, Supplier<CartridgeResolver> resolver, Supplier<String> controllerUrl) {
        this.repository = repository;
        this.clock = clock;
        this.settings = settings;
        this.adapters = adapters;
        this.events = new EventPublisher(clock);
        this.state = new ControllerState(clock.millis(), events);
        this.unit = new UnitOfWork(repository, state, this::load);
        this.scheduler = new ProcessScheduler(state, unit, clock, settings, resolver, () -> drains.get());
        this.rollouts = new RolloutManager(state, unit, clock, settings, scheduler);
        this.fleet = new VmFleet(state, unit, clock, settings, adapters, resolver, controllerUrl, scheduler,
                m -> warnLog.accept(m), m -> infoLog.accept(m),
                (topic, properties) -> events.postCommitted(topic, StratosEvents.TYPE_VM, properties));
        this.agents = new AgentChannel(state, unit, clock, settings, adapters, scheduler, rollouts);
        this.artifacts = new ArtifactService(state, unit, clock, settings, resolver, () -> artifactStore.get(),
                () -> gitFetcher.get(), scheduler, rollouts);
        this.views = new Views(state, settings, adapters, rollouts);
        unit.onCommitted(agents::answer);
        this.routeLog = new RouteLog(clock.millis() * 1000);
        this.routeView = new RouteLog.View(views::routes, () -> state.subscriptionsByAlias.keySet());
        unit.afterCommit(() -> {
            routeLog.publish(state.takeRoutesTouched(), routeView);
            events.committed();
        });
    }

    /**
     * Run first by every operation that writes: throws while this controller is not the active one (a standby), so a
     * write is refused before it changes anything. The lease's fence in the transaction is what makes it safe.
     */
    void guard(Runnable guard) {
        this.guard = guard;
    }

    /** What every write transaction checks first, on its own connection (the leader lease's fencing). */
    void repositoryFence(Repository.Fence fence) {
        repository.fence(fence);
    }

    /** Which application metrics a policy targets, for the agents of its subscriptions' processes (asked under the lock). */
    void applicationMetrics(Function<String, List<String>> names) {
        agents.applicationMetrics(names);
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

    /** Where committed changes are posted (EventAdmin.postEvent); null: nowhere, and nothing is recorded. */
    void events(BiConsumer<String, Map<String, Object>> post) {
        events(post, () -> true);
    }

    /** The same, with whether anything takes events now (EventAdmin is there): while not, nothing is even recorded. */
    void events(BiConsumer<String, Map<String, Object>> post, java.util.function.BooleanSupplier listening) {
        events.sink(post, listening);
    }

    /** Stops the thread that posts events. */
    void close() {
        events.close();
    }

    /** The ids of every VM the controller has, or null while its state is not loaded (for the {@link VmJanitor}). */
    synchronized Set<String> knownVmIds() {
        return state.loaded ? Set.copyOf(state.vms.keySet()) : null;
    }

    /** Reads the persisted state; VMs get a fresh grace period to report in after a controller restart. */
    synchronized void load() {
        state.clear();
        Repository.Loaded loaded;
        try {
            loaded = repository.load();
        } catch (RuntimeException e) {
            state.vmsById.clear();
            throw e;
        }
        state.fill(loaded, clock.millis());
        LOG.info("Controller state loaded: {} partitions, {} VMs, {} subscriptions, {} processes",
                state.partitions.size(), state.vms.size(), state.subscriptions.size(), state.processes.size());
    }

    /** A standby's refresh: the state anew from the database, and the aliases whose routes it changed to the routers. */
    synchronized void refresh() {
        Map<String, List<Route>> before = routeView.everyAlias();
        Repository.Loaded loaded = repository.load(); // read first: a database that cannot be read leaves the last state
        state.clear();
        state.fill(loaded, clock.millis());
        routeLog.publish(RouteLog.changed(before, routeView.everyAlias()), routeView);
    }

    // ---- partitions and VMs ----------------------------------------------------------------------

    @Override
    public synchronized Partition createPartition(PartitionSpec spec) {
        guard.run();
        PartitionEntry entry = fleet.createPartition(spec);
        unit.commit();
        LOG.info("Partition {} created for cartridge {} on adapter {} ({}..{} VMs)", entry.name, entry.cartridge, entry.adapter,
                entry.minVms, entry.maxVms);
        return views.toPartition(entry);
    }

    @Override
    public synchronized List<Partition> partitions() {
        return state.partitions.values().stream().map(views::toPartition).toList();
    }

    @Override
    public synchronized Partition partition(String name) {
        return views.toPartition(state.partitionEntry(name));
    }

    @Override
    public void deletePartition(String name) {
        guard.run();
        List<VmEntry> toDestroy;
        synchronized (this) {
            toDestroy = fleet.deletePartition(name);
            unit.commit();
        }
        for (VmEntry vm : toDestroy) {
            fleet.destroy(vm);
        }
        LOG.info("Partition {} deleted with its {} VMs", name, toDestroy.size());
    }

    @Override
    public synchronized Partition scalePartition(String name, int count) {
        guard.run();
        PartitionEntry partition = fleet.scalePartition(name, count);
        unit.commit();
        LOG.info("Partition {} scaled to {} VMs", name, count);
        return views.toPartition(partition);
    }

    @Override
    public synchronized List<PartitionVm> vms() {
        return state.vms.values().stream().map(views::toVm).toList();
    }

    /** For the status view and the adapter hot-swap display. */
    synchronized Map<String, Integer> counts() {
        return views.counts();
    }

    synchronized List<String> partitionsWithoutAdapter() {
        return views.partitionsWithoutAdapter();
    }

    // ---- subscriptions ---------------------------------------------------------------------------

    @Override
    public Subscription subscribe(String tenant, SubscriptionSpec spec) {
        guard.run();
        // Asked before taking this lock: the autoscaler asks this controller for subscriptions while it holds its
        // own lock, so asking it under ours deadlocked both (seen in the fleet benchmark).
        Boolean policyKnown = spec == null || spec.policy() == null ? null : policyExists.apply(spec.policy());
        synchronized (this) {
            SubscriptionEntry entry = scheduler.subscribe(tenant, spec, policyKnown);
            unit.commit();
            LOG.info("Subscription {} to {}:{} created for tenant {} ({}..{} processes)", entry.alias, entry.cartridge,
                    entry.version, entry.tenant, entry.minProcesses, entry.maxProcesses);
            return views.toSubscription(entry);
        }
    }

    @Override
    public synchronized List<Subscription> subscriptions() {
        return state.subscriptions.values().stream().map(views::toSubscription).toList();
    }

    @Override
    public synchronized Subscription subscription(String alias) {
        return views.toSubscription(state.subscriptionEntry(alias));
    }

    @Override
    public synchronized void unsubscribe(String alias) {
        guard.run();
        SubscriptionEntry entry = scheduler.unsubscribe(alias);
        unit.commit();
        LOG.info("Subscription {} removed; alias freed", entry.alias);
    }

    @Override
    public synchronized Subscription scale(String alias, int count) {
        guard.run();
        SubscriptionEntry entry = scheduler.scale(alias, count);
        unit.commit();
        return views.toSubscription(entry);
    }

    @Override
    public synchronized List<CartridgeProcess> processes(String alias) {
        state.subscriptionEntry(alias);
        return state.processesOf(alias).stream().map(views::toProcess).toList();
    }

    @Override
    public synchronized List<CartridgeProcess> processes() {
        return state.processes.values().stream().map(views::toProcess).toList();
    }

    /** Processes copied per hold of the lock in {@link #subscriptionsWithProcesses} (a field for the tests). */
    int viewProcessesPerHold = 5_000;

    /**
     * One call for the whole view (the autoscaler's pass asked once per subscription before, ~300 holds of the lock
     * at 10,000 VMs), copied in holds of this controller's lock of viewProcessesPerHold processes each (see Views).
     */
    @Override
    public List<SubscriptionProcesses> subscriptionsWithProcesses(Predicate<Subscription> which) {
        return views.subscriptionsWithProcesses(which, this, viewProcessesPerHold);
    }

    /**
     * Stops the draining processes that every {@link ProcessDrain} reports drained, or that have drained
     * for {@code drainTimeoutSeconds}. The drains are asked outside the lock: the router looks processes
     * up through this controller.
     */
    void finishDrains() {
        Map<String, String> draining;
        synchronized (this) {
            draining = scheduler.draining();
        }
        if (draining.isEmpty()) {
            return;
        }
        Set<String> drained = scheduler.askDrains(draining);
        synchronized (this) {
            scheduler.finishDrains(draining.keySet(), drained);
            unit.commit();
        }
    }

    // ---- reconciliation: the pass under the lock, then the adapter calls outside it --------------

    /** One pass: lost agents, process counts, placement, VM requests; then the adapter calls. */
    void reconcile() {
        finishDrains();
        List<VmEntry> toCreate;
        List<VmEntry> toDestroy = new ArrayList<>();
        List<VmEntry> lostToDestroy;
        synchronized (this) {
            long now = clock.millis();
            fleet.markSilentLost(now);
            state.partitions.values().forEach(fleet::balanceVms);
            state.subscriptions.values().forEach(scheduler::adjustProcessCount);
            state.subscriptions.values().forEach(rollouts::rollOut);
            scheduler.placePending();
            fleet.retireDrainingVms(toDestroy);
            unit.commit();
            toCreate = fleet.toCreate();
            lostToDestroy = fleet.lostToDestroy(now);
        }
        for (VmEntry vm : toCreate) {
            createVm(vm);
        }
        for (VmEntry vm : lostToDestroy) {
            destroyLost(vm);
        }
        for (VmEntry vm : toDestroy) {
            fleet.destroy(vm);
            synchronized (this) {
                if (vm.state == VmState.TERMINATING && fleet.forget(vm)) {
                    unit.commit();
                }
            }
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
            partition = fleet.awaitingCreation(vm);
        }
        if (partition == null) {
            return;
        }
        VmRef ref;
        try {
            ref = fleet.create(adapter, vm, partition);
        } catch (RuntimeException e) {
            synchronized (this) {
                vm.detail = "adapter failed: " + e.getMessage();
            }
            fleet.createFailed(vm, e);
            return;
        }
        boolean wanted;
        synchronized (this) {
            wanted = fleet.created(vm, ref);
            if (wanted) {
                unit.commit();
            }
        }
        if (!wanted) {
            fleet.destroyUnwanted(adapter, vm, ref);
            return;
        }
        LOG.info("VM {} of partition {} created by adapter {} as {}", vm.id, vm.partition, vm.adapter, ref.adapterRef());
    }

    /**
     * Asks the adapter to destroy a LOST VM (outside the lock): on a cloud its silent agent's VM may still run and cost.
     * Forgotten only once the adapter confirms; a failure is asked again a minute later.
     */
    private void destroyLost(VmEntry vm) {
        String ref = vm.adapterRef;
        long lostSeconds = TimeUnit.MILLISECONDS.toSeconds(clock.millis() - vm.lostSinceMillis);
        try {
            fleet.destroyLost(vm, ref);
        } catch (RuntimeException e) {
            synchronized (this) {
                fleet.destroyLostFailed(vm, e);
            }
            fleet.summariseDestroyFailure(vm, e);
            return;
        }
        synchronized (this) {
            if (!fleet.forgetLost(vm)) {
                return;
            }
            unit.commit();
        }
        fleet.destroyedLost(vm, ref, lostSeconds);
    }

    // ---- agents ----------------------------------------------------------------------------------

    @Override
    public synchronized AgentCredentials register(AgentRegistration registration) {
        guard.run();
        VmEntry vm = agents.register(registration);
        unit.commit();
        LOG.info("Agent of VM {} registered: {}", vm.id, registration);
        return agents.credentials(vm);
    }

    /**
     * An operator's answer to a lost agent secret: a new join token, the old secret ended (its agent is refused from
     * now on). The adapter hands the token to the VM where it can, outside the lock (adapters may take seconds).
     */
    @Override
    public VmRejoin rejoinVm(String vmId) {
        guard.run();
        VmEntry vm;
        String token = Ids.randomHex(16);
        synchronized (this) {
            vm = agents.rejoin(vmId, token);
            unit.commit();
        }
        // waiters of the old agent get nothing more: its secret no longer authenticates
        LOG.info("VM {}: a new join token was issued; its agent's old secret no longer works", vmId);
        boolean handed = agents.handOver(vm, token);
        String hint = handed ? "adapter " + vm.adapter + " handed the token to the VM's agent, which registers with it"
                : "hand the token to the VM's agent: write it to <agent data directory>/join-token on the VM "
                + "(or set STRATOS_AGENT_JOIN_TOKEN and restart the agent)";
        return new VmRejoin(vm.id, token, handed, hint);
    }

    @Override
    public CompletionStage<DesiredState> desiredState(String agentId, String secret, long since) {
        guard.run();
        CompletableFuture<DesiredState> future = new CompletableFuture<>();
        synchronized (this) {
            DesiredState changed = agents.poll(agentId, secret, since, future);
            if (changed != null) {
                return CompletableFuture.completedFuture(changed);
            }
        }
        return longPoll(future, () -> agents.timedOut(agentId, since, future));
    }

    /** Waits up to the long-poll time for {@code future}; when nothing came, answers {@code timedOut} under the lock. */
    private <T> CompletionStage<T> longPoll(CompletableFuture<T> future, Supplier<T> timedOut) {
        int seconds = settings.get().desiredStateLongPollSeconds();
        return future.completeOnTimeout(null, seconds, TimeUnit.SECONDS).thenApply(answer -> {
            if (answer != null) {
                return answer;
            }
            synchronized (this) {
                return timedOut.get();
            }
        });
    }

    // ---- the routers' feed: long polls answered at the commit that changed their aliases -----------

    @Override
    public CompletionStage<RouteChanges> changesAfter(long revision) {
        CompletableFuture<RouteChanges> future = new CompletableFuture<>();
        synchronized (this) {
            RouteChanges changes = routeLog.changesAfter(revision, routeView);
            if (changes != null) {
                return CompletableFuture.completedFuture(changes);
            }
            routeLog.await(revision, future);
        }
        return longPoll(future, () -> {
            routeLog.forget(future);
            RouteChanges now = routeLog.changesAfter(revision, routeView);
            return now != null ? now : RouteChanges.none(revision);
        });
    }

    @Override
    public synchronized long revision() {
        return routeLog.revision();
    }

    /** Routers waiting for route changes (for the tests). */
    synchronized int routeWaiters() {
        return routeLog.waiting();
    }

    @Override
    public synchronized void report(String agentId, String secret, AgentReport report) {
        guard.run();
        agents.report(agentId, secret, report);
        unit.commit();
    }

    /** Without the lock (the REST layer asks for every agent request). */
    @Override
    public boolean authenticates(String agentId, String secret) {
        return agents.authenticates(agentId, secret);
    }

    // ---- application artifacts: the store and git outside the lock -------------------------------

    @Override
    public ArtifactStatus deployArtifact(String alias, InputStream artifact) {
        requireAppDir(alias);
        StoredArtifact stored = artifacts.store().put(artifact); // outside the lock: uploads take time
        return addArtifact(alias, stored, "upload", null, null, null);
    }

    @Override
    public ArtifactStatus deployArtifact(String alias, GitArtifactSpec git) {
        GitArtifactSpec source = ArtifactService.checked(git);
        requireAppDir(alias);
        GitFetcher.StoredCommit snapshot = artifacts.snapshot(source.git(), source.ref());
        return addArtifact(alias, snapshot.stored(), "git", source.git(), source.ref(), snapshot.commit());
    }

    @Override
    public ArtifactStatus refreshArtifact(String alias) {
        guard.run();
        ArtifactEntry latestGit;
        synchronized (this) {
            latestGit = artifacts.latestGit(alias);
        }
        GitFetcher.StoredCommit snapshot = artifacts.snapshot(latestGit.git, latestGit.ref);
        if (snapshot.commit().equals(latestGit.commit)) {
            synchronized (this) {
                LOG.info("Subscription {}: {} {} is still at {}; nothing to roll out", alias, latestGit.git, latestGit.ref, snapshot.commit());
                return views.artifactStatus(state.subscriptionEntry(alias));
            }
        }
        return addArtifact(alias, snapshot.stored(), "git", latestGit.git, latestGit.ref, snapshot.commit());
    }

    @Override
    public synchronized ArtifactStatus artifact(String alias) {
        return views.artifactStatus(state.subscriptionEntry(alias));
    }

    /** Every artifact digest a subscription keeps in its history: what the store must not drop. */
    synchronized Set<String> referencedArtifacts() {
        return artifacts.referenced();
    }

    /** A cartridge without appDir has nowhere to put an application: say so before reading the upload. */
    private void requireAppDir(String alias) {
        guard.run();
        String cartridge;
        String version;
        synchronized (this) {
            SubscriptionEntry s = state.subscriptionEntry(alias);
            cartridge = s.cartridge;
            version = s.version;
        }
        artifacts.requireAppDir(cartridge, version);
    }

    private synchronized ArtifactStatus addArtifact(String alias, StoredArtifact stored, String source, String git, String ref,
                                                    String commit) {
        SubscriptionEntry s = state.subscriptionEntry(alias);
        ArtifactEntry added = artifacts.add(s, stored, source, git, ref, commit);
        if (added != null) {
            unit.commit();
            LOG.info("Subscription {}: artifact version {} ({}, {}) rolling out", alias, added.number, stored.digest(),
                    git == null ? "upload" : git + " " + ref + " at " + commit);
        }
        return views.artifactStatus(s);
    }
}
