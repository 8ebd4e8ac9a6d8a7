package io.stratos.lxc.autoscaler.internal;

import io.stratos.lxc.api.autoscaler.AutoscalePolicy;
import io.stratos.lxc.api.autoscaler.MetricTarget;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Level 1 for one subscription: the policy maths (target tracking with tolerance, prediction, step
 * limits, scale-up cool-down, scale-down stabilisation) over its recent metric samples. Holds only
 * this subscription's history; no OSGi, no controller: fed by {@link AutoscalerCore}, or by tests
 * with synthetic series and a controllable clock.
 */
final class SubscriptionScaler {

    /** What the policy saw for one metric. {@code used} is what the target is compared with. */
    record Observation(String metric, double target, double average, Double predicted) {
        double used() {
            return predicted != null ? predicted : average;
        }
    }

    /** Bounds of the count: the policy's, within the subscription's own. */
    record Bounds(int min, int max) {
        static Bounds of(AutoscalePolicy policy, int subscriptionMin, int subscriptionMax) {
            int max = policy.maxProcesses() == null ? subscriptionMax
                    : Math.max(subscriptionMin, Math.min(subscriptionMax, policy.maxProcesses()));
            int min = policy.minProcesses() == null ? subscriptionMin
                    : Math.max(subscriptionMin, Math.min(subscriptionMax, policy.minProcesses()));
            return new Bounds(Math.min(min, max), max);
        }

        int clamp(int n) {
            return Math.max(min, Math.min(max, n));
        }
    }

    private record Recommendation(long millis, int count) {
    }

    private final String alias;
    private final String policyName;
    private final Map<String, Series> series = new HashMap<>();
    private final Deque<Recommendation> recommendations = new ArrayDeque<>();
    private long firstSeenMillis = Long.MIN_VALUE;
    private long lastScaleUpMillis = Long.MIN_VALUE;
    private int lastRunning = -1;

    SubscriptionScaler(String alias, String policyName) {
        this.alias = alias;
        this.policyName = policyName;
    }

    String alias() {
        return alias;
    }

    String policyName() {
        return policyName;
    }

    /**
     * One evaluation.
     *
     * @param now            clock millis
     * @param policy         the validated policy (defaults filled in)
     * @param current        the subscription's desired processes now
     * @param running        its RUNNING processes now
     * @param bounds         the effective min and max
     * @param values         this interval's value per process of each metric the policy names (absent: unknown)
     * @param windowMillis   how much history is averaged and fitted
     * @param intervalMillis the evaluation interval: prediction looks this far ahead
     */
    Outcome evaluate(long now, AutoscalePolicy policy, int current, int running, Bounds bounds, Map<String, Double> values,
                     long windowMillis, long intervalMillis) {
        return evaluate(now, policy, current, running, 0, bounds, values, windowMillis, intervalMillis, Long.MIN_VALUE);
    }

