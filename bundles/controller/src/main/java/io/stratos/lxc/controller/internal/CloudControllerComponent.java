package io.stratos.lxc.controller.internal;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.agent.AgentRegistry;
import io.stratos.lxc.api.artifact.ArtifactStore;
import io.stratos.lxc.api.artifact.GitFetcher;
import io.stratos.lxc.api.autoscaler.ApplicationMetricNames;
import io.stratos.lxc.api.autoscaler.Autoscaler;
import io.stratos.lxc.api.controller.CloudController;
import io.stratos.lxc.api.controller.ProcessDrain;
import io.stratos.lxc.api.ha.ControllerRole;
import io.stratos.lxc.api.ha.LeaseStatus;
import io.stratos.lxc.api.ha.Leadership;
import io.stratos.lxc.api.iaas.IaasAdapter;
import io.stratos.lxc.api.status.ComponentState;
import io.stratos.lxc.api.status.ComponentStatus;
import io.stratos.lxc.api.status.StatusContributor;
import io.stratos.lxc.persistence.SchemaException;
import io.stratos.lxc.api.router.RouteFeed;
import java.io.IOException;
import java.time.Clock;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires {@link ControllerCore} into OSGi: the controller database (a pax-jdbc DataSource named
 * {@code stratos}), the cartridge resolver and the IaaS adapters (dynamic: an adapter bundle may come
 * and go at any time without the controller losing state), and a fixed-delay reconciliation loop.
 * The core is registered as {@link CloudController}, {@link AgentRegistry} and {@link RouteFeed} once its state is loaded.
 * <p>
 * Registered by hand, not as DS services, for one reason that is not a cycle (the autoscaler's reference back to the
 * controller is optional and dynamic, which DS resolves on its own): what this component offers depends on how its
 * activation went. On a schema it cannot trust it offers only an UNAVAILABLE {@link StatusContributor} saying why,
 * and no controller at all; a DS component's services are fixed before it activates, and a failed activation would
 * leave nothing to tell the operator. Split into two components it would need the schema outcome as a service of
 * its own, for no gain.
 */
@org.osgi.service.metatype.annotations.Designate(ocd = LeaseConfig.class)
@Component(immediate = true, service = {}, configurationPid = LeaseSettings.PID,
        configurationPolicy = org.osgi.service.component.annotations.ConfigurationPolicy.OPTIONAL)
public class CloudControllerComponent implements Leadership {

    private static final Logger LOG = LoggerFactory.getLogger(CloudControllerComponent.class);

    @Reference
    ControllerComponent controllerComponent;

    @Reference(target = "(dataSourceName=stratos)")
    DataSource dataSource;

    @Reference
    ConfigurationAdmin configurationAdmin;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile CartridgeResolver cartridgeResolver;

