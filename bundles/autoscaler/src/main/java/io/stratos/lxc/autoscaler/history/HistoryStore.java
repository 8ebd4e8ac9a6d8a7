package io.stratos.lxc.autoscaler.history;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.controller.Resources;
import io.stratos.lxc.api.controller.VmState;
import io.stratos.lxc.api.history.HistoryService;
import io.stratos.lxc.api.history.PartitionHistory;
import io.stratos.lxc.api.history.SubscriptionHistory;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The last hour of every tracked subscription and partition, in memory and bounded: one {@link SeriesRing} per
 * subscription and per partition, all sampled in the same passes, whose times are kept once here. A subscription or
 * partition that a pass no longer sees is forgotten at once; beyond {@code maxSubscriptions} / {@code maxPartitions}
 * new ones are not tracked (those tracked first keep their history).
 * <p>
 * What it costs, at the default interval of 5 s (720 samples per series): a subscription 4 columns (running, in
 * flight, CPU, memory) of 4 bytes = 11.25 KiB, so 10,000 subscriptions (the default cap) ~113 MiB once an hour has
 * been sampled (measured: 112.6 MiB of heap for 10,000 after 720 passes, a pass recording all of them in ~3 ms); a
 * partition 11 columns (VMs per state, allocated and free CPU and memory) = 30.9 KiB. The arrays are allocated when a
 * series starts. A 1 s interval keeps 3,600 samples: five times as much.
 * <p>
 * Thread-safe: the sampler writes a whole pass at once, readers copy what they ask for; each holds the monitor for
 * microseconds per series.
 */
final class HistoryStore {

    /** Subscription columns. */
    static final int RUNNING = 0;
    static final int IN_FLIGHT = 1;
    static final int CPU = 2;
    static final int MEMORY = 3;
    static final int SUBSCRIPTION_COLUMNS = 4;

    private static final VmState[] VM_STATES = VmState.values();
    /** Partition columns: the VM states first, then these. */
    static final int ALLOCATED_CPU = VM_STATES.length;
    static final int ALLOCATED_MEMORY = ALLOCATED_CPU + 1;
    static final int FREE_CPU = ALLOCATED_CPU + 2;
    static final int FREE_MEMORY = ALLOCATED_CPU + 3;
    static final int PARTITION_COLUMNS = ALLOCATED_CPU + 4;

    /**
     * A subscription at one pass. Memory as a float: 24 bits of precision are plenty for a chart. {@code createdAt} tells
     * a subscription from a new one under the same alias (unsubscribed and subscribed again between two passes).
     */
    record SubscriptionValues(String createdAt, int running, double inFlight, double cpu, long memoryBytes) {
    }

    /** A partition at one pass. */
    record PartitionValues(int[] vmsByState, Resources allocated, Resources free) {
    }

    private final HistorySettings settings;
    private final int capacity;
    private final long[] times;
    private long passes;
    private final Map<String, SeriesRing> subscriptions = new HashMap<>();
    private final Map<String, SeriesRing> partitions = new HashMap<>();

    HistoryStore(HistorySettings settings) {
        this.settings = settings;
        this.capacity = settings.capacity();
        this.times = new long[capacity];
    }

    HistorySettings settings() {
        return settings;
    }

    /** The subscriptions tracked now (for the sampler: it copies only these and as many new ones as there is room for). */
    synchronized Set<String> trackedSubscriptions() {
        return new HashSet<>(subscriptions.keySet());
    }

    synchronized int subscriptionCount() {
        return subscriptions.size();
    }

    synchronized int partitionCount() {
        return partitions.size();
    }