    /**
     * One evaluation, knowing how many of the subscription's processes are PENDING (no VM has room):
     * while some are, more processes would not help (level 2 is asking for VMs), so there is no scale-up.
     *
     * @param lastRequestMillis when a router last saw a request for it ({@code now} while one is in flight;
     *                          {@link Long#MIN_VALUE}: none seen), for {@code scaleToZeroAfterSeconds}
     */
    Outcome evaluate(long now, AutoscalePolicy policy, int current, int running, int pending, Bounds bounds,
                     Map<String, Double> values, long windowMillis, long intervalMillis, long lastRequestMillis) {
        if (firstSeenMillis == Long.MIN_VALUE) {
            firstSeenMillis = now;
        }
        // With scale to zero, the metrics never take the count below one: only a quiet spell takes it to zero.
        boolean toZero = policy.scaleToZeroAfterSeconds() != null && bounds.min() == 0;
        if (toZero && current > 0) {
            bounds = new Bounds(1, Math.max(1, bounds.max()));
        }
        if (running != lastRunning) {
            // Per-process values before and after a change of the running count are not comparable.
            series.values().forEach(Series::clear);
            lastRunning = running;
        }
        Map<String, Double> seen = new LinkedHashMap<>();
        seen.put("running", (double) running);
        Observation decisive = null;
        int raw = -1;
        for (Map.Entry<String, MetricTarget> entry : policy.metrics().entrySet()) {
            String key = entry.getKey();
            String metric = label(key, entry.getValue());
            Series s = series.computeIfAbsent(metric, m -> new Series());
            Double value = values.get(key);
            if (value != null && Double.isFinite(value)) {
                s.add(now, value, windowMillis);
            } else {
                s.trim(now, windowMillis);
            }
            if (s.isEmpty()) {
                continue;
            }
            double average = s.average();
            Double predicted = policy.predict() ? Math.max(0, s.trend(now).predict(intervalMillis / 1000.0)) : null;
            Observation observation = new Observation(metric, entry.getValue().target(), average, predicted);
            seen.put(metric, round(average));
            if (predicted != null) {
                seen.put(metric + ".predicted", round(predicted));
            }
            int proposal = propose(observation, current, running, policy.tolerance());
            if (proposal > raw) {
                raw = proposal;
                decisive = observation;
            }
        }
        String basis;
        if (decisive == null) {
            raw = current;
            basis = "no metric values yet";
        } else {
            basis = describe(decisive, running);
        }
        int recommended = bounds.clamp(raw);
        recommendations.addLast(new Recommendation(now, recommended));
        long stabilisation = policy.scaleDownStabilizationSeconds() * 1000L;
        while (!recommendations.isEmpty() && recommendations.peekFirst().millis() < now - stabilisation) {
            recommendations.removeFirst();
        }

        // Hard bounds first: a policy's min or max applies at once.
        if (current < bounds.min()) {
            return new Outcome(current, bounds.min(), "below the minimum of " + bounds.min() + " processes", seen);
        }
        if (current > bounds.max()) {
            return new Outcome(current, bounds.max(), "above the maximum of " + bounds.max() + " processes", seen);
        }
        if (toZero && current > 0) {
            long quietSince = Math.max(Math.max(lastRequestMillis, firstSeenMillis), lastScaleUpMillis);
            long quietSeconds = (now - quietSince) / 1000;
            seen.put("secondsWithoutRequest", (double) quietSeconds);
            if (now - quietSince >= policy.scaleToZeroAfterSeconds() * 1000L) {
                return new Outcome(current, 0, "no request for " + quietSeconds + " s (scaleToZeroAfterSeconds "
                        + policy.scaleToZeroAfterSeconds() + "): scaled to zero", seen);
            }
        }
        if (recommended > current) {
            if (pending > 0) {
                return Outcome.hold(current, basis + "; " + pending + " processes still wait for room on a VM", seen);
            }
            long cooldown = policy.scaleUpCooldownSeconds() * 1000L;
            if (lastScaleUpMillis != Long.MIN_VALUE && now - lastScaleUpMillis < cooldown) {
                long left = (cooldown - (now - lastScaleUpMillis) + 999) / 1000;
                return Outcome.hold(current, basis + "; scale-up cool-down, " + left + " s left", seen);
            }
            int to = Math.min(recommended, current + policy.scaleUpStep());
            String step = to < recommended ? " (step limit " + policy.scaleUpStep() + ")" : "";
            return new Outcome(current, to, basis + step, seen);
        }
        if (recommended < current) {
            if (now - firstSeenMillis < stabilisation) {
                return Outcome.hold(current, basis + "; stabilising: observed for less than "
                        + policy.scaleDownStabilizationSeconds() + " s", seen);
            }
            int stabilised = recommendations.stream().mapToInt(Recommendation::count).max().orElse(current);
            if (stabilised >= current) {
                return Outcome.hold(current, basis + "; held by the stabilisation window (" + stabilised
                        + " recommended within " + policy.scaleDownStabilizationSeconds() + " s)", seen);
            }
            int to = Math.max(stabilised, current - policy.scaleDownStep());
            String step = to > stabilised ? " (step limit " + policy.scaleDownStep() + ")" : "";
            String held = stabilised > recommended ? "; highest recommendation within "
                    + policy.scaleDownStabilizationSeconds() + " s is " + stabilised : "";
            return new Outcome(current, to, basis + held + step, seen);
        }
        return Outcome.hold(current, basis, seen);
    }

    /** Called once a scale-up went through: the cool-down starts (and a quiet spell, for scale to zero, starts again). */
    void scaledUp(long now) {
        lastScaleUpMillis = now;
    }

    /**
     * Target tracking for one metric: ceil(running * observed / target), or the current count while
     * the ratio is within the tolerance band. No scale-down below the current count while processes
     * are still starting (running below current): their share of the load is not measured yet.
     */
    static int propose(Observation observation, int current, int running, double tolerance) {
        double ratio = observation.used() / observation.target();
        if (Math.abs(ratio - 1) <= tolerance) {
            return current;
        }
        if (running == 0) {
            // Scale from zero: any load asks for one process; none keeps zero.
            return current == 0 && observation.used() > 0 ? 1 : current;
        }
        int proposal = (int) Math.min(Integer.MAX_VALUE, Math.ceil(running * ratio - 1e-9));
        return running < current ? Math.max(proposal, current) : proposal;
    }

    /**
     * How a metric shows in decisions: an application metric by its own name and aggregate (e.g.
     * {@code queue_depth.avg}), not by the policy's key {@code custom}.
     */
    static String label(String key, MetricTarget target) {
        if (AutoscalePolicy.CUSTOM.equals(key) && target != null && target.name() != null) {
            return target.name() + "." + (target.aggregate() == null ? MetricTarget.AVG : target.aggregate());
        }
        return key;
    }

    private static String describe(Observation o, int running) {
        String value = o.predicted() != null
                ? String.format(Locale.ROOT, "%.1f (predicted; average %.1f)", o.predicted(), o.average())
                : String.format(Locale.ROOT, "%.1f", o.average());
        return String.format(Locale.ROOT, "%s %s per process vs target %.1f on %d running", o.metric(), value,
                o.target(), running);
    }

    private static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
