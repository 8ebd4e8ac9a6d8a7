package io.stratos.lxc.router.internal;

import io.stratos.lxc.api.autoscaler.AutoscalePolicy;
import io.stratos.lxc.api.autoscaler.MetricSource;
import io.stratos.lxc.api.autoscaler.ScaleFromZero;
import io.stratos.lxc.api.controller.ProcessDrain;
import io.stratos.lxc.config.ConfigValues;
import io.stratos.lxc.api.controller.CloudController;
import io.stratos.lxc.api.router.AliasTraffic;
import io.stratos.lxc.api.router.LatencyHistogram;
import io.stratos.lxc.api.router.RouterMetrics;
import io.stratos.lxc.api.router.RouterReport;
import io.stratos.lxc.api.router.RouterStats;
import io.stratos.lxc.api.status.ComponentState;
import io.stratos.lxc.api.status.ComponentStatus;
import io.stratos.lxc.api.status.StatusContributor;
import java.io.IOException;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
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
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router (PID {@code io.stratos.lxc.router}): one HTTP address per subscription alias on its own
 * port. A bad value never stops it: the problem is logged with its key, the last good settings (or the
 * defaults) stay in force and the status says UNCONFIGURED. A port that cannot be bound is retried
 * every few seconds (status UNAVAILABLE meanwhile). The controller reference is dynamic and optional:
 * when the controller bundle is updated, traffic keeps flowing to the last known backends.
 */
@Component(configurationPid = RouterSettings.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {RouterMetrics.class, MetricSource.class, StatusContributor.class, ProcessDrain.class})
@org.osgi.service.metatype.annotations.Designate(ocd = RouterConfig.class)
public class RouterComponent implements RouterMetrics, MetricSource, StatusContributor, ProcessDrain {

    private static final Logger LOG = LoggerFactory.getLogger(RouterComponent.class);
    private static final long BIND_RETRY_SECONDS = 5;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile CloudController controller;

    /** The autoscaler's wake-up for subscriptions scaled to zero (when the controller runs in this Karaf). */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile ScaleFromZero scaleFromZero;

    /** Whether a controller was ever there: before that the router waits (boot); after, it lost it. */
    private volatile boolean controllerSeen;

    private final TrafficMetrics metrics = new TrafficMetrics();
    private ScheduledExecutorService retries;
    /** The traffic reports of a router apart: their own thread, so that a slow controller never delays a bind retry. */
    private ScheduledExecutorService reporter;
    private ScheduledFuture<?> bindRetry;
    private volatile RouterSettings settings;
    private volatile String configProblems = "";
    private volatile BackendTable table;
    /** The routes followed from a controller elsewhere ({@code controllerUrl}); null when it runs in this Karaf. */
    private volatile RouteFeedClient feed;
    /** This router's name among the routers that report traffic: its own while it runs, whatever its address. */
    private final String instance = "router-" + Long.toHexString(new java.security.SecureRandom().nextLong() >>> 1);
    /** Every second, what this router apart has in flight goes to the controller (for the autoscaler). */
    private ScheduledFuture<?> trafficReports;
    private volatile RouterServer server;
    private volatile String bindFailure = "";
    private boolean closed;

    @Activate
    void activate(Map<String, Object> properties) {
        retries = daemon("stratos-router-bind");
        reporter = daemon("stratos-router-reports");
        configure(properties);
    }

