package io.stratos.lxc.rest.internal;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Expiry;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Slows down password guessing: after {@code freeFailures} failed logins of one user name (or {@code freeFailures} ×
 * {@link #ADDRESS_FACTOR} from one address, since many users may share one, e.g. 127.0.0.1), each further failure
 * locks that name (or address) for twice as long as the one before, from 1 s up to {@code maxSeconds} (the caller
 * passes no address for loopback, which every local client shares). A success
 * clears the user's count; counts are forgotten {@link #FORGET_MILLIS} after the last failure. The lock only stops
 * password checks: credentials already known to be good (the login cache) and agents are not throttled.
 * <p>
 * Tracked in two bounded Caffeine caches of {@link #MAX_TRACKED} entries each: names and addresses with failures but
 * no lock, and those locked. A spray of made-up names (one failure each) only ever fills the first, so it cannot
 * evict, let alone lift, a lockout; emptying one map when it was full, as before, lifted every lock at once.
 */
final class LoginThrottle {

    /** An address gets this many times the failures of a single user name before it is slowed down. */
    static final int ADDRESS_FACTOR = 4;
    static final long FORGET_MILLIS = 15 * 60_000L;
    static final int MAX_TRACKED = 100_000;

    private record Failures(int count, long lastMillis, long lockedUntilMillis) {
    }

    private final Cache<String, Failures> counting;
    private final Cache<String, Failures> locked;
    private final LongSupplier clock;
    private volatile int freeFailures;
    private volatile long maxMillis;

    LoginThrottle(int freeFailures, int maxSeconds, LongSupplier clock) {
        this.clock = clock;
        configure(freeFailures, maxSeconds);
        counting = cache(clock);
        locked = cache(clock);
    }

    private static Cache<String, Failures> cache(LongSupplier clock) {
        return Caffeine.newBuilder()
                .maximumSize(MAX_TRACKED)
                .ticker(() -> TimeUnit.MILLISECONDS.toNanos(clock.getAsLong()))
                .executor(Runnable::run) // evict in the caller: bounded at once, and deterministic
                .expireAfter(new Expiry<String, Failures>() {
                    @Override
                    public long expireAfterCreate(String key, Failures f, long currentTime) {
                        // forgotten after the last failure, but never while locked
                        long until = Math.max(f.lastMillis() + FORGET_MILLIS, f.lockedUntilMillis());
                        return TimeUnit.MILLISECONDS.toNanos(Math.max(0, until - clock.getAsLong()));
                    }

                    @Override
                    public long expireAfterUpdate(String key, Failures f, long currentTime, long currentDuration) {
                        return expireAfterCreate(key, f, currentTime);
                    }

                    @Override
                    public long expireAfterRead(String key, Failures f, long currentTime, long currentDuration) {
                        return currentDuration;
                    }
                })
                .build();
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
        count(userKey(user), freeFailures, now);
        if (address != null) {
            count(addressKey(address), freeFailures * ADDRESS_FACTOR, now);
        }
    }

    void succeeded(String user) {
        counting.invalidate(userKey(user));
        locked.invalidate(userKey(user));
    }

    private synchronized void count(String key, int free, long now) {
        Failures f = current(key);
        int count = f == null || now - f.lastMillis() > FORGET_MILLIS ? 1 : f.count() + 1;
        long lockedUntil = 0;
        if (count > free) {
            int doublings = Math.min(count - free - 1, 20);
            lockedUntil = now + Math.min(maxMillis, 1000L << doublings);
        }
        Failures next = new Failures(count, now, lockedUntil);
        if (lockedUntil > 0) {
            counting.invalidate(key);
            locked.put(key, next);
        } else {
            locked.invalidate(key);
            counting.put(key, next);
        }
    }

    private Failures current(String key) {
        Failures f = locked.getIfPresent(key);
        return f != null ? f : counting.getIfPresent(key);
    }

    private long lockedUntil(String key, long now) {
        Failures f = locked.getIfPresent(key);
        return f == null ? 0 : f.lockedUntilMillis();
    }

    private static String userKey(String user) {
        return "user:" + user;
    }

    private static String addressKey(String address) {
        return "address:" + address;
    }
}
