package io.stratos.lxc.router.internal;

import io.stratos.lxc.api.router.AliasTraffic;
import io.stratos.lxc.api.router.LatencyHistogram;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The figures of every alias the router has served. Entries are made only for aliases a subscription
 * has, and dropped when the alias turns out to be gone, so random host names cost nothing.
 */
final class TrafficMetrics {

    private final Map<String, AliasCounters> counters = new ConcurrentHashMap<>();

    AliasCounters counters(String alias) {
        return counters.computeIfAbsent(alias, AliasCounters::new);
    }

    /** The alias is gone (unsubscribed): forget its figures unless requests of it are still running. */
    void forget(String alias) {
        counters.computeIfPresent(alias, (a, c) -> c.inFlight() > 0 ? c : null);
    }

    int requestsInFlight(String alias) {
        AliasCounters c = counters.get(alias);
        return c == null ? 0 : c.inFlight();
    }

    /** When a request for the alias last began here (epoch millis), if one did. */
    java.util.OptionalLong lastRequestMillis(String alias) {
        AliasCounters c = counters.get(alias);
        long last = c == null ? 0 : c.lastBeginMillis();
        return last == 0 ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(last);
    }

    /** The aliases that got a request at or after this time (epoch millis): what a router apart reports. */
    List<String> requestedSince(long millis) {
        List<String> aliases = new ArrayList<>();
        for (AliasCounters c : counters.values()) {
            if (c.lastBeginMillis() >= millis || c.inFlight() > 0) {
                aliases.add(c.alias());
            }
        }
        return aliases;
    }

    /**
     * Requests in flight per backend of each alias that has any (the share a router apart reports, see
     * RemoteRouterTraffic); an alias with requests but no backend known counts them as on one.
     */
    Map<String, Double> inFlightPerBackend(BackendTable table) {
        Map<String, Double> shares = new java.util.HashMap<>();
        for (AliasCounters c : counters.values()) {
            int inFlight = c.inFlight();
            if (inFlight > 0) {
                AliasRoute route = table == null ? null : table.cached(c.alias());
                int backends = route == null ? 0 : route.backends().size();
                shares.put(c.alias(), inFlight / (double) Math.max(1, backends));
            }
        }
        return shares;
    }

    AliasTraffic traffic(String alias, BackendTable table) {
        AliasCounters c = counters.get(alias);
        return c == null ? AliasTraffic.none(alias) : snapshot(c, table);
    }

    LatencyHistogram histogram(String alias) {
        AliasCounters c = counters.get(alias);
        return c == null ? null : c.histogram();
    }

    List<AliasTraffic> all(BackendTable table) {
        List<AliasTraffic> all = new ArrayList<>();
        for (AliasCounters c : counters.values()) {
            all.add(snapshot(c, table));
        }
        all.sort(Comparator.comparing(AliasTraffic::alias));
        return all;
    }

    private static AliasTraffic snapshot(AliasCounters c, BackendTable table) {
        AliasRoute route = table == null ? null : table.cached(c.alias());
        if (route == null) {
            return c.snapshot(0, 0);
        }
        return c.snapshot(route.backends().size(), route.down(table.now()));
    }
}
