package io.stratos.lxc.autoscaler.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratos.lxc.api.autoscaler.AutoscalePolicy;
import io.stratos.lxc.api.autoscaler.MetricTarget;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

/**
 * The level 1 policy maths on synthetic series. A simulated subscription carries a total load that
 * spreads evenly over its processes; a scale decision takes effect at once (all processes RUNNING).
 */
class SubscriptionScalerTest {

    static final long INTERVAL = 1000;
    static final long WINDOW = 5000;
    static final SubscriptionScaler.Bounds BOUNDS = new SubscriptionScaler.Bounds(1, 20);

    static AutoscalePolicy policy(double cpuTarget, int upStep, int downStep, int cooldown, int stabilisation,
                                  double tolerance, boolean predict) {
        return new AutoscalePolicy("p", Map.of("cpuPercent", new MetricTarget(cpuTarget)), null, null, upStep, downStep,
                cooldown, stabilisation, tolerance, predict);
    }

    /** Runs a subscription for {@code seconds}; the load (total CPU % over all processes) is a function of time. */
    static final class Simulation {
        final SubscriptionScaler scaler = new SubscriptionScaler("web", "p");
        final AutoscalePolicy policy;
        final List<Outcome> decisions = new ArrayList<>();
        final List<Integer> counts = new ArrayList<>();
        int processes;
        long now = 1_700_000_000_000L;

        Simulation(AutoscalePolicy policy, int processes) {
            this.policy = policy;
            this.processes = processes;
        }

        Simulation run(int seconds, DoubleUnaryOperator totalLoadAt) {
            for (int i = 0; i < seconds; i++) {
                double t = i;
                Map<String, Double> values = new HashMap<>();
                values.put("cpuPercent", totalLoadAt.applyAsDouble(t) / processes);
                Outcome outcome = scaler.evaluate(now, policy, processes, processes, BOUNDS, values, WINDOW, INTERVAL);
                if (outcome.changes()) {
                    decisions.add(outcome);
                    if (outcome.to() > outcome.from()) {
                        scaler.scaledUp(now);
                    }
                    processes = outcome.to();
                }
                counts.add(processes);
                now += INTERVAL;
            }
            return this;
        }

        /** How often the count changed direction (up then down or down then up). */
        int reversals() {
            int reversals = 0;
            int last = 0;
            for (Outcome o : decisions) {
                int direction = Integer.signum(o.to() - o.from());
                if (last != 0 && direction != last) {
                    reversals++;
                }
                last = direction;
            }
            return reversals;
        }

        /** The first second at which the count exceeded {@code n}, or -1. */
        int firstAbove(int n) {
            for (int i = 0; i < counts.size(); i++) {
                if (counts.get(i) > n) {
                    return i;
                }
            }
            return -1;
        }
    }

    @Test
    void scalesUpOnLoadByTargetTracking() {
        // 2 processes at 100 % each vs target 50: ceil(2 * 100/50) = 4
        Simulation sim = new Simulation(policy(50, 10, 1, 30, 60, 0.1, false), 2).run(1, t -> 200);
        assertThat(sim.decisions).hasSize(1);
        assertThat(sim.decisions.get(0).to()).isEqualTo(4);
        assertThat(sim.decisions.get(0).reason()).contains("cpuPercent").contains("target 50.0");
        assertThat(sim.decisions.get(0).metrics()).containsEntry("cpuPercent", 100.0);
    }

    @Test
    void holdsWithinTheToleranceBand() {
        // 3 processes at 54 % vs target 50, tolerance 0.1: ratio 1.08, no change; same for 46 %
        Simulation up = new Simulation(policy(50, 10, 10, 0, 0, 0.1, false), 3).run(30, t -> 3 * 54);
        Simulation down = new Simulation(policy(50, 10, 10, 0, 0, 0.1, false), 3).run(30, t -> 3 * 46);
        assertThat(up.decisions).isEmpty();
        assertThat(down.decisions).isEmpty();
        // outside the band it does change
        Simulation out = new Simulation(policy(50, 10, 10, 0, 0, 0.1, false), 3).run(1, t -> 3 * 56);
        assertThat(out.decisions).extracting(Outcome::to).containsExactly(4);
    }

    @Test
    void scaleUpStepLimitsEachDecision() {
        // 2 processes at 500 % vs target 50 want 20; step 3 gives 5
        Simulation sim = new Simulation(policy(50, 3, 1, 0, 60, 0.1, false), 2).run(1, t -> 1000);
        assertThat(sim.decisions.get(0).to()).isEqualTo(5);
        assertThat(sim.decisions.get(0).reason()).contains("step limit 3");
    }