    /** Optional: the autoscaler (it references us too), asked whether a subscription's policy exists. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile Autoscaler autoscaler;

    /** Optional: which application metrics each policy targets; answers without a lock (asked under ours). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile ApplicationMetricNames applicationMetricNames;

    /** Optional: where application artifacts are kept (the store bundle) and what reads git repositories. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile ArtifactStore artifactStore;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile GitFetcher gitFetcher;

    /** Optional: where the controller posts what it did on its own (a LOST VM destroyed), for whoever listens. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile EventAdmin eventAdmin;

    private final Map<String, IaasAdapter> adapters = new ConcurrentHashMap<>();
    /** What must let a leaving process finish its requests before it stops (the router; it references us too). */
    private final List<ProcessDrain> drains = new java.util.concurrent.CopyOnWriteArrayList<>();
    private ControllerCore core;
    private VmJanitor janitor;
    private ScheduledExecutorService loop;
    private List<ServiceRegistration<?>> registrations = List.of();
    private volatile String lastLoopError = "";
    private volatile ControllerLease lease;
    private volatile LeaseSettings leaseSettings;
    private ScheduledExecutorService leaseLoop;
    private java.util.concurrent.ScheduledFuture<?> leaseTicks;
    /** On a standby: when (wall clock) the state it serves reads from was loaded. */
    private volatile long refreshedAtMillis;
    private volatile ControllerRole role = ControllerRole.STANDBY;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindAdapter(IaasAdapter adapter) {
        adapters.put(adapter.id(), adapter);
        LOG.info("IaaS adapter '{}' available", adapter.id());
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindDrain(ProcessDrain drain) {
        drains.add(drain);
    }

    void unbindDrain(ProcessDrain drain) {
        drains.remove(drain);
    }

    void unbindAdapter(IaasAdapter adapter) {
        adapters.remove(adapter.id(), adapter);
        LOG.warn("IaaS adapter '{}' gone: its VMs keep running, new VM requests wait for it", adapter.id());
    }

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        try {
            Schema.migrate(dataSource);
        } catch (SchemaException e) {
            // Start nothing on a schema we cannot trust; the status says why.
            LOG.error("Cloud controller not started: {}", e.getMessage());
            StatusContributor unavailable = () -> new ComponentStatus("cloud-controller", ComponentState.UNAVAILABLE,
                    "not started: " + e.getMessage());
            registrations = List.of(context.registerService(StatusContributor.class, unavailable, null));
            return;
        }
        core = new ControllerCore(new Repository(dataSource), Clock.systemUTC(), controllerComponent::settings,
                adapters::get, () -> cartridgeResolver, this::controllerUrl);
        leaseSettings = LeaseSettings.from(properties);
        lease = newLease(leaseSettings);
        core.repositoryFence(c -> lease.fence(c)); // the lease of the moment: a new name or length replaces it
        core.guard(() -> {
            // role turns ACTIVE only once the state is reloaded after taking the lease
            if (role != ControllerRole.ACTIVE || !lease.held()) {
                throw lease.standby();
            }
        });
        role = lease.tick();
        core.load();
        refreshedAtMillis = System.currentTimeMillis();
        LOG.info("Controller {} starts as {} (lease epoch {})", lease.status().self(), role.label(), lease.status().epoch());
        core.policyExists(this::policyExists);
        core.applicationMetrics(policy -> {
            ApplicationMetricNames names = applicationMetricNames;
            return names == null ? List.of() : names.applicationMetrics(policy);
        });
        core.drains(() -> List.copyOf(drains));
        core.artifacts(() -> artifactStore, () -> gitFetcher);
        core.events(this::post, () -> eventAdmin != null);
        janitor = new VmJanitor(Clock.systemUTC(), () -> List.copyOf(adapters.values()), core::knownVmIds,
                () -> controllerComponent.settings().unknownVmGraceSeconds());
        loop = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "stratos-controller-reconcile"));
        long interval = controllerComponent.settings().reconcileIntervalMillis();
        loop.scheduleWithFixedDelay(this::reconcile, 0, interval, TimeUnit.MILLISECONDS);
        leaseLoop = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "stratos-controller-lease"));
        scheduleLeaseTicks();
        StatusContributor status = this::componentStatus;
        registrations = List.of(
                context.registerService(Leadership.class, this, null),
                context.registerService(CloudController.class, core, null),
                context.registerService(AgentRegistry.class, core, null),
                context.registerService(RouteFeed.class, core, null),
                context.registerService(StatusContributor.class, status, null));
    }

    /**
     * A changed {@code io.stratos.lxc.ha} applies in place. Without this method DS would deactivate the component,
     * withdrawing the CloudController service and with it every REST resource for a moment (503s), and on a first
     * boot Felix FileInstall delivers the feature's {@code .cfg} only after this component has started without it.
     * A new name, URL or lease length releases the lease held under the old ones and competes again under the new.
     */
    @Modified
    void modified(Map<String, Object> properties) {
        LeaseSettings next = LeaseSettings.from(properties);
        ScheduledExecutorService ticks = leaseLoop;
        if (ticks == null || next.equals(leaseSettings)) {
            return; // not started (the schema refused), or nothing changed
        }
        ticks.execute(() -> applyLeaseSettings(next)); // on the lease thread: no tick runs half-way through the change
    }

    private void applyLeaseSettings(LeaseSettings next) {
        LeaseSettings before = leaseSettings;
        leaseSettings = next;
        if (!next.nodeName().equals(before.nodeName()) || !next.url().equals(before.url())
                || next.leaseSeconds() != before.leaseSeconds()) {
            ControllerLease old = lease;
            role = ControllerRole.STANDBY; // writes stop first; the next tick takes the lease again and reloads
            lease = newLease(next);
            old.release();
            LOG.info("Lease settings changed: now {} ({} s lease), competing for the lease again", lease.status().self(),
                    next.leaseSeconds());
        }
        if (next.renewMillis() != before.renewMillis()) {
            scheduleLeaseTicks();
        }
    }

    private ControllerLease newLease(LeaseSettings settings) {
        String self = settings.nodeName().isEmpty() ? defaultNodeName() : settings.nodeName();
        String selfUrl = settings.url().isEmpty() ? "http://127.0.0.1:" + httpPort() + "/stratos" : settings.url();
        return new ControllerLease(dataSource, self, selfUrl, java.time.Duration.ofSeconds(settings.leaseSeconds()), System::nanoTime);
    }

    private void scheduleLeaseTicks() {
        if (leaseTicks != null) {
            leaseTicks.cancel(false);
        }
        long every = leaseSettings.renewMillis();
        leaseTicks = leaseLoop.scheduleWithFixedDelay(this::leaseTick, every, every, TimeUnit.MILLISECONDS);
    }

    @Deactivate
    void deactivate() {
        registrations.forEach(ServiceRegistration::unregister);
        registrations = List.of();
        if (loop != null) {
            loop.shutdownNow();
        }
        if (leaseLoop != null) {
            leaseLoop.shutdownNow();
            try {
                leaseLoop.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (lease != null) {
            // a clean stop hands over at once instead of after the lease's expiry
            lease.release();
        }
        if (core != null) {
            core.close();
        }
    }

    /** When the store last dropped artifacts no subscription keeps. */
    private long lastArtifactCollectionMillis = System.currentTimeMillis();

    /** Every ten minutes: the store deletes artifacts older than an hour that no subscription's history keeps. */
    private void collectArtifacts() {
        ArtifactStore store = artifactStore;
        long now = System.currentTimeMillis();
        if (store == null || now - lastArtifactCollectionMillis < java.util.concurrent.TimeUnit.MINUTES.toMillis(10)) {
            return;
        }
        lastArtifactCollectionMillis = now;
        try {
            store.retainOnly(core.referencedArtifacts(), java.time.Duration.ofHours(1));
        } catch (RuntimeException e) {
            LOG.warn("Artifact garbage collection failed: {}", e.toString());
        }
    }

    /**
     * Renews or takes the lease. Taking it reloads the state from the database (the last active controller wrote it)
     * before this one acts; losing it stops acting at once. A standby reloads every standbyRefreshSeconds.
     */
    private void leaseTick() {
        try {
            ControllerRole before = role;
            ControllerRole now = lease.tick();
            if (now == ControllerRole.ACTIVE && before != ControllerRole.ACTIVE) {
                core.refresh();
                refreshedAtMillis = System.currentTimeMillis();
                role = now;
                LOG.info("This controller is now active (lease epoch {}): state reloaded, reconciling", lease.status().epoch());
            } else if (now != ControllerRole.ACTIVE && before == ControllerRole.ACTIVE) {
                role = now;
                core.refresh();
                refreshedAtMillis = System.currentTimeMillis();
                LOG.warn("This controller stands by now; the active one is {}", lease.status().holder());
            } else if (now != ControllerRole.ACTIVE
                    && System.currentTimeMillis() - refreshedAtMillis >= leaseSettings.standbyRefreshSeconds() * 1000L) {
                core.refresh();
                refreshedAtMillis = System.currentTimeMillis();
            }
        } catch (RuntimeException e) {
            LOG.warn("Lease tick failed: {}", e.toString());
        }
    }

    @Override
    public LeaseStatus lease() {
        LeaseStatus s = lease == null ? LeaseStatus.alone("") : lease.status();
        if (s.role() == ControllerRole.ACTIVE) {
            return s;
        }
        return new LeaseStatus(s.role(), s.epoch(), s.holder(), s.holderUrl(), s.self(),
                Math.max(0, System.currentTimeMillis() - refreshedAtMillis));
    }

    private String defaultNodeName() {
        // the kernel's host name: no DNS look-up (InetAddress.getLocalHost) that could hang the activation
        String host;
        try {
            host = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException | RuntimeException e) {
            host = "localhost";
        }
        return host + ":" + httpPort();
    }

    private void reconcile() {
        if (role != ControllerRole.ACTIVE || !lease.held()) {
            return; // a standby reconciles nothing: the active controller does
        }
        collectArtifacts();
        try {
            core.reconcile();
            janitor.sweep();
            lastLoopError = "";
        } catch (RuntimeException e) {
            // Never let the loop die; say what is wrong in the status.
            if (!e.toString().equals(lastLoopError)) {
                LOG.error("Reconciliation failed", e);
            }
            lastLoopError = e.toString();
        }
    }

    private void post(String topic, Map<String, Object> properties) {
        EventAdmin events = eventAdmin;
        if (events != null) {
            events.postEvent(new Event(topic, properties));
        }
    }

    private Boolean policyExists(String name) {
        Autoscaler current = autoscaler;
        if (current == null) {
            return null;
        }
        try {
            current.policy(name);
            return true;
        } catch (StratosException e) {
            return e.kind() == StratosException.Kind.NOT_FOUND ? false : null;
        }
    }

    /** Where agents reach us: the configured URL, else this Karaf's HTTP port on 127.0.0.1. */
    String controllerUrl() {
        String configured = controllerComponent.settings().controllerUrl();
        if (!configured.isEmpty()) {
            return configured;
        }
        return "http://127.0.0.1:" + httpPort() + "/stratos";
    }

    private String httpPort() {
        try {
            Configuration web = configurationAdmin.getConfiguration("org.ops4j.pax.web", null);
            Dictionary<String, Object> properties = web.getProperties();
            if (properties != null && properties.get("org.osgi.service.http.port") != null) {
                return String.valueOf(properties.get("org.osgi.service.http.port")).trim();
            }
        } catch (IOException e) {
            LOG.debug("cannot read the HTTP port", e);
        }
        return "8181";
    }

    private ComponentStatus componentStatus() {
        Map<String, Integer> counts = core.counts();
        String detail = counts.toString().replaceAll("[{}]", "");
        LeaseStatus l = lease();
        detail = l.role().label() + " (lease epoch " + l.epoch() + ", active: " + l.holder() + "); " + detail;
        if (!lastLoopError.isEmpty()) {
            return new ComponentStatus("cloud-controller", ComponentState.DEGRADED, "reconciliation failing: " + lastLoopError);
        }
        List<String> orphaned = core.partitionsWithoutAdapter();
        if (!orphaned.isEmpty()) {
            return new ComponentStatus("cloud-controller", ComponentState.DEGRADED,
                    "adapter unavailable for partitions " + orphaned + "; " + detail);
        }
        return new ComponentStatus("cloud-controller", ComponentState.ACTIVE, detail);
    }
}
