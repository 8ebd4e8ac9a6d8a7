package io.stratos.lxc.autoscaler.history;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.controller.Resources;
import io.stratos.lxc.api.controller.VmState;
import io.stratos.lxc.api.history.PartitionHistory;
import io.stratos.lxc.api.history.SubscriptionHistory;
import io.stratos.lxc.autoscaler.history.HistoryStore.PartitionValues;
import io.stratos.lxc.autoscaler.history.HistoryStore.SubscriptionValues;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HistoryStoreTest {

    private static final long T0 = 1_800_000_000_000L;

    private static Map<String, SubscriptionValues> subs(String... aliases) {
        Map<String, SubscriptionValues> values = new HashMap<>();
        for (int i = 0; i < aliases.length; i++) {
            values.put(aliases[i], new SubscriptionValues("c1", i + 1, 0.5, 12.345, 100L << 20));
        }
        return values;
    }

    @Test
    void anHourAtTheDefaultIntervalIs720SamplesAndTheOldestGoFirst() {
        HistoryStore store = new HistoryStore(new HistorySettings(5, 10, 10));
        for (int pass = 0; pass < 1000; pass++) {
            store.record(T0 + pass * 5000L, Map.of("shop", new SubscriptionValues("c1", pass, pass, pass, pass)), Map.of());
        }
        long now = T0 + 999 * 5000L;
        SubscriptionHistory history = store.subscription("shop", 60, now);
        assertThat(history.tracked()).isTrue();
        assertThat(history.intervalSeconds()).isEqualTo(5);
        assertThat(history.samples()).hasSize(720);
        assertThat(history.samples().get(0).running()).isEqualTo(280);
        assertThat(history.samples().get(0).t()).isEqualTo(T0 + 280 * 5000L);
        assertThat(history.samples().get(719).running()).isEqualTo(999);
        assertThat(history.samples()).isSortedAccordingTo((a, b) -> Long.compare(a.t(), b.t()));
    }

    @Test
    void minutesKeepsOnlyTheSamplesOfThatManyMinutes() {
        HistoryStore store = new HistoryStore(new HistorySettings(5, 10, 10));
        for (int pass = 0; pass < 720; pass++) {
            store.record(T0 + pass * 5000L, subs("shop"), Map.of());
        }
        long now = T0 + 719 * 5000L;
        // 1 minute back from the last sample: 12 intervals, both ends included
        assertThat(store.subscription("shop", 1, now).samples()).hasSize(13);
        assertThat(store.subscription("shop", 10, now).samples()).hasSize(121);
        assertThat(store.subscription("shop", 60, now).samples()).hasSize(720);
        SubscriptionHistory.Sample sample = store.subscription("shop", 1, now).samples().get(0);
        assertThat(sample.running()).isEqualTo(1);
        assertThat(sample.inFlight()).isEqualTo(0.5);
        assertThat(sample.cpu()).isEqualTo(12.35); // two decimals
        assertThat(sample.memoryBytes()).isEqualTo(100L << 20);
    }

    @Test
    void minutesOutsideOneToSixtyAreRefusedNamingTheField() {
        HistoryStore store = new HistoryStore(HistorySettings.initial());
        for (int minutes : new int[] {0, -1, 61, Integer.MAX_VALUE}) {
            assertThatThrownBy(() -> store.subscription("shop", minutes, T0)).isInstanceOfSatisfying(StratosException.class, e -> {
                assertThat(e.kind()).isEqualTo(StratosException.Kind.INVALID_INPUT);
                assertThat(e.getMessage()).contains("from 1 to 60");
            });
        }
    }

    @Test
    void aSubscriptionThatGoesIsForgottenAndOneThatComesBackStartsAfresh() {
        HistoryStore store = new HistoryStore(new HistorySettings(5, 10, 10));
        store.record(T0, subs("shop", "blog"), Map.of());
        store.record(T0 + 5000, subs("shop"), Map.of());
        assertThat(store.trackedSubscriptions()).containsExactly("shop");
        SubscriptionHistory blog = store.subscription("blog", 60, T0 + 5000);
        assertThat(blog.tracked()).isFalse();
        assertThat(blog.samples()).isEmpty();
        store.record(T0 + 10_000, subs("shop", "blog"), Map.of());
        assertThat(store.subscription("blog", 60, T0 + 10_000).samples()).extracting(SubscriptionHistory.Sample::t)
                .containsExactly(T0 + 10_000);
        assertThat(store.subscription("shop", 60, T0 + 10_000).samples()).hasSize(3);
    }

    @Test
    void aNewSubscriptionUnderAnAliasSeenInTheLastPassStartsAfresh() {
        HistoryStore store = new HistoryStore(new HistorySettings(5, 10, 10));
        store.record(T0, subs("shop"), Map.of());
        store.record(T0 + 5000, Map.of("shop", new SubscriptionValues("c2", 7, 0, 0, 0)), Map.of());
        assertThat(store.subscription("shop", 60, T0 + 5000).samples()).extracting(SubscriptionHistory.Sample::running)
                .containsExactly(7);
    }

    @Test
    void beyondTheCapNewSubscriptionsAreNotTrackedAndThoseFirstKeepTheirs() {
        HistoryStore store = new HistoryStore(new HistorySettings(5, 2, 1));
        store.record(T0, subs("a", "b"), Map.of());
        store.record(T0 + 5000, subs("a", "b", "c"), Map.of());
        assertThat(store.trackedSubscriptions()).containsExactlyInAnyOrder("a", "b");
        assertThat(store.subscription("c", 60, T0 + 5000).tracked()).isFalse();
        // one goes: the next new one gets its place
        store.record(T0 + 10_000, subs("b", "c"), Map.of());
        assertThat(store.trackedSubscriptions()).containsExactlyInAnyOrder("b", "c");
        assertThat(store.subscription("b", 60, T0 + 10_000).samples()).hasSize(3);
    }

    @Test
    void aNewerIntervalThanTheHourStillKeepsAnHour() {
        assertThat(new HistorySettings(1, 1, 1).capacity()).isEqualTo(3600);
        assertThat(new HistorySettings(5, 1, 1).capacity()).isEqualTo(720);
        assertThat(new HistorySettings(7, 1, 1).capacity()).isEqualTo(515);
    }

    @Test
    void partitionsKeepVmsPerStateAndCapacity() {
        HistoryStore store = new HistoryStore(new HistorySettings(5, 10, 1));
        int[] states = new int[VmState.values().length];
        states[VmState.READY.ordinal()] = 2;
        states[VmState.BOOTING.ordinal()] = 1;
        PartitionValues web = new PartitionValues(states, new Resources(300, 48), new Resources(500, 80));
        store.record(T0, Map.of(), Map.of("web", web, "db", web));
        PartitionHistory history = store.partition("web", 5, T0);
        PartitionHistory other = store.partition("db", 5, T0);
        // one of the two is tracked (the cap is 1)
        PartitionHistory tracked = history.tracked() ? history : other;
        assertThat(history.tracked()).isNotEqualTo(other.tracked());
        assertThat(tracked.samples()).hasSize(1);
        PartitionHistory.Sample sample = tracked.samples().get(0);
        assertThat(sample.vms()).isEqualTo(3);
        assertThat(sample.states()).containsExactly(Map.entry(VmState.BOOTING, 1), Map.entry(VmState.READY, 2));
        assertThat(sample.allocated()).isEqualTo(new Resources(300, 48));
        assertThat(sample.free()).isEqualTo(new Resources(500, 80));
        store.record(T0 + 5000, Map.of(), Map.of());
        assertThat(store.partitionCount()).isZero();
    }

    @Test
    void aSeriesSkippedForPassesShowsAGapNotOldValues() {
        SeriesRing ring = new SeriesRing(1, 4);
        ring.put(0, 10);
        ring.put(1, 11);
        ring.put(3, 13);
        assertThat(List.of(ring.has(0), ring.has(1), ring.has(2), ring.has(3))).containsExactly(true, true, false, true);
        ring.put(9, 19); // more than the ring since the last: everything older is gone
        assertThat(ring.oldest()).isEqualTo(6);
        assertThat(List.of(ring.has(6), ring.has(7), ring.has(8), ring.has(9))).containsExactly(false, false, false, true);
        assertThat(ring.get(9, 0)).isEqualTo(19);
    }
}