    @Test
    void scaleDownStepLimitsEachDecision() {
        // 10 processes almost idle, no stabilisation: step 2 per decision
        Simulation sim = new Simulation(policy(50, 4, 2, 0, 0, 0.1, false), 10).run(3, t -> 10);
        assertThat(sim.decisions).extracting(Outcome::to).containsExactly(8, 6, 4);
    }

    @Test
    void boundsClampTheRecommendation() {
        SubscriptionScaler scaler = new SubscriptionScaler("web", "p");
        AutoscalePolicy policy = policy(50, 100, 1, 0, 0, 0.1, false);
        Outcome outcome = scaler.evaluate(0, policy, 2, 2, new SubscriptionScaler.Bounds(1, 6), Map.of("cpuPercent", 1000.0),
                WINDOW, INTERVAL);
        assertThat(outcome.to()).isEqualTo(6);
        // the policy's own min/max apply within the subscription's
        AutoscalePolicy narrow = new AutoscalePolicy("p", policy.metrics(), 3, 50, 4, 1, 0, 0, 0.1, false);
        assertThat(SubscriptionScaler.Bounds.of(narrow, 1, 10)).isEqualTo(new SubscriptionScaler.Bounds(3, 10));
        Outcome raised = new SubscriptionScaler("web", "p").evaluate(0, narrow, 1, 1, SubscriptionScaler.Bounds.of(narrow, 1, 10),
                Map.of("cpuPercent", 50.0), WINDOW, INTERVAL);
        assertThat(raised.to()).isEqualTo(3);
        assertThat(raised.reason()).contains("minimum");
    }

    @Test
    void coolDownDelaysTheNextScaleUp() {
        // the load keeps growing; with a 10 s cool-down, scale-ups are at least 10 s apart
        Simulation sim = new Simulation(policy(50, 1, 1, 10, 60, 0.1, false), 1).run(40, t -> 200 + 50 * t);
        assertThat(sim.decisions).hasSizeGreaterThanOrEqualTo(3);
        List<Integer> upAt = new ArrayList<>();
        for (int i = 1; i < sim.counts.size(); i++) {
            if (sim.counts.get(i) > sim.counts.get(i - 1)) {
                upAt.add(i);
            }
        }
        upAt.add(0, sim.counts.get(0) > 1 ? 0 : -100);
        for (int i = 1; i < upAt.size() - 1; i++) {
            assertThat(upAt.get(i + 1) - upAt.get(i)).isGreaterThanOrEqualTo(10);
        }
        // without a cool-down it scales every interval
        Simulation eager = new Simulation(policy(50, 1, 1, 0, 60, 0.1, false), 1).run(10, t -> 200 + 50 * t);
        assertThat(eager.decisions).hasSizeGreaterThanOrEqualTo(8);
    }

    @Test
    void noScaleDownBeforeTheStabilisationWindowIsObserved() {
        Simulation sim = new Simulation(policy(50, 4, 10, 0, 20, 0.1, false), 8).run(19, t -> 8 * 10);
        assertThat(sim.decisions).isEmpty();
        sim.run(2, t -> 8 * 10);
        assertThat(sim.decisions).hasSize(1);
        assertThat(sim.decisions.get(0).to()).isLessThan(8);
    }

    @Test
    void stabilisationScalesDownOnlyToTheHighestRecentRecommendation() {
        // 4 processes: 10 s of load wanting 4, then light load wanting 1: nothing until the high recommendations age out
        Simulation sim = new Simulation(policy(50, 4, 10, 0, 15, 0.1, false), 4);
        sim.run(20, t -> 200);
        assertThat(sim.decisions).isEmpty();
        sim.run(14, t -> 40);
        assertThat(sim.decisions).isEmpty();
        // the first lower step is the highest recommendation still in the window, made while the
        // metric window still averaged the old load; then down to what the light load needs
        sim.run(2, t -> 40);
        assertThat(sim.decisions).isEmpty();
        sim.run(1, t -> 40);
        assertThat(sim.decisions).extracting(Outcome::to).containsExactly(3);
        assertThat(sim.decisions.get(0).reason()).contains("highest recommendation within 15 s");
        sim.run(10, t -> 40);
        assertThat(sim.processes).isEqualTo(1);
        assertThat(sim.reversals()).isZero();
    }

