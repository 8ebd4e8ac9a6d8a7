package io.stratos.lxc.router.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.regex.Pattern;

/**
 * The backends of every alias, each list kept for a short time ({@code backendCacheMillis}) so that
 * the hot path does not ask the controller (and take its lock) per request. An expired entry is
 * refreshed by one request while the others keep using it; when the controller cannot be asked, the
 * last known backends stay in use (a controller bundle update does not interrupt traffic).
 * <p>
 * It also drains leaving processes ({@link #drained}): a retired process gets no new request, and
 * counts as drained once no request to it is in flight any more.
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
    /** Processes being drained, and since when (nanos): none of their backends may come back into a route. */
    private final Map<String, Long> retired = new ConcurrentHashMap<>();
    /** Backends that left a route (and since when): requests may still be in flight to them. */
    private final Map<Backend, Long> leaving = new ConcurrentHashMap<>();
    /** How long a retired process or a left backend is remembered. */
    private static final long FORGET_NANOS = TimeUnit.MINUTES.toNanos(10);

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

    /** The route of this alias as the source says now, past the cache (a held request waits for its first backend). */
    AliasRoute refreshNow(String alias) {
        if (!ALIAS.matcher(alias).matches()) {
            return new AliasRoute(alias, false, List.of(), 0, new AtomicInteger());
        }
        return refresh(alias, routes.get(alias), clock.getAsLong());
    }

    /** Looks an alias up again now if it is cached (its routes changed); one not cached is left alone. */
    void refreshIfKnown(String alias) {
        AliasRoute current = routes.get(alias);
        if (current != null) {
            try {
                refresh(alias, current, clock.getAsLong());
            } catch (BackendSource.SourceUnavailableException e) {
                // the cached route stays; the next look-up tries again
            }
        }
    }

    /** Requests in flight per process, for the processes with any (those of routes, and those that left one). */
    Map<String, Integer> inFlightByProcess() {
        Map<String, Integer> byProcess = new HashMap<>();
        for (AliasRoute route : routes.values()) {
            for (Backend backend : route.backends()) {
                if (backend.inFlight() > 0) {
                    byProcess.merge(backend.processId(), backend.inFlight(), Integer::sum);
                }
            }
        }
        for (Backend backend : leaving.keySet()) {
            if (backend.inFlight() > 0) {
                byProcess.merge(backend.processId(), backend.inFlight(), Integer::sum);
            }
        }
        return byProcess;
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
            List<Backend> serving = found;
            if (!retired.isEmpty()) {
                serving = found.stream().filter(b -> !retired.containsKey(b.processId())).toList();
            }
            route = new AliasRoute(alias, true, keepState(previous, serving), now + ttlNanos,
                    previous == null ? new AtomicInteger() : previous.turn());
        }
        routes.put(alias, route);
        if (previous != null) {
            for (Backend backend : previous.backends()) {
                if (!route.backends().contains(backend)) {
                    leaving.putIfAbsent(backend, now);
                }
            }
        }
        if (!leaving.isEmpty() || !retired.isEmpty()) {
            leaving.values().removeIf(since -> now - since > FORGET_NANOS);
            retired.values().removeIf(since -> now - since > FORGET_NANOS);
        }
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

    /**
     * Drains a leaving process: from the first call on, no new request goes to it (its backends are
     * retired and kept out of every later look-up); true once no request to it is in flight. The first
     * call never answers true: a look-up that read the controller just before the process left may still
     * be putting it into a route, and the next call finds it there or among the backends that left.
     */
    boolean drained(String alias, String processId) {
        long now = clock.getAsLong();
        boolean first = retired.putIfAbsent(processId, now) == null;
        AliasRoute current = routes.get(alias);
        if (current != null) {
            try {
                refresh(alias, current, now); // out of the route now, not when the cached list expires
            } catch (BackendSource.SourceUnavailableException e) {
                return false;
            }
        }
        List<Backend> backends = new ArrayList<>();
        AliasRoute route = routes.get(alias);
        if (route != null) {
            route.backends().stream().filter(b -> b.processId().equals(processId)).forEach(backends::add);
        }
        leaving.keySet().stream().filter(b -> b.processId().equals(processId)).forEach(backends::add);
        backends.forEach(Backend::retire);
        if (first) {
            return false;
        }
        for (Backend backend : backends) {
            if (backend.inFlight() > 0) {
                return false;
            }
        }
        leaving.keySet().removeAll(backends);
        return true;
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
