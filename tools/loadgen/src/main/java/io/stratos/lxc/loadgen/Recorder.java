package io.stratos.lxc.loadgen;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntToDoubleFunction;

/** Counts per record interval, from many threads. Latencies are kept per interval (a run is bounded). */
final class Recorder {

    private static final class Bucket {
        final AtomicLong sent = new AtomicLong();
        final AtomicLong ok = new AtomicLong();
        final Map<String, AtomicLong> failures = new ConcurrentHashMap<>();
        private long[] latencies = new long[64];
        private int count;

        synchronized void latency(long nanos) {
            if (count == latencies.length) {
                latencies = Arrays.copyOf(latencies, count * 2);
            }
            latencies[count++] = nanos;
        }

        synchronized long[] sortedLatencies() {
            long[] copy = Arrays.copyOf(latencies, count);
            Arrays.sort(copy);
            return copy;
        }
    }

    private final long startNanos;
    private final long startEpochMillis;
    private final long intervalNanos;
    private final Map<Integer, Bucket> buckets = new ConcurrentHashMap<>();

    Recorder(long startNanos, long startEpochMillis, long intervalNanos) {
        this.startNanos = startNanos;
        this.startEpochMillis = startEpochMillis;
        this.intervalNanos = intervalNanos;
    }

    int indexAt(long nanos) {
        return (int) Math.max(0, (nanos - startNanos) / intervalNanos);
    }

    private Bucket bucket(long nanos) {
        return buckets.computeIfAbsent(indexAt(nanos), i -> new Bucket());
    }

    /** The last interval anything was recorded in, or -1. */
    int lastIndex() {
        return buckets.keySet().stream().mapToInt(Integer::intValue).max().orElse(-1);
    }

    void sent(long nanos) {
        bucket(nanos).sent.incrementAndGet();
    }

    void ok(long sentNanos, long doneNanos) {
        Bucket b = bucket(doneNanos);
        b.ok.incrementAndGet();
        b.latency(doneNanos - sentNanos);
    }

    /** A failure; {@code sentNanos} &lt; 0 when nothing was sent (no latency). */
    void failed(String kind, long sentNanos, long doneNanos) {
        Bucket b = bucket(doneNanos);
        b.failures.computeIfAbsent(kind, k -> new AtomicLong()).incrementAndGet();
        if (sentNanos >= 0) {
            b.latency(doneNanos - sentNanos);
        }
    }

    /** Intervals 0..{@code upTo} (exclusive), with the level each started at. */
    List<Interval> intervals(int upTo, IntToDoubleFunction levelAtIndex) {
        long intervalMillis = intervalNanos / 1_000_000;
        List<Interval> out = new ArrayList<>(upTo);
        for (int i = 0; i < upTo; i++) {
            Bucket b = buckets.get(i);
            long sent = 0;
            long ok = 0;
            Map<String, Long> failures = new TreeMap<>();
            double p50 = -1;
            double p99 = -1;
            if (b != null) {
                sent = b.sent.get();
                ok = b.ok.get();
                b.failures.forEach((k, v) -> failures.put(k, v.get()));
                long[] sorted = b.sortedLatencies();
                if (sorted.length > 0) {
                    p50 = percentile(sorted, 0.50);
                    p99 = percentile(sorted, 0.99);
                }
            }
            long failed = failures.values().stream().mapToLong(Long::longValue).sum();
            out.add(new Interval(i, i * intervalMillis, startEpochMillis + i * intervalMillis, levelAtIndex.applyAsDouble(i),
                    sent, ok, failed, Map.copyOf(failures), p50, p99));
        }
        return out;
    }

    /** Nearest-rank percentile in milliseconds, rounded to 0.01 ms. */
    static double percentile(long[] sortedNanos, double q) {
        int rank = (int) Math.ceil(q * sortedNanos.length);
        long nanos = sortedNanos[Math.max(0, Math.min(sortedNanos.length - 1, rank - 1))];
        return Math.round(nanos / 10_000.0) / 100.0;
    }
}
