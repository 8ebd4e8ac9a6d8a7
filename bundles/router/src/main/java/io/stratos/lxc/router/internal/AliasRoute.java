package io.stratos.lxc.router.internal;

import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the router knows about one alias: whether a subscription has it and its backends, as of the
 * last look-up. Chooses a backend per request: fewest requests in flight, ties in turn.
 */
final class AliasRoute {

    private final String alias;
    private final boolean known;
    private final List<Backend> backends;
    private final long expiresAtNanos;
    private final AtomicInteger turn;
    final AtomicBoolean refreshing = new AtomicBoolean();

    AliasRoute(String alias, boolean known, List<Backend> backends, long expiresAtNanos, AtomicInteger turn) {
        this.alias = alias;
        this.known = known;
        this.backends = List.copyOf(backends);
        this.expiresAtNanos = expiresAtNanos;
        this.turn = turn;
    }

    String alias() {
        return alias;
    }

    /** False when no subscription has this alias. */
    boolean known() {
        return known;
    }

    List<Backend> backends() {
        return backends;
    }

    boolean expired(long nowNanos) {
        return nowNanos - expiresAtNanos >= 0;
    }

    AtomicInteger turn() {
        return turn;
    }

    /** The same backends, valid for longer (the source could not be asked). */
    AliasRoute extended(long expiresAt) {
        return new AliasRoute(alias, known, backends, expiresAt, turn);
    }

    /**
     * The backend for the next attempt: among those not tried yet, the ones not marked down first,
     * then the fewest requests in flight; equal candidates are taken in turn, starting one further
     * each call. Null when every backend has been tried.
     */
    Backend choose(Set<Backend> tried, long nowNanos) {
        int n = backends.size();
        if (n == 0) {
            return null;
        }
        int start = Math.floorMod(turn.getAndIncrement(), n);
        Backend best = null;
        boolean bestDown = true;
        int bestLoad = Integer.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            Backend candidate = backends.get((start + i) % n);
            if (tried.contains(candidate) || candidate.retired()) {
                continue;
            }
            boolean down = candidate.isDown(nowNanos);
            int load = candidate.inFlight();
            if (best == null || (bestDown && !down) || (down == bestDown && load < bestLoad)) {
                best = candidate;
                bestDown = down;
                bestLoad = load;
            }
        }
        return best;
    }

    int down(long nowNanos) {
        int count = 0;
        for (Backend backend : backends) {
            if (backend.isDown(nowNanos)) {
                count++;
            }
        }
        return count;
    }
}
