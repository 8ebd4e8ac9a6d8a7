package io.stratos.lxc.controller.internal;

import io.stratos.lxc.api.router.Route;
import io.stratos.lxc.api.router.RouteChanges;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * Which aliases' routes changed at which revision, for the routers' long polls: each commit that touched some aliases
 * gets one new revision, and a router asking for the changes after a revision it has gets the current routes of just
 * the aliases touched since. The last {@value #CAPACITY} touches are kept; a router further behind, or one with a
 * revision from before a restart (revisions start from the clock), gets every alias. Used with the controller's lock
 * held.
 */
final class RouteLog {

    /** Alias touches kept (about 100 bytes each). */
    static final int CAPACITY = 100_000;

    /** What the routes are now ({@code routes}: null for an alias that does not exist), and every alias. */
    record View(java.util.function.Function<String, List<Route>> routes, java.util.function.Supplier<Collection<String>> aliases) {

        /** Every alias's routes now. */
        Map<String, List<Route>> everyAlias() {
            Map<String, List<Route>> all = new HashMap<>();
            for (String alias : aliases.get()) {
                List<Route> now = routes.apply(alias);
                if (now != null) {
                    all.put(alias, now);
                }
            }
            return all;
        }
    }

    /** The aliases whose routes differ between two {@link View#everyAlias} (added, removed or changed). */
    static Set<String> changed(Map<String, List<Route>> before, Map<String, List<Route>> after) {
        Set<String> changed = new java.util.HashSet<>();
        for (Map.Entry<String, List<Route>> was : before.entrySet()) {
            if (!was.getValue().equals(after.get(was.getKey()))) {
                changed.add(was.getKey());
            }
        }
        for (String alias : after.keySet()) {
            if (!before.containsKey(alias)) {
                changed.add(alias);
            }
        }
        return changed;
    }

    private record Touch(long revision, Set<String> aliases) {
    }

    private record Waiter(long since, CompletableFuture<RouteChanges> future) {
    }

    private final ArrayDeque<Touch> touches = new ArrayDeque<>();
    private final List<Waiter> waiters = new ArrayList<>();
    private int touchedAliases;
    private long revision;
    /** Changes at or before this revision are not kept one by one: a router behind it gets every alias. */
    private long forgottenUpTo;

    RouteLog(long firstRevision) {
        this.revision = firstRevision;
        this.forgottenUpTo = firstRevision;
    }

    long revision() {
        return revision;
    }

    /**
     * A commit's touched aliases ({@code null}: every alias is new) get a new revision, and the routers waiting are
     * answered.
     */
    void publish(Set<String> touched, View view) {
        if (touched != null && touched.isEmpty()) {
            return;
        }
        revision++;
        if (touched == null) {
            touches.clear();
            touchedAliases = 0;
            forgottenUpTo = revision;
        } else {
            touches.addLast(new Touch(revision, touched));
            touchedAliases += touched.size();
            while (touchedAliases > CAPACITY && touches.size() > 1) {
                Touch oldest = touches.removeFirst();
                touchedAliases -= oldest.aliases.size();
                forgottenUpTo = oldest.revision;
            }
        }
        List<Waiter> answered = List.copyOf(waiters);
        waiters.clear();
        for (Waiter waiter : answered) {
            waiter.future.complete(changesAfter(waiter.since, view));
        }
    }

    /** The changes after {@code since}, or null when there are none (then {@link #await} may wait for them). */
    RouteChanges changesAfter(long since, View view) {
        if (since == revision) {
            return null;
        }
        if (since < forgottenUpTo || since > revision) {
            return new RouteChanges(revision, true, view.everyAlias(), List.of());
        }
        Set<String> changed = new TreeSet<>();
        for (Touch touch : touches) {
            if (touch.revision > since) {
                changed.addAll(touch.aliases);
            }
        }
        Map<String, List<Route>> aliases = new HashMap<>();
        List<String> removed = new ArrayList<>();
        for (String alias : changed) {
            List<Route> routes = view.routes().apply(alias);
            if (routes == null) {
                removed.add(alias);
            } else {
                aliases.put(alias, routes);
            }
        }
        return new RouteChanges(revision, false, aliases, removed);
    }

    /** Waits for the next publication after {@code since} (which is the current revision). */
    void await(long since, CompletableFuture<RouteChanges> future) {
        waiters.add(new Waiter(since, future));
    }

    /** A poll that stopped waiting. */
    void forget(CompletableFuture<RouteChanges> future) {
        waiters.removeIf(w -> w.future == future);
    }

    int waiting() {
        return waiters.size();
    }
}