    private static ScheduledExecutorService daemon(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, name);
            thread.setDaemon(true);
            return thread;
        });
    }

    @Modified
    synchronized void configure(Map<String, Object> properties) {
        ConfigValues values = ConfigValues.of(RouterSettings.PID, properties);
        RouterSettings read = RouterSettings.from(values);
        configProblems = values.describeProblems();
        if (!values.valid()) {
            LOG.error("Invalid configuration, using {}: {}", settings == null ? read : settings, configProblems);
            if (settings != null) {
                return;
            }
        }
        if (read.equals(settings) && server != null) {
            return;
        }
        settings = read;
        restart();
    }

    @Deactivate
    synchronized void deactivate() {
        closed = true;
        if (bindRetry != null) {
            bindRetry.cancel(false);
        }
        retries.shutdownNow();
        reporter.shutdownNow();
        stopServer();
        closeFeed();
    }

    private void closeFeed() {
        if (trafficReports != null) {
            trafficReports.cancel(false);
            trafficReports = null;
        }
        RouteFeedClient following = feed;
        feed = null;
        if (following != null) {
            following.close();
        }
    }

    private void restart() {
        if (bindRetry != null) {
            bindRetry.cancel(false);
            bindRetry = null;
        }
        stopServer();
        RouterSettings current = settings;
        closeFeed();
        BackendSource source;
        if (current.apart()) {
            RouteFeedClient follower = new RouteFeedClient(current.controllers(), current.controllerAuthorization(),
                    HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).proxy(HttpClient.Builder.NO_PROXY).build(),
                    System::currentTimeMillis);
            follower.start();
            feed = follower;
            source = follower;
            String name = instance + "@" + current.endpoint(current.port());
            follower.onChange(aliases -> {
                BackendTable known = table;
                if (known != null) {
                    aliases.forEach(known::refreshIfKnown);
                }
            });
            long[] lastReport = {System.currentTimeMillis()};
            trafficReports = reporter.scheduleWithFixedDelay(() -> {
                long now = System.currentTimeMillis();
                BackendTable known = table;
                // the revision first: requests counted after it was read are to the routes it holds or newer ones
                long revision = follower.revision();
                follower.report(new RouterReport(name, metrics.inFlightPerBackend(known), metrics.requestedSince(lastReport[0]),
                        revision, known == null ? Map.of() : known.inFlightByProcess()));
                lastReport[0] = now;
            }, 1, 1, TimeUnit.SECONDS);
        } else {
            source = new ControllerBackendSource(() -> controller);
        }
        table = new BackendTable(source, current.backendCacheMillis(), System::nanoTime);
        if (!tryStart()) {
            bindRetry = retries.scheduleWithFixedDelay(this::retryStart, BIND_RETRY_SECONDS, BIND_RETRY_SECONDS, TimeUnit.SECONDS);
        }
    }

    private synchronized void retryStart() {
        if (!closed && server == null && tryStart() && bindRetry != null) {
            bindRetry.cancel(false);
            bindRetry = null;
        }
    }

    private boolean tryStart() {
        RouterSettings current = settings;
        RouteFeedClient following = feed;
        ColdStarts.Waker waker = following != null ? following::wake : alias -> {
            ScaleFromZero autoscaler = scaleFromZero;
            return autoscaler != null && autoscaler.wake(alias);
        };
        RouterServer candidate = new RouterServer(current, table, metrics, AccessLog.toLogger(), waker);
        try {
            candidate.start();
        } catch (IOException | RuntimeException e) {
            candidate.stop(0);
            String failure = "cannot listen on " + current.endpoint(current.port()) + ": " + e.getMessage();
            if (!failure.equals(bindFailure)) {
                LOG.error("Router {}; retrying every {} s", failure, BIND_RETRY_SECONDS);
            }
            bindFailure = failure;
            return false;
        }
        server = candidate;
        bindFailure = "";
        LOG.info("Router listening on {} for *.{} and /<alias>/", current.endpoint(candidate.port()), current.domain());
        return true;
    }

    private void stopServer() {
        RouterServer running = server;
        server = null;
        if (running != null) {
            running.stop(1);
        }
    }

    // ---------------------------------------------------------------- RouterMetrics

    @Override
    public int requestsInFlight(String alias) {
        return metrics.requestsInFlight(alias);
    }

    @Override
    public AliasTraffic traffic(String alias) {
        return metrics.traffic(alias, table);
    }

    @Override
    public LatencyHistogram latencyHistogram(String alias) {
        return metrics.histogram(alias);
    }

    @Override
    public RouterStats stats() {
        RouterSettings current = settings;
        RouterServer running = server;
        return new RouterStats(current.bindAddress(), running == null ? current.port() : running.port(), current.domain(),
                running != null, metrics.all(table));
    }

    // ---------------------------------------------------------------- ProcessDrain (the controller's scale-in)

    /** A leaving process gets no new request from now on; drained once none to it is in flight. */
    @Override
    public boolean drained(String alias, String processId) {
        BackendTable known = table;
        return known == null || known.drained(alias, processId);
    }

    // ---------------------------------------------------------------- MetricSource (the autoscaler)

    /**
     * {@code requestsInFlight} per process: the alias's requests in flight through the router over its
     * RUNNING processes as last looked up (all of them, when none runs yet: they wait for the first). Empty for other
     * metrics, and while the router is not listening.
     */
    @Override
    public OptionalDouble value(String alias, String metric) {
        if (!AutoscalePolicy.REQUESTS_IN_FLIGHT.equals(metric) || server == null) {
            return OptionalDouble.empty();
        }
        int inFlight = metrics.requestsInFlight(alias);
        if (inFlight == 0) {
            return OptionalDouble.of(0);
        }
        BackendTable known = table;
        AliasRoute route = known == null ? null : known.cached(alias);
        // none RUNNING yet (held while a process starts): all of them are on the one to come
        int backends = route == null ? 0 : route.backends().size();
        return OptionalDouble.of(inFlight / (double) Math.max(1, backends));
    }

    /** When this router last began a request for the alias (scale to zero counts quiet spells from it). */
    @Override
    public OptionalLong lastRequestMillis(String alias) {
        return metrics.lastRequestMillis(alias);
    }

    // ---------------------------------------------------------------- StatusContributor

    @Override
    public ComponentStatus componentStatus() {
        RouterSettings current = settings;
        RouterServer running = server;
        if (running == null) {
            String failure = bindFailure.isEmpty() ? "not listening" : bindFailure;
            return new ComponentStatus("router", ComponentState.UNAVAILABLE,
                    configProblems.isEmpty() ? failure : configProblems + "; " + failure);
        }
        String listening = "listening on " + current.endpoint(running.port()) + ", " + aliases() + " aliases";
        if (!configProblems.isEmpty()) {
            return new ComponentStatus("router", ComponentState.UNCONFIGURED, configProblems + " (" + listening + ")");
        }
        RouteFeedClient following = feed;
        if (following != null) {
            String fed = "following the routes of " + current.controllers();
            if (!following.problem().isEmpty()) {
                return new ComponentStatus("router", ComponentState.DEGRADED, listening + "; " + fed + ": "
                        + following.problem());
            }
            return new ComponentStatus("router", ComponentState.ACTIVE, listening + ", " + fed + " (revision "
                    + following.revision() + ")");
        }
        if (controller == null) {
            // at boot the controller registers after loading its state: that is its status to show, not ours
            return controllerSeen
                    ? new ComponentStatus("router", ComponentState.DEGRADED,
                            listening + "; the cloud controller is not available, serving the last known backends")
                    : new ComponentStatus("router", ComponentState.ACTIVE, listening + ", waiting for the cloud controller");
        }
        controllerSeen = true;
        return new ComponentStatus("router", ComponentState.ACTIVE, listening);
    }

    private int aliases() {
        RouteFeedClient following = feed;
        if (following != null) {
            return following.aliases();
        }
        CloudController current = controller;
        if (current != null) {
            controllerSeen = true;
            try {
                return current.subscriptions().size();
            } catch (RuntimeException e) {
                LOG.debug("cannot count subscriptions", e);
            }
        }
        BackendTable known = table;
        return known == null ? 0 : known.knownAliases();
    }
}
