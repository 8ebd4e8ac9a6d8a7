package io.stratos.lxc.autoscaler.history;

import io.stratos.lxc.api.autoscaler.MetricSource;
import io.stratos.lxc.config.ConfigValues;
import io.stratos.lxc.api.controller.CloudController;
import io.stratos.lxc.api.history.HistoryService;
import io.stratos.lxc.api.history.PartitionHistory;
import io.stratos.lxc.api.history.SubscriptionHistory;
import io.stratos.lxc.api.status.ComponentState;
import io.stratos.lxc.api.status.ComponentStatus;
import io.stratos.lxc.api.status.StatusContributor;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the last hour of every subscription and partition for the console's charts ({@link HistoryService}):
 * configuration from PID {@code io.stratos.lxc.history} (a bad value keeps the last good settings and shows
 * UNCONFIGURED naming the key), the cloud controller (dynamic: while it is away no pass is sampled) and the
 * {@link MetricSource} whiteboard, sampled by one scheduled thread into a {@link HistoryStore}. In the autoscaler's
 * bundle because it reads what the autoscaler reads, the same way.
 */
@Designate(ocd = HistoryConfig.class)
@Component(immediate = true, configurationPid = HistorySettings.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {HistoryService.class, StatusContributor.class})
public class HistoryComponent implements HistoryService, StatusContributor {

    private static final Logger LOG = LoggerFactory.getLogger(HistoryComponent.class);

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile CloudController controller;

    private final List<MetricSource> sources = new CopyOnWriteArrayList<>();

    private volatile HistoryStore store = new HistoryStore(HistorySettings.initial());
    private volatile String configProblems = "";
    private volatile String lastError = "";
    private ScheduledExecutorService loop;
    private ScheduledFuture<?> schedule;

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void bindMetricSource(MetricSource source) {
        sources.add(source);
    }

    void unbindMetricSource(MetricSource source) {
        sources.remove(source);
    }

    @Activate
    void activate(Map<String, Object> properties) {
        loop = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "stratos-history");
            thread.setDaemon(true);
            return thread;
        });
        configure(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        configure(properties);
    }

    @Deactivate
    void deactivate() {
        loop.shutdownNow();
    }

    private synchronized void configure(Map<String, Object> properties) {
        ConfigValues values = HistorySettings.read(properties);
        HistorySettings next = values.valid() ? HistorySettings.from(values) : store.settings();
        configProblems = values.valid() ? "" : values.describeProblems();
        if (!values.valid()) {
            LOG.error("Invalid history configuration, keeping {}: {}", next, configProblems);
        }
        if (schedule != null && next.equals(store.settings())) {
            return;
        }
        if (schedule != null) {
            schedule.cancel(false);
        }
        if (!next.equals(store.settings())) {
            // Another interval is another ring: start afresh rather than mix spacings.
            store = new HistoryStore(next);
        }
        LOG.info("History configured: {}", next);
        schedule = loop.scheduleAtFixedRate(this::sample, 0, next.intervalSeconds() * 1000L, TimeUnit.MILLISECONDS);
    }

    private void sample() {
        CloudController cc = controller;
        if (cc == null) {
            return;
        }
        try {
            HistorySampler.sample(cc, sources, store, System.currentTimeMillis());
            lastError = "";
        } catch (RuntimeException e) {
            // Never let the loop die; say what is wrong in the status, and log it once.
            if (!e.toString().equals(lastError)) {
                LOG.error("History sampling failed", e);
            }
            lastError = e.toString();
        }
    }

    @Override
    public SubscriptionHistory subscription(String alias, int minutes) {
        return store.subscription(alias, minutes, System.currentTimeMillis());
    }

    @Override
    public PartitionHistory partition(String name, int minutes) {
        return store.partition(name, minutes, System.currentTimeMillis());
    }

    @Override
    public ComponentStatus componentStatus() {
        String problems = configProblems;
        if (!problems.isEmpty()) {
            return new ComponentStatus("history", ComponentState.UNCONFIGURED, problems);
        }
        if (!lastError.isEmpty()) {
            return new ComponentStatus("history", ComponentState.DEGRADED, "sampling failing: " + lastError);
        }
        HistoryStore current = store;
        HistorySettings s = current.settings();
        return new ComponentStatus("history", ComponentState.ACTIVE, "every " + s.intervalSeconds() + " s, "
                + current.subscriptionCount() + " of at most " + s.maxSubscriptions() + " subscriptions, "
                + current.partitionCount() + " of at most " + s.maxPartitions() + " partitions");
    }
}