    /** One pass: what the sampler saw at {@code now}. Everything tracked and not in it is forgotten. */
    synchronized void record(long now, Map<String, SubscriptionValues> subscriptionValues,
                             Map<String, PartitionValues> partitionValues) {
        long pass = passes++;
        times[(int) (pass % capacity)] = now;
        subscriptions.keySet().retainAll(subscriptionValues.keySet());
        subscriptionValues.forEach((alias, v) -> {
            SeriesRing ring = subscriptions.get(alias);
            if (ring != null && !Objects.equals(ring.tag(), v.createdAt())) {
                subscriptions.remove(alias);
            }
            ring = series(subscriptions, alias, SUBSCRIPTION_COLUMNS, settings.maxSubscriptions());
            if (ring != null) {
                ring.tag(v.createdAt());
            }
            if (ring != null) {
                ring.put(pass, v.running(), bits(v.inFlight()), bits(v.cpu()), bits(v.memoryBytes()));
            }
        });
        partitions.keySet().retainAll(partitionValues.keySet());
        partitionValues.forEach((name, v) -> {
            SeriesRing ring = series(partitions, name, PARTITION_COLUMNS, settings.maxPartitions());
            if (ring != null) {
                int[] row = new int[PARTITION_COLUMNS];
                System.arraycopy(v.vmsByState(), 0, row, 0, VM_STATES.length);
                row[ALLOCATED_CPU] = v.allocated().cpuMillis();
                row[ALLOCATED_MEMORY] = v.allocated().memoryMiB();
                row[FREE_CPU] = v.free().cpuMillis();
                row[FREE_MEMORY] = v.free().memoryMiB();
                ring.put(pass, row);
            }
        });
    }

    private SeriesRing series(Map<String, SeriesRing> all, String name, int columns, int max) {
        SeriesRing ring = all.get(name);
        if (ring == null && all.size() < max) {
            ring = new SeriesRing(columns, capacity);
            all.put(name, ring);
        }
        return ring;
    }

    private static int bits(double value) {
        return Float.floatToRawIntBits(Double.isFinite(value) ? (float) value : 0f);
    }

    synchronized SubscriptionHistory subscription(String alias, int minutes, long now) {
        long since = since(minutes, now);
        SeriesRing ring = subscriptions.get(alias);
        List<SubscriptionHistory.Sample> samples = new ArrayList<>();
        if (ring != null) {
            for (long pass = ring.oldest(); pass >= 0 && pass <= ring.last(); pass++) {
                long t = times[(int) (pass % capacity)];
                if (t >= since && ring.has(pass)) {
                    samples.add(new SubscriptionHistory.Sample(t, ring.get(pass, RUNNING), round(ring.getFloat(pass, IN_FLIGHT)),
                            round(ring.getFloat(pass, CPU)), (long) ring.getFloat(pass, MEMORY)));
                }
            }
        }
        return new SubscriptionHistory(alias, settings.intervalSeconds(), ring != null, samples);
    }

    synchronized PartitionHistory partition(String name, int minutes, long now) {
        long since = since(minutes, now);
        SeriesRing ring = partitions.get(name);
        List<PartitionHistory.Sample> samples = new ArrayList<>();
        if (ring != null) {
            for (long pass = ring.oldest(); pass >= 0 && pass <= ring.last(); pass++) {
                long t = times[(int) (pass % capacity)];
                if (t >= since && ring.has(pass)) {
                    Map<VmState, Integer> states = new EnumMap<>(VmState.class);
                    int vms = 0;
                    for (VmState state : VM_STATES) {
                        int count = ring.get(pass, state.ordinal());
                        vms += count;
                        if (count > 0) {
                            states.put(state, count);
                        }
                    }
                    samples.add(new PartitionHistory.Sample(t, vms, states,
                            new Resources(ring.get(pass, ALLOCATED_CPU), ring.get(pass, ALLOCATED_MEMORY)),
                            new Resources(ring.get(pass, FREE_CPU), ring.get(pass, FREE_MEMORY))));
                }
            }
        }
        return new PartitionHistory(name, settings.intervalSeconds(), ring != null, samples);
    }

    static long since(int minutes, long now) {
        if (minutes < 1 || minutes > HistoryService.MAX_MINUTES) {
            throw StratosException.invalid("minutes", "minutes must be from 1 to " + HistoryService.MAX_MINUTES + ", not " + minutes,
                    "e.g. ?minutes=15; the history is an hour long");
        }
        return now - minutes * 60_000L;
    }

    /** Two decimals: a float's noise digits say nothing. */
    private static double round(float value) {
        return Math.round(value * 100.0) / 100.0;
    }
}
