package io.stratos.lxc.router.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratos.lxc.api.router.AliasTraffic;
import io.stratos.lxc.api.router.LatencyHistogram;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AliasCountersTest {

    @Test
    void percentilesComeFromTheHistogramAndTheAverageFollowsRecentRequests() {
        AliasCounters counters = new AliasCounters("shop");
        for (int i = 0; i < 98; i++) {
            counters.begin();
            counters.end(3_000_000, false);
        }
        counters.begin();
        counters.end(400_000_000, true);
        counters.begin();
        counters.end(70_000_000_000L, true);
        AliasTraffic traffic = counters.snapshot(2, 1);
        assertThat(traffic.requests()).isEqualTo(100);
        assertThat(traffic.errors()).isEqualTo(2);
        assertThat(traffic.requestsInFlight()).isZero();
        assertThat(traffic.latencyP50Millis()).isEqualTo(5);
        assertThat(traffic.latencyP99Millis()).isEqualTo(500);
        assertThat(traffic.latencyEwmaMillis()).isGreaterThan(3);
        assertThat(traffic.backends()).isEqualTo(2);
        assertThat(traffic.backendsDown()).isEqualTo(1);

        // the same buckets, in seconds, for the metrics endpoint: 98 at 5 ms, one at 500 ms, one past the last bound
        LatencyHistogram histogram = counters.histogram();
        assertThat(histogram.upperBoundsSeconds()).startsWith(0.001, 0.002, 0.005).endsWith(60.0, Double.POSITIVE_INFINITY);
        assertThat(histogram.counts().get(histogram.upperBoundsSeconds().indexOf(0.005))).isEqualTo(98);
        assertThat(histogram.counts().get(histogram.upperBoundsSeconds().indexOf(0.5))).isEqualTo(1);
        assertThat(histogram.counts().get(histogram.counts().size() - 1)).isEqualTo(1);
        assertThat(histogram.counts().stream().mapToLong(Long::longValue).sum()).isEqualTo(100);
    }

    @Test
    void choosesTheLeastLoadedUpBackendAndTakesTiesInTurn() {
        Backend a = new Backend("a", "127.0.0.1", 1);
        Backend b = new Backend("b", "127.0.0.1", 2);
        Backend c = new Backend("c", "127.0.0.1", 3);
        AliasRoute route = new AliasRoute("shop", true, List.of(a, b, c), Long.MAX_VALUE, new AtomicInteger());
        assertThat(List.of(route.choose(new HashSet<>(), 0), route.choose(new HashSet<>(), 0), route.choose(new HashSet<>(), 0)))
                .containsExactly(a, b, c);
        a.tryBegin();
        b.tryBegin();
        for (int i = 0; i < 5; i++) {
            assertThat(route.choose(new HashSet<>(), 0)).isSameAs(c);
        }
        c.markDown(0, 1_000);
        assertThat(route.choose(new HashSet<>(), 10)).isIn(a, b);
        assertThat(route.choose(new HashSet<>(List.of(a, b)), 10)).isSameAs(c);
        assertThat(route.choose(new HashSet<>(List.of(a, b, c)), 10)).isNull();
        assertThat(route.choose(new HashSet<>(), 2_000)).isSameAs(c);
    }
}
