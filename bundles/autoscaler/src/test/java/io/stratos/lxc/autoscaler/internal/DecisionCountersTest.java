package io.stratos.lxc.autoscaler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratos.lxc.api.autoscaler.AutoscalerStatistics;
import io.stratos.lxc.api.autoscaler.ScalingDecision.Level;
import org.junit.jupiter.api.Test;

class DecisionCountersTest {

    @Test
    void countsDecisionsByLevelAndDirectionAndAddsUpPasses() {
        DecisionCounters counters = new DecisionCounters();
        counters.decided(Level.SUBSCRIPTION, 1, 3);
        counters.decided(Level.SUBSCRIPTION, 3, 4);
        counters.decided(Level.SUBSCRIPTION, 4, 1);
        counters.decided(Level.PARTITION, 2, 1);
        counters.decided(Level.PARTITION, 2, 2); // a refusal recorded: no direction
        counters.passed(40_000_000);
        counters.passed(10_000_000);

        AutoscalerStatistics s = counters.statistics();
        assertThat(s.subscriptionsUp()).isEqualTo(2);
        assertThat(s.subscriptionsDown()).isEqualTo(1);
        assertThat(s.partitionsUp()).isZero();
        assertThat(s.partitionsDown()).isEqualTo(1);
        assertThat(s.passes()).isEqualTo(2);
        assertThat(s.passSecondsTotal()).isEqualTo(0.05);
        assertThat(s.lastPassSeconds()).isEqualTo(0.01);
    }
}
