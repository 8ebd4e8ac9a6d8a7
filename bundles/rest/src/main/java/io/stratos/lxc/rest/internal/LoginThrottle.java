package io.stratos.lxc.rest.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Slows down password guessing: after {@code freeFailures} failed logins of one user name (or {@code freeFailures} ×
 * {@link #ADDRESS_FACTOR} from one address, since many users may share one, e.g. 127.0.0.1), each further failure
 * locks that name (or address) for twice as long as the one before, from 1 s up to {@code maxSeconds} (the caller
 * passes no address for loopback, which every local client shares). A success
 * clears the user's count; counts are forgotten {@link #FORGET_MILLIS} after the last failure. The lock only stops
 * password checks: credentials already known to be good (the login cache) and agents are not throttled.
 */
final class LoginThrottle {

    /** An address gets this many times the failures of a single user name before it is slowed down. */
    static final int ADDRESS_FACTOR = 4;
    static final long FORGET_MILLIS = 15 * 60_000L;
    private static final int MAX_TRACKED = 100_000;

    private record Failures(int count, long lastMillis, long lockedUntilMillis) {
    }

    private final Map<String, Failures> failures = new ConcurrentHashMap<>();
    private final LongSupplier clock;
    private volatile int freeFailures;
    private volatile long maxMillis;

    LoginThrottle(int freeFailures, int maxSeconds, LongSupplier clock) {
        this.clock = clock;
        configure(freeFailures, maxSeconds);
    }

    void configure(int freeFailures, int maxSeconds) {
        this.freeFailures = freeFailures;
        this.maxMillis = maxSeconds * 1000L;
    }

    /** Seconds until a password check for this user from this address may be tried again; 0 when it may now. */
    long retryAfterSeconds(String user, String address) {
        if (freeFailures <= 0) {
            return 0;
        }
        long now = clock.getAsLong();
        long until = Math.max(lockedUntil(userKey(user), now), address == null ? 0 : lockedUntil(addressKey(address), now));
        return until <= now ? 0 : (until - now + 999) / 1000;
    }

    void failed(String user, String address) {
        if (freeFailures <= 0) {
            return;
        }
        long now = clock.getAsLong();
        if (failures.size() >= MAX_TRACKED) {
            failures.values().removeIf(f -> now - f.lastMillis() > FORGET_MILLIS);
            if (failures.size() >= MAX_TRACKED) {
                failures.clear(); // a flood of names: forget rather than grow
            }
        }
        count(userKey(user), freeFailures, now);
        if (address != null) {
            count(addressKey(address), freeFailures * ADDRESS_FACTOR, now);
        }
    }

    void succeeded(String user) {
        failures.remove(userKey(user));
    }

    private void count(String key, int free, long now) {
        failures.compute(key, (k, f) -> {
            int count = f == null || now - f.lastMillis() > FORGET_MILLIS ? 1 : f.count() + 1;
            long locked = 0;
            if (count > free) {
                int doublings = Math.min(count - free - 1, 20);
                locked = now + Math.min(maxMillis, 1000L << doublings);
            }
            return new Failures(count, now, locked);
        });
    }

    private long lockedUntil(String key, long now) {
        Failures f = failures.get(key);
        if (f == null) {
            return 0;
        }
        if (now - f.lastMillis() > FORGET_MILLIS) {
            failures.remove(key, f);
            return 0;
        }
        return f.lockedUntilMillis();
    }

    private static String userKey(String user) {
        return "user:" + user;
    }

    private static String addressKey(String address) {
        return "address:" + address;
    }
}
