package io.stratos.lxc.router.internal;

import io.stratos.lxc.api.router.AliasTraffic;
import io.stratos.lxc.api.router.LatencyHistogram;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * Live figures of one alias: lock-free counters, a fixed-bucket latency histogram (cumulative since
 * start) and an EWMA of the request duration (what recent requests took).
 */
final class AliasCounters {

    /** Upper bounds of the latency buckets, in milliseconds; the last bucket is open. */
    static final double[] BUCKETS_MILLIS = {1, 2, 5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10_000, 30_000, 60_000};

    /** Weight of the newest sample in the moving average. */
    private static final double EWMA_ALPHA = 0.2;

    private final String alias;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final LongAdder requests = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final LongAdder[] histogram = new LongAdder[BUCKETS_MILLIS.length + 1];
    private final AtomicLong ewmaBits = new AtomicLong(Double.doubleToRawLongBits(-1));
    private final AtomicLong maxNanos = new AtomicLong();
    /** When the last request began (epoch millis; 0: none yet), for scale to zero. */
    private volatile long lastBeginMillis;

    AliasCounters(String alias) {
        this.alias = alias;
        for (int i = 0; i < histogram.length; i++) {
            histogram[i] = new LongAdder();
        }
    }

    String alias() {
        return alias;
    }

    void begin() {
        inFlight.incrementAndGet();
        lastBeginMillis = System.currentTimeMillis();
    }

    long lastBeginMillis() {
        return lastBeginMillis;
    }

    /** A request ended, answered or not; {@code error} for a 5xx or a backend failure. */
    void end(long durationNanos, boolean error) {
        inFlight.decrementAndGet();
        requests.increment();
        if (error) {
            errors.increment();
        }
        double millis = durationNanos / 1e6;
        int bucket = 0;
        while (bucket < BUCKETS_MILLIS.length && millis > BUCKETS_MILLIS[bucket]) {
            bucket++;
        }
        histogram[bucket].increment();
        maxNanos.accumulateAndGet(durationNanos, Math::max);
        long previous;
        long next;
        do {
            previous = ewmaBits.get();
            double old = Double.longBitsToDouble(previous);
            next = Double.doubleToRawLongBits(old < 0 ? millis : old + EWMA_ALPHA * (millis - old));
        } while (!ewmaBits.compareAndSet(previous, next));
    }

    int inFlight() {
        return inFlight.get();
    }

    long requests() {
        return requests.sum();
    }

    AliasTraffic snapshot(int backends, int backendsDown) {
        long[] counts = new long[histogram.length];
        long total = 0;
        for (int i = 0; i < counts.length; i++) {
            counts[i] = histogram[i].sum();
            total += counts[i];
        }
        double ewma = Double.longBitsToDouble(ewmaBits.get());
        return new AliasTraffic(alias, inFlight.get(), requests.sum(), errors.sum(), ewma < 0 ? 0 : round(ewma),
                percentile(counts, total, 0.50), percentile(counts, total, 0.99), backends, backendsDown);
    }

    /** The request durations per bucket since start, for the metrics endpoint's histogram (the last bucket is open). */
    LatencyHistogram histogram() {
        List<Double> bounds = new ArrayList<>(histogram.length);
        List<Long> counts = new ArrayList<>(histogram.length);
        for (int i = 0; i < histogram.length; i++) {
            bounds.add(i < BUCKETS_MILLIS.length ? BUCKETS_MILLIS[i] / 1000.0 : Double.POSITIVE_INFINITY);
            counts.add(histogram[i].sum());
        }
        return new LatencyHistogram(bounds, counts);
    }

    private double percentile(long[] counts, long total, double q) {
        if (total == 0) {
            return 0;
        }
        long rank = (long) Math.ceil(q * total);
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return i < BUCKETS_MILLIS.length ? BUCKETS_MILLIS[i] : round(maxNanos.get() / 1e6);
            }
        }
        return round(maxNanos.get() / 1e6);
    }

    private static double round(double millis) {
        return Math.round(millis * 100) / 100.0;
    }
}