    @Test
    void stabilisationPreventsFlappingUnderAnOscillatingSignal() {
        // total load oscillates between 100 and 300 % with a 20 s period
        DoubleUnaryOperator wave = t -> 200 + 100 * Math.sin(2 * Math.PI * t / 20);
        Simulation stable = new Simulation(policy(50, 4, 4, 5, 60, 0.1, false), 4).run(300, wave);
        Simulation naive = new Simulation(policy(50, 4, 4, 0, 0, 0.1, false), 4).run(300, wave);
        // without stabilisation the count follows the wave up and down
        assertThat(naive.reversals()).isGreaterThan(20);
        // with it, it rises to what the peaks need and stays there
        assertThat(stable.reversals()).isZero();
        assertThat(stable.counts.subList(100, 300)).allMatch(n -> n.equals(stable.counts.get(299)));
        assertThat(stable.counts.get(299)).isBetween(6, 7);
    }

    @Test
    void predictionActsEarlierOnARisingRamp() {
        // total load rises 2 % per second from 40 %: 1 process, target 50 (scale beyond 55)
        DoubleUnaryOperator ramp = t -> 40 + 2 * t;
        Simulation plain = new Simulation(policy(50, 1, 1, 30, 60, 0.1, false), 1).run(20, ramp);
        Simulation predicted = new Simulation(policy(50, 1, 1, 30, 60, 0.1, true), 1).run(20, ramp);
        assertThat(predicted.firstAbove(1)).isGreaterThanOrEqualTo(0);
        // the window average lags the ramp; the trend one interval ahead does not
        assertThat(predicted.firstAbove(1)).isEqualTo(7);
        assertThat(plain.firstAbove(1)).isEqualTo(10);
        assertThat(predicted.decisions.get(0).metrics()).containsKey("cpuPercent.predicted");
        assertThat(predicted.decisions.get(0).reason()).contains("predicted");
    }

    @Test
    void predictionOfAFlatSignalChangesNothing() {
        Simulation sim = new Simulation(policy(50, 4, 4, 0, 0, 0.1, true), 3).run(30, t -> 150);
        assertThat(sim.decisions).isEmpty();
    }

    @Test
    void theWorstOffMetricWins() {
        AutoscalePolicy policy = new AutoscalePolicy("p", Map.of("cpuPercent", new MetricTarget(50.0),
                "requestsInFlight", new MetricTarget(10.0)), null, null, 10, 1, 0, 60, 0.1, false);
        Outcome outcome = new SubscriptionScaler("web", "p").evaluate(0, policy, 2, 2, BOUNDS,
                Map.of("cpuPercent", 60.0, "requestsInFlight", 30.0), WINDOW, INTERVAL);
        // cpu wants ceil(2*1.2) = 3, requests want ceil(2*3) = 6
        assertThat(outcome.to()).isEqualTo(6);
        assertThat(outcome.reason()).startsWith("requestsInFlight");
    }

    @Test
    void noScaleDownWhileProcessesAreStillStarting() {
        // desired 4, only 2 running and they are idle: wait for the others before judging
        AutoscalePolicy policy = policy(50, 4, 4, 0, 0, 0.1, false);
        SubscriptionScaler scaler = new SubscriptionScaler("web", "p");
        Outcome outcome = scaler.evaluate(0, policy, 4, 2, BOUNDS, Map.of("cpuPercent", 5.0), WINDOW, INTERVAL);
        assertThat(outcome.changes()).isFalse();
        // but overload of the running ones still scales up
        Outcome up = new SubscriptionScaler("web", "p").evaluate(1000, policy, 4, 2, BOUNDS, Map.of("cpuPercent", 200.0),
                WINDOW, INTERVAL);
        assertThat(up.to()).isEqualTo(8);
    }

    @Test
    void withoutMetricsNothingChanges() {
        Outcome outcome = new SubscriptionScaler("web", "p").evaluate(0, policy(50, 4, 4, 0, 0, 0.1, false), 3, 0, BOUNDS,
                Map.of(), WINDOW, INTERVAL);
        assertThat(outcome.changes()).isFalse();
        assertThat(outcome.reason()).contains("no metric values");
    }

