package io.stratos.lxc.autoscaler.internal;

import io.stratos.lxc.api.ha.Leadership;
import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.autoscaler.ApplicationMetricNames;
import io.stratos.lxc.api.autoscaler.Autoscaler;
import io.stratos.lxc.api.autoscaler.MetricSource;
import io.stratos.lxc.api.autoscaler.ScaleFromZero;
import io.stratos.lxc.api.autoscaler.ScalingDecision;
import io.stratos.lxc.config.ConfigValues;
import io.stratos.lxc.api.controller.CloudController;
import io.stratos.lxc.api.status.ComponentState;
import io.stratos.lxc.api.status.ComponentStatus;
import io.stratos.lxc.api.status.StatusContributor;
import io.stratos.lxc.autoscaler.management.AutoscalerMBean;
import io.stratos.lxc.persistence.SchemaException;
import java.time.Clock;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import javax.management.NotCompliantMBeanException;
import javax.sql.DataSource;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires {@link AutoscalerCore} into OSGi: configuration from PID {@code io.stratos.lxc.autoscaler}
 * (a bad value keeps the last good settings and shows UNCONFIGURED naming the key), the controller
 * database for the policies, the cloud controller (dynamic: while it is away nothing is scaled), the
 * {@link MetricSource} whiteboard, and a fixed-rate evaluation loop. Registers {@link Autoscaler},
 * its {@link StatusContributor} and the {@code io.stratos.lxc:type=Autoscaler} MBean once the
 * policies are loaded.
 * <p>
 * Registered by hand, not as DS services (there is no cycle: the controller's reference is optional and dynamic):
 * what it offers depends on how activation went, the full set on a trusted schema, only an UNAVAILABLE
 * {@link StatusContributor} saying why otherwise. DS fixes a component's services before it activates.
 */
@Designate(ocd = AutoscalerConfig.class)
@Component(immediate = true, configurationPid = AutoscalerSettings.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {})
public class AutoscalerComponent {

    private static final Logger LOG = LoggerFactory.getLogger(AutoscalerComponent.class);

    @Reference(target = "(dataSourceName=stratos)")
    DataSource dataSource;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile CloudController controller;

    /** Optional: where each scaling decision is posted (io/stratos/lxc/scaling/...), for whoever listens. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile EventAdmin eventAdmin;

    /** Optional: the controller's leader lease; the autoscaler acts only while its controller is the active one. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile Leadership leadership;

    private final List<MetricSource> sources = new CopyOnWriteArrayList<>();
    /** Whether the last pass found this controller standing by: its policies are reloaded before it acts. */
    private volatile boolean stoodBy;

    private volatile AutoscalerSettings settings = AutoscalerSettings.initial();
    private volatile String configProblems = "";
    private volatile String lastLoopError = "";
    private AutoscalerCore core;
    private ScheduledExecutorService loop;
    private ScheduledFuture<?> schedule;
    private int scheduledInterval;
    private List<ServiceRegistration<?>> registrations = List.of();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindMetricSource(MetricSource source) {
        sources.add(source);
    }

    void unbindMetricSource(MetricSource source) {
        sources.remove(source);
    }

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) throws NotCompliantMBeanException {
        configure(properties);
        JdbcPolicyStore store = new JdbcPolicyStore(dataSource);
        try {
            store.migrate();
        } catch (SchemaException e) {
            // Start nothing on a schema we cannot trust; the status says why.
            LOG.error("Autoscaler not started: {}", e.getMessage());
            StatusContributor unavailable = () -> new ComponentStatus("autoscaler", ComponentState.UNAVAILABLE,
                    "not started: " + e.getMessage());
            registrations = List.of(context.registerService(StatusContributor.class, unavailable, null));
            return;
        }
        core = new AutoscalerCore(store, Clock.systemUTC(), () -> settings, () -> controller, () -> sources);
        core.load();
        core.guard(() -> {
            Leadership lease = leadership;
            if (lease != null && !lease.active()) {
                String url = lease.lease().holderUrl();
                throw StratosException.unavailable("this controller is a standby: it serves reads only",
                        "send writes to the active controller" + (url.isEmpty() ? "" : " at " + url));
            }
        });
        core.events((topic, eventProperties) -> {
            EventAdmin events = eventAdmin;
            if (events != null) {
                events.postEvent(new Event(topic, eventProperties));
            }
        });
        loop = Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "stratos-autoscaler"));
        reschedule();
        StatusContributor status = this::componentStatus;
        Hashtable<String, Object> mbeanProperties = new Hashtable<>();
        mbeanProperties.put("jmx.objectname", AutoscalerMBeanImpl.OBJECT_NAME);
        registrations = List.of(
                context.registerService(Autoscaler.class, core, null),
                context.registerService(ScaleFromZero.class, core, null),
                context.registerService(ApplicationMetricNames.class, core, null),
                context.registerService(StatusContributor.class, status, null),
                context.registerService(AutoscalerMBean.class, new AutoscalerMBeanImpl(core, () -> settings, () -> controller),
                        mbeanProperties));
    }

    @Modified
    void modified(Map<String, Object> properties) {
        configure(properties);
        reschedule();
    }

    @Deactivate
    void deactivate() {
        registrations.forEach(ServiceRegistration::unregister);
        registrations = List.of();
        if (loop != null) {
            loop.shutdownNow();
        }
        if (core != null) {
            core.close();
        }
    }

    private void configure(Map<String, Object> properties) {
        ConfigValues values = AutoscalerSettings.read(properties);
        AutoscalerSettings read = AutoscalerSettings.from(values);
        if (values.valid()) {
            settings = read;
            configProblems = "";
            LOG.info("Autoscaler configured: {}", read);
        } else {
            configProblems = values.describeProblems();
            LOG.error("Invalid autoscaler configuration, keeping {}: {}", settings, configProblems);
        }
    }

    private synchronized void reschedule() {
        if (loop == null) {
            return;
        }
        int interval = settings.intervalMillis();
        if (schedule != null && interval == scheduledInterval) {
            return;
        }
        if (schedule != null) {
            schedule.cancel(false);
        }
        scheduledInterval = interval;
        schedule = loop.scheduleAtFixedRate(this::evaluate, interval, interval, TimeUnit.MILLISECONDS);
    }

    private void evaluate() {
        try {
            Leadership lease = leadership;
            if (lease != null && !lease.active()) {
                // a standby scales nothing; it keeps its policies as fresh as the database for its readers
                stoodBy = true;
                core.load();
                return;
            }
            if (stoodBy) {
                core.load(); // the last active controller may have changed them
                stoodBy = false;
            }
            long start = System.nanoTime();
            core.evaluate();
            core.evaluated(System.nanoTime() - start);
            lastLoopError = "";
        } catch (RuntimeException e) {
            // Never let the loop die; say what is wrong in the status.
            if (!e.toString().equals(lastLoopError)) {
                LOG.error("Autoscaler evaluation failed", e);
            }
            lastLoopError = e.toString();
        }
    }

    private ComponentStatus componentStatus() {
        String problems = configProblems;
        if (!problems.isEmpty()) {
            return new ComponentStatus("autoscaler", ComponentState.UNCONFIGURED, problems);
        }
        if (!lastLoopError.isEmpty()) {
            return new ComponentStatus("autoscaler", ComponentState.DEGRADED, "evaluation failing: " + lastLoopError);
        }
        if (controller == null) {
            return new ComponentStatus("autoscaler", ComponentState.DEGRADED, "cloud controller unavailable: nothing is scaled");
        }
        ScalingDecision last = core.lastDecision();
        String detail = (settings.enabled() ? "" : "disabled; ") + "policies " + core.policies().size()
                + ", autoscaled subscriptions " + core.autoscaledSubscriptions()
                + ", last decision " + (last == null ? "none" : AutoscalerMBeanImpl.line(last));
        return new ComponentStatus("autoscaler", ComponentState.ACTIVE, detail);
    }
}
