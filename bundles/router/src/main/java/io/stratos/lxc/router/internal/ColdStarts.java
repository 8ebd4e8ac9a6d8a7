package io.stratos.lxc.router.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Scale from zero on the router's side: requests for a subscription without a RUNNING process are held (bounded in
 * count by {@code maxHeldRequests}; each in time by its exchange, {@code holdTimeoutSeconds}) while the subscription is
 * woken ({@link Waker}: the autoscaler starts a process at once), and resumed as soon as its route has a backend.
 * <p>
 * One thread of its own: a wake may block (the autoscaler's lock, or an HTTP call to the controller for a router
 * apart), which an event loop must never do. While an alias has held requests, its route is looked up again every
 * {@link #POLL_MILLIS}, past the backend cache: a cold request waits for the process, not for the cache.
 */
final class ColdStarts {

    private static final Logger LOG = LoggerFactory.getLogger(ColdStarts.class);
    static final long POLL_MILLIS = 10;

    /** Starts a process for an alias at zero; true when one is (or is about to be) on its way. May block. */
    @FunctionalInterface
    interface Waker {
        boolean wake(String alias);
    }

    /** What a held request is told. Both are called on a thread of the router's own: hop to the event loop. */
    interface Held {
        /** The alias has backends now. */
        void resume(AliasRoute route);

        /** The alias will not get a process: answer 503. */
        void refused(String why);
    }

    private final BackendTable table;
    private final Waker waker;
    private final int maxHeld;
    private final ScheduledExecutorService worker;
    /** Held requests per alias; guarded by this. */
    private final Map<String, Set<Held>> held = new HashMap<>();
    private int count;

    ColdStarts(BackendTable table, Waker waker, int maxHeld) {
        this.table = table;
        this.waker = waker;
        this.maxHeld = maxHeld;
        this.worker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "stratos-router-cold-starts");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Holds a request; false when the bound is reached (the caller answers 503 with Retry-After). */
    synchronized boolean hold(String alias, Held request) {
        if (count >= maxHeld) {
            return false;
        }
        Set<Held> waiting = held.get(alias);
        boolean first = waiting == null;
        if (first) {
            waiting = new LinkedHashSet<>();
            held.put(alias, waiting);
        }
        waiting.add(request);
        count++;
        if (first) {
            try {
                worker.execute(() -> wake(alias));
            } catch (RejectedExecutionException e) {
                held.remove(alias);
                count--;
                return false;
            }
        }
        return true;
    }

    /** Lets go of a request (it timed out, or its client left); true when it was still held. */
    synchronized boolean release(String alias, Held request) {
        Set<Held> waiting = held.get(alias);
        if (waiting == null || !waiting.remove(request)) {
            return false;
        }
        count--;
        if (waiting.isEmpty()) {
            held.remove(alias);
        }
        return true;
    }

    synchronized int held() {
        return count;
    }

    void close() {
        worker.shutdownNow();
        List<Held> all = new ArrayList<>();
        synchronized (this) {
            held.values().forEach(all::addAll);
            held.clear();
            count = 0;
        }
        all.forEach(h -> h.refused("the router is stopping"));
    }

    private void wake(String alias) {
        boolean starting;
        try {
            starting = waker.wake(alias);
        } catch (RuntimeException e) {
            LOG.warn("Cannot wake subscription '{}': {}", alias, e.toString());
            starting = false;
        }
        if (!starting) {
            for (Held request : takeAll(alias)) {
                request.refused("subscription '" + alias + "' has no RUNNING process and none is starting");
            }
            return;
        }
        watch(alias);
    }

    private void watch(String alias) {
        AliasRoute route;
        try {
            route = table.refreshNow(alias);
        } catch (RuntimeException e) {
            route = null; // the source is away for a moment: the held requests time out if it stays away
        }
        if (route != null && !route.backends().isEmpty()) {
            for (Held request : takeAll(alias)) {
                request.resume(route);
            }
            return;
        }
        if (route != null && !route.known()) {
            for (Held request : takeAll(alias)) {
                request.refused("subscription '" + alias + "' is gone");
            }
            return;
        }
        synchronized (this) {
            if (!held.containsKey(alias)) {
                return; // every request timed out or left
            }
        }
        try {
            worker.schedule(() -> watch(alias), POLL_MILLIS, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            // closing: close() answers them
        }
    }

    private synchronized List<Held> takeAll(String alias) {
        Set<Held> waiting = held.remove(alias);
        if (waiting == null) {
            return List.of();
        }
        count -= waiting.size();
        return new ArrayList<>(waiting);
    }
}
