package io.stratos.lxc.router.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * The backends of every alias, each list kept for a short time ({@code backendCacheMillis}) so that
 * the hot path does not ask the controller (and take its lock) per request. An expired entry is
 * refreshed by one request while the others keep using it; when the controller cannot be asked, the
 * last known backends stay in use (a controller bundle update does not interrupt traffic).
 */
final class BackendTable {

    /** Aliases are DNS labels; anything else is unknown without asking. */
    static final Pattern ALIAS = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");

    /** Bounds memory when clients send random host names: unknown aliases beyond this are not remembered. */
    private static final int MAX_ENTRIES = 10_000;

    private final BackendSource source;
    private final long ttlNanos;
    private final LongSupplier clock;
    private final Map<String, AliasRoute> routes = new ConcurrentHashMap<>();
    /** Lock stripes for first look-ups (per alias would grow without bound with made-up aliases). */
    private final Object[] firstLookup = java.util.stream.IntStream.range(0, 64).mapToObj(i -> new Object()).toArray();

    BackendTable(BackendSource source, long ttlMillis, LongSupplier clock) {
        this.source = source;
        this.ttlNanos = ttlMillis * 1_000_000L;
        this.clock = clock;
    }

    /**
     * The route of this alias (possibly unknown, possibly without backends).
     *
     * @throws BackendSource.SourceUnavailableException when the source cannot answer and nothing is known
     */
    AliasRoute route(String alias) {
        if (!ALIAS.matcher(alias).matches()) {
            return new AliasRoute(alias, false, List.of(), 0, new AtomicInteger());
        }
        long now = clock.getAsLong();
        AliasRoute current = routes.get(alias);
        if (current == null) {
            // The first look-up of an alias is made once: concurrent first requests that each built a route of
            // their own would count their requests in flight on Backend objects that the kept route does not have.
            synchronized (firstLookup[Math.floorMod(alias.hashCode(), firstLookup.length)]) {
                current = routes.get(alias);
                if (current == null) {
                    return refresh(alias, null, now);
                }
            }
        }
        if (current.expired(now) && current.refreshing.compareAndSet(false, true)) {
            try {
                return refresh(alias, current, now);
            } finally {
                current.refreshing.set(false);
            }
        }
        return current;
    }

    private AliasRoute refresh(String alias, AliasRoute previous, long now) {
        List<Backend> found;
        try {
            found = source.backends(alias);
        } catch (BackendSource.SourceUnavailableException e) {
            if (previous == null) {
                throw e;
            }
            AliasRoute kept = previous.extended(now + ttlNanos);
            routes.put(alias, kept);
            return kept;
        }
        AliasRoute route;
        if (found == null) {
            route = new AliasRoute(alias, false, List.of(), now + ttlNanos, new AtomicInteger());
            if (previous == null && routes.size() >= MAX_ENTRIES) {
                return route;
            }
        } else {
            route = new AliasRoute(alias, true, keepState(previous, found), now + ttlNanos,
                    previous == null ? new AtomicInteger() : previous.turn());
        }
        routes.put(alias, route);
        if (routes.size() > MAX_ENTRIES) {
            routes.values().removeIf(r -> !r.known() && r.expired(now));
        }
        return route;
    }

    /** Reuses the Backend objects of processes still at the same address, with their in-flight counts and down marks. */
    private static List<Backend> keepState(AliasRoute previous, List<Backend> found) {
        if (previous == null || previous.backends().isEmpty()) {
            return found;
        }
        Map<String, Backend> old = new HashMap<>();
        for (Backend backend : previous.backends()) {
            old.put(backend.key(), backend);
        }
        List<Backend> merged = new ArrayList<>(found.size());
        for (Backend backend : found) {
            merged.add(old.getOrDefault(backend.key(), backend));
        }
        return merged;
    }

    /** The routes known now (for figures: backends per alias). */
    AliasRoute cached(String alias) {
        return routes.get(alias);
    }

    /** Known aliases, as of their last look-up. */
    int knownAliases() {
        int count = 0;
        for (AliasRoute route : routes.values()) {
            if (route.known()) {
                count++;
            }
        }
        return count;
    }

    long now() {
        return clock.getAsLong();
    }
}