    @Test
    void noScaleUpWhileProcessesWaitForRoom() {
        AutoscalePolicy policy = policy(50, 4, 4, 0, 60, 0.1, false);
        Outcome held = new SubscriptionScaler("web", "p").evaluate(0, policy, 4, 2, 2, BOUNDS, Map.of("cpuPercent", 200.0),
                WINDOW, INTERVAL, Long.MIN_VALUE);
        assertThat(held.changes()).isFalse();
        assertThat(held.reason()).contains("2 processes still wait for room");
    }

    // ---- scale to zero

    static AutoscalePolicy toZeroAfter(int seconds) {
        return new AutoscalePolicy("p", Map.of("requestsInFlight", new MetricTarget(5.0)), 0, null, 4, 4, 0, 0, 0.1, false,
                seconds);
    }

    static final SubscriptionScaler.Bounds FROM_ZERO = new SubscriptionScaler.Bounds(0, 20);

    @Test
    void aQuietSubscriptionGoesToZeroAfterTheQuietSpellAndNotBefore() {
        SubscriptionScaler scaler = new SubscriptionScaler("web", "p");
        long lastRequest = 1_000;
        scaler.evaluate(lastRequest, toZeroAfter(30), 2, 2, 0, FROM_ZERO, Map.of("requestsInFlight", 1.0), WINDOW, INTERVAL,
                lastRequest);
        Outcome early = scaler.evaluate(10_000, toZeroAfter(30), 2, 2, 0, FROM_ZERO, Map.of("requestsInFlight", 0.0),
                WINDOW, INTERVAL, lastRequest);
        assertThat(early.to()).as("9 s quiet of 30: the metrics alone never go below one").isEqualTo(1);
        Outcome zero = scaler.evaluate(31_000, toZeroAfter(30), 1, 1, 0, FROM_ZERO, Map.of("requestsInFlight", 0.0),
                WINDOW, INTERVAL, lastRequest);
        assertThat(zero.to()).isZero();
        assertThat(zero.reason()).contains("no request for 30 s").contains("scaled to zero");
    }

    @Test
    void aRequestRestartsTheQuietSpell() {
        SubscriptionScaler scaler = new SubscriptionScaler("web", "p");
        scaler.evaluate(0, toZeroAfter(30), 1, 1, 0, FROM_ZERO, Map.of(), WINDOW, INTERVAL, Long.MIN_VALUE);
        Outcome held = scaler.evaluate(40_000, toZeroAfter(30), 1, 1, 0, FROM_ZERO, Map.of(), WINDOW, INTERVAL, 20_000);
        assertThat(held.changes()).isFalse();
        assertThat(held.metrics()).containsEntry("secondsWithoutRequest", 20.0);
    }

    @Test
    void aWakeRestartsTheQuietSpell() {
        SubscriptionScaler scaler = new SubscriptionScaler("web", "p");
        scaler.evaluate(0, toZeroAfter(30), 1, 1, 0, FROM_ZERO, Map.of(), WINDOW, INTERVAL, Long.MIN_VALUE);
        scaler.scaledUp(35_000);
        assertThat(scaler.evaluate(40_000, toZeroAfter(30), 1, 1, 0, FROM_ZERO, Map.of(), WINDOW, INTERVAL, Long.MIN_VALUE)
                .changes()).isFalse();
    }

    @Test
    void withoutScaleToZeroAQuietSubscriptionKeepsItsMinimum() {
        AutoscalePolicy never = new AutoscalePolicy("p", Map.of("requestsInFlight", new MetricTarget(5.0)), 1, null, 4, 4, 0, 0,
                0.1, false);
        Outcome outcome = new SubscriptionScaler("web", "p").evaluate(1_000_000, never, 1, 1, 0, BOUNDS,
                Map.of("requestsInFlight", 0.0), WINDOW, INTERVAL, 0);
        assertThat(outcome.changes()).isFalse();
    }

    @Test
    void atZeroLoadHeldByARouterAsksForOneProcess() {
        Outcome outcome = new SubscriptionScaler("web", "p").evaluate(0, toZeroAfter(30), 0, 0, 0, FROM_ZERO,
                Map.of("requestsInFlight", 3.0), WINDOW, INTERVAL, 0);
        assertThat(outcome.to()).isEqualTo(1);
        Outcome quiet = new SubscriptionScaler("web", "p").evaluate(0, toZeroAfter(30), 0, 0, 0, FROM_ZERO,
                Map.of("requestsInFlight", 0.0), WINDOW, INTERVAL, 0);
        assertThat(quiet.changes()).as("at zero and quiet: stays at zero").isFalse();
    }
}
