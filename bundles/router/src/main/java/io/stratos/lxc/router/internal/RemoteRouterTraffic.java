package io.stratos.lxc.router.internal;

import io.stratos.lxc.api.autoscaler.AutoscalePolicy;
import io.stratos.lxc.api.autoscaler.MetricSource;
import io.stratos.lxc.api.controller.ProcessDrain;
import io.stratos.lxc.api.router.RemoteRouter;
import io.stratos.lxc.api.router.RemoteRouters;
import io.stratos.lxc.api.router.RouteFeed;
import io.stratos.lxc.api.router.RouterReport;
import io.stratos.lxc.api.router.RouterTrafficSink;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The routers apart from the controller, as they report every second: their requests in flight for the autoscaler
 * ({@code requestsInFlight}, added to the embedded router's own), the aliases they got requests for (scale to zero),
 * and, for the controller's drains, their route revision and their requests in flight per process. A report older
 * than {@link #FRESH_MILLIS} counts for nothing (its router stopped or lost the controller). At most
 * {@link #MAX_ROUTERS} routers are kept.
 */
@Component(service = {RouterTrafficSink.class, MetricSource.class, ProcessDrain.class, RemoteRouters.class})
public class RemoteRouterTraffic implements RouterTrafficSink, MetricSource, ProcessDrain, RemoteRouters {

    static final long FRESH_MILLIS = 5_000;
    static final int MAX_ROUTERS = 1_000;

    private record Report(long atMillis, Map<String, Double> perAlias, long revision, Map<String, Integer> processes) {
    }

    /** A drain under way: the route revision every router must reach (it took the process out), and since when. */
    private record Draining(long revision, long sinceMillis) {
    }

    /** Where the current route revision comes from; absent in a Karaf without the controller. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile RouteFeed routes;

    private final Map<String, Draining> draining = new ConcurrentHashMap<>();

    private final Map<String, Report> reports = new ConcurrentHashMap<>();
    /** When a router apart last reported a request for each alias (this JVM's clock), for scale to zero. */
    private final Map<String, Long> lastRequests = new ConcurrentHashMap<>();
    static final int MAX_ALIASES = 100_000;
    /** A quiet spell longer than a day needs no exact start. */
    static final long FORGET_MILLIS = 86_400_000L;
    private final LongSupplier clock;

    public RemoteRouterTraffic() {
        this(System::currentTimeMillis);
    }

    RemoteRouterTraffic(LongSupplier clock) {
        this.clock = clock;
    }

    @Override
    public void report(String router, Map<String, Double> perAlias) {
        report(new RouterReport(router, perAlias, List.of(), 0, Map.of()));
    }

    @Override
    public void report(RouterReport report) {
        long now = clock.getAsLong();
        String router = report.router();
        for (String alias : report.requested()) {
            if (lastRequests.size() >= MAX_ALIASES && !lastRequests.containsKey(alias)) {
                lastRequests.values().removeIf(at -> now - at > FORGET_MILLIS);
                if (lastRequests.size() >= MAX_ALIASES) {
                    break;
                }
            }
            lastRequests.put(alias, now);
        }
        if (reports.size() >= MAX_ROUTERS && !reports.containsKey(router)) {
            reports.values().removeIf(r -> now - r.atMillis > FRESH_MILLIS);
            if (reports.size() >= MAX_ROUTERS) {
                throw new IllegalStateException("more than " + MAX_ROUTERS + " routers report traffic");
            }
        }
        reports.put(router, new Report(now, report.inFlight(), report.revision(), report.processes()));
    }

    /**
     * A leaving process is drained through the routers apart once every router still reporting has its routes at
     * the revision that took it out (or later: it sends it nothing new) and reports no request to it in flight. The
     * first call notes that revision and answers false.
     */
    @Override
    public boolean drained(String alias, String processId) {
        long now = clock.getAsLong();
        RouteFeed feed = routes;
        if (feed == null) {
            return true;
        }
        Draining drain = draining.get(processId);
        if (drain == null) {
            if (draining.size() > 100_000) {
                draining.values().removeIf(d -> now - d.sinceMillis > 600_000);
            }
            draining.put(processId, new Draining(feed.revision(), now));
            return false;
        }
        for (Report report : reports.values()) {
            // revision 0: a router that does not say (an older one): it cannot be waited for
            if (now - report.atMillis <= FRESH_MILLIS && report.revision > 0
                    && (report.revision < drain.revision || report.processes.getOrDefault(processId, 0) > 0)) {
                return false;
            }
        }
        draining.remove(processId);
        return true;
    }

    /** How long a router that stopped reporting is still listed. */
    static final long LISTED_MILLIS = 600_000;

    @Override
    public List<RemoteRouter> routers() {
        long now = clock.getAsLong();
        RouteFeed feed = routes;
        long current = feed == null ? 0 : feed.revision();
        List<RemoteRouter> routers = new ArrayList<>();
        reports.forEach((name, report) -> {
            if (now - report.atMillis <= LISTED_MILLIS) {
                int inFlight = report.processes.values().stream().mapToInt(Integer::intValue).sum();
                routers.add(new RemoteRouter(name, Instant.ofEpochMilli(report.atMillis).toString(),
                        now - report.atMillis <= FRESH_MILLIS, report.revision, report.revision >= current, inFlight));
            }
        });
        routers.sort(Comparator.comparing(RemoteRouter::name));
        return routers;
    }

    /** Routers whose last report is fresh. */
    int reporting() {
        long now = clock.getAsLong();
        return (int) reports.values().stream().filter(r -> now - r.atMillis <= FRESH_MILLIS).count();
    }

    @Override
    public OptionalLong lastRequestMillis(String alias) {
        Long at = lastRequests.get(alias);
        return at == null ? OptionalLong.empty() : OptionalLong.of(at);
    }

    @Override
    public OptionalDouble value(String alias, String metric) {
        if (!AutoscalePolicy.REQUESTS_IN_FLIGHT.equals(metric)) {
            return OptionalDouble.empty();
        }
        long now = clock.getAsLong();
        double sum = 0;
        boolean any = false;
        for (Report report : reports.values()) {
            if (now - report.atMillis <= FRESH_MILLIS) {
                any = true;
                sum += report.perAlias.getOrDefault(alias, 0.0);
            }
        }
        return any ? OptionalDouble.of(sum) : OptionalDouble.empty();
    }
}
