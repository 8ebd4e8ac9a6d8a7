package io.stratos.lxc.router.internal;

import io.stratos.lxc.api.autoscaler.AutoscalePolicy;
import io.stratos.lxc.api.autoscaler.MetricSource;
import io.stratos.lxc.api.router.RouterTrafficSink;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.osgi.service.component.annotations.Component;

/**
 * The requests in flight through the routers apart from the controller, as they report them every second, for the
 * autoscaler ({@code requestsInFlight}, added to the embedded router's own). A report older than {@link #FRESH_MILLIS}
 * counts for nothing (its router stopped or lost the controller). At most {@link #MAX_ROUTERS} routers are kept.
 */
@Component(service = {RouterTrafficSink.class, MetricSource.class})
public class RemoteRouterTraffic implements RouterTrafficSink, MetricSource {

    static final long FRESH_MILLIS = 5_000;
    static final int MAX_ROUTERS = 1_000;

    private record Report(long atMillis, Map<String, Double> perAlias) {
    }

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
        report(router, perAlias, List.of());
    }

    @Override
    public void report(String router, Map<String, Double> perAlias, Collection<String> requested) {
        long now = clock.getAsLong();
        for (String alias : requested) {
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
        reports.put(router, new Report(now, Map.copyOf(perAlias)));
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
