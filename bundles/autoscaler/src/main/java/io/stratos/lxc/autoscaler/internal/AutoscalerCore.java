package io.stratos.lxc.autoscaler.internal;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.autoscaler.ApplicationMetricNames;
import io.stratos.lxc.api.autoscaler.AutoscalePolicy;
import io.stratos.lxc.api.autoscaler.MetricTarget;
import io.stratos.lxc.api.autoscaler.Autoscaler;
import io.stratos.lxc.api.autoscaler.AutoscalerStatistics;
import io.stratos.lxc.api.autoscaler.MetricSource;
import io.stratos.lxc.api.autoscaler.ScaleFromZero;
import io.stratos.lxc.api.autoscaler.ScalingDecision;
import io.stratos.lxc.api.autoscaler.ScalingDecision.Level;
import io.stratos.lxc.api.controller.CartridgeProcess;
import io.stratos.lxc.api.controller.CloudController;
import io.stratos.lxc.api.controller.Partition;
import io.stratos.lxc.api.controller.PartitionVm;
import io.stratos.lxc.api.controller.ProcessMetrics;
import io.stratos.lxc.api.controller.ProcessState;
import io.stratos.lxc.api.controller.Subscription;
import io.stratos.lxc.api.controller.SubscriptionProcesses;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The autoscaler without OSGi: policy CRUD over a {@link PolicyStore}, and {@link #evaluate()}, one
 * pass of both levels over what the {@link CloudController} reports, acting through it like a manual
 * scale. Every change is recorded as a {@link ScalingDecision} and logged at INFO. Tested directly
 * with a fake controller and a controllable clock; {@link AutoscalerComponent} only wires it.
 */
public final class AutoscalerCore implements Autoscaler, ScaleFromZero, ApplicationMetricNames {

    private static final Logger LOG = LoggerFactory.getLogger(AutoscalerCore.class);

    private record Recorded(long millis, ScalingDecision decision) {
    }

    private final PolicyStore store;
    private final Clock clock;
    private final Supplier<AutoscalerSettings> settings;
    private final Supplier<CloudController> controller;
    private final Supplier<List<MetricSource>> sources;

    private final Map<String, AutoscalePolicy> policies = new TreeMap<>();
    /** Each policy's application metric names, replaced whole on every change: read without the lock. */
    private volatile Map<String, List<String>> applicationMetricNames = Map.of();
    private final Map<String, SubscriptionScaler> subscriptionScalers = new HashMap<>();
    private final Map<String, PartitionScaler> partitionScalers = new HashMap<>();
    private final Deque<Recorded> decisions = new ArrayDeque<>();
    /** Last refusal per target, so a failing scale is recorded once, not every interval. */
    private final Map<String, String> lastFailures = new HashMap<>();
    private volatile int autoscaled;
    private final DecisionCounters counters = new DecisionCounters();
    /** Posts each decision on EventAdmin once there is one (see {@link #events}). */
    private final EventPublisher events = new EventPublisher();

    AutoscalerCore(PolicyStore store, Clock clock, Supplier<AutoscalerSettings> settings,
                   Supplier<CloudController> controller, Supplier<List<MetricSource>> sources) {
        this.store = store;
        this.clock = clock;
        this.settings = settings;
        this.controller = controller;
        this.sources = sources;
    }

    private volatile Runnable guard = () -> { };

    /** Run first by every policy write: throws while this controller is a standby (the active one writes). */
    void guard(Runnable guard) {
        this.guard = guard;
    }

    /** Where each decision is posted (EventAdmin.postEvent), asynchronously; null: nowhere. */
    void events(java.util.function.BiConsumer<String, Map<String, Object>> post) {
        events.sink(post);
    }

    /** Stops the thread that posts events. */
    void close() {
        events.close();
    }

    synchronized void load() {
        Map<String, AutoscalePolicy> before = Map.copyOf(policies);
        policies.clear();
        for (AutoscalePolicy policy : store.load()) {
            policies.put(policy.name(), policy);
        }
        policiesChanged();
        if (!policies.equals(before)) {
            LOG.info("Autoscaler loaded {} policies", policies.size());
        }
    }

    // ---- policies --------------------------------------------------------------------------------

    @Override
    public synchronized AutoscalePolicy createPolicy(AutoscalePolicy policy) {
        guard.run();
        AutoscalePolicy valid = PolicyValidator.validate(policy, settings.get().defaults());
        if (policies.containsKey(valid.name())) {
            throw StratosException.conflict("name", "policy '" + valid.name() + "' exists",
                    "choose another name, or PUT /autoscale-policies/" + valid.name() + " to change it");
        }
        store.insert(valid);
        policies.put(valid.name(), valid);
        policiesChanged();
        LOG.info("Autoscale policy {} created: {}", valid.name(), valid);
        return valid;
    }

    @Override
    public synchronized List<AutoscalePolicy> policies() {
        return List.copyOf(policies.values());
    }

    @Override
    public synchronized AutoscalePolicy policy(String name) {
        AutoscalePolicy policy = policies.get(name);
        if (policy == null) {
            throw StratosException.notFound("no autoscale policy '" + name + "'", "list them with GET /autoscale-policies");
        }
        return policy;
    }

    @Override
    public synchronized AutoscalePolicy updatePolicy(String name, AutoscalePolicy policy) {
        guard.run();
        policy(name);
        if (policy != null && policy.name() != null && !policy.name().equals(name)) {
            throw StratosException.invalid("name", "the body names policy '" + policy.name() + "' but the path '" + name + "'",
                    "a policy cannot be renamed; create one under the new name");
        }
        AutoscalePolicy valid = PolicyValidator.validate(policy == null ? null : policy.withName(name), settings.get().defaults());
        store.update(valid);
        policies.put(name, valid);
        policiesChanged();
        LOG.info("Autoscale policy {} updated: {}", name, valid);
        return valid;
    }

    @Override
    public synchronized void deletePolicy(String name) {
        guard.run();
        policy(name);
        CloudController cc = controller.get();
        if (cc == null) {
            throw StratosException.unavailable("the cloud controller is not available to check who uses policy '" + name + "'",
                    "check stratos:status and retry");
        }
        List<String> users = cc.subscriptions().stream().filter(s -> name.equals(s.policy())).map(Subscription::alias).toList();
        if (!users.isEmpty()) {
            throw StratosException.conflict("name", "policy '" + name + "' is used by subscriptions " + users,
                    "unsubscribe them first");
        }
        store.delete(name);
        policies.remove(name);
        policiesChanged();
        LOG.info("Autoscale policy {} deleted", name);
    }

    @Override
    public List<String> applicationMetrics(String policy) {
        return policy == null ? List.of() : applicationMetricNames.getOrDefault(policy, List.of());
    }

    private void policiesChanged() {
        Map<String, List<String>> names = new HashMap<>();
        for (AutoscalePolicy policy : policies.values()) {
            MetricTarget custom = policy.metrics().get(AutoscalePolicy.CUSTOM);
            if (custom != null && custom.name() != null) {
                names.put(policy.name(), List.of(custom.name()));
            }
        }
        applicationMetricNames = Map.copyOf(names);
    }

    // ---- decisions -------------------------------------------------------------------------------

    @Override
    public synchronized List<ScalingDecision> decisions(int limit) {
        if (limit < 1) {
            throw StratosException.invalid("limit", "limit must be at least 1, not " + limit, null);
        }
        List<ScalingDecision> newest = new ArrayList<>();
        Iterator<Recorded> it = decisions.descendingIterator();
        while (it.hasNext() && newest.size() < limit) {
            newest.add(it.next().decision());
        }
        return newest;
    }

    synchronized ScalingDecision lastDecision() {
        return decisions.isEmpty() ? null : decisions.peekLast().decision();
    }

    /** Decisions in the last 60 seconds. */
    synchronized int decisionsPerMinute() {
        long since = clock.millis() - 60_000;
        int count = 0;
        Iterator<Recorded> it = decisions.descendingIterator();
        while (it.hasNext() && it.next().millis() > since) {
            count++;
        }
        return count;
    }

    /** Subscriptions autoscaled in the last pass. */
    int autoscaledSubscriptions() {
        return autoscaled;
    }

    private void record(long now, Level level, String target, String policy, Outcome outcome, String reason, boolean applied) {
        ScalingDecision decision = new ScalingDecision(Instant.ofEpochMilli(now).toString(), level, target, policy,
                outcome.metrics(), outcome.from(), outcome.to(), reason);
        decisions.addLast(new Recorded(now, decision));
        if (applied) {
            counters.decided(level, outcome.from(), outcome.to());
        }
        events.decided(now, decision, applied);
        while (decisions.size() > Math.max(1, settings.get().decisionHistory())) {
            decisions.removeFirst();
        }
        String unit = level == Level.SUBSCRIPTION ? "processes" : "VMs";
        LOG.info("Autoscaler: {} {} {} -> {} {}: {} {}", level == Level.SUBSCRIPTION ? "subscription" : "partition", target,
                outcome.from(), outcome.to(), unit, reason, outcome.metrics());
    }

    // ---- evaluation ------------------------------------------------------------------------------

    private volatile long lastEvaluationNanos;
    private volatile long maxEvaluationNanos;

    /** How long the last pass took (for the MBean: the loop must stay well inside its interval). */
    void evaluated(long nanos) {
        lastEvaluationNanos = nanos;
        maxEvaluationNanos = Math.max(maxEvaluationNanos, nanos);
        counters.passed(nanos);
    }

    @Override
    public AutoscalerStatistics statistics() {
        return counters.statistics();
    }

    long lastEvaluationNanos() {
        return lastEvaluationNanos;
    }

    /** The longest pass since the last call; reading it starts a new period. */
    long takeMaxEvaluationNanos() {
        long max = maxEvaluationNanos;
        maxEvaluationNanos = 0;
        return max;
    }

    /** One pass of both levels. Failures of one subscription or partition do not stop the others. */
    public synchronized void evaluate() {
        AutoscalerSettings s = settings.get();
        CloudController cc = controller.get();
        if (!s.enabled() || cc == null) {
            // Forget what was observed: when scaling resumes, windows and cool-downs start afresh.
            subscriptionScalers.clear();
            partitionScalers.clear();
            return;
        }
        long now = clock.millis();
        evaluateSubscriptions(cc, s, now);
        if (s.vmScalingEnabled()) {
            evaluatePartitions(cc, s, now);
        } else {
            partitionScalers.clear();
        }
    }

    private void evaluateSubscriptions(CloudController cc, AutoscalerSettings s, long now) {
        Set<String> seen = new HashSet<>();
        // One view of every autoscaled subscription with its processes: asking per subscription took the controller's
        // lock ~300 times a pass at 10,000 VMs, each time behind the agents' status reports (JFR, fleet benchmark).
        // Subscriptions without a policy are manual scale only.
        for (SubscriptionProcesses view : cc.subscriptionsWithProcesses(sub -> sub.policy() != null && policies.containsKey(sub.policy()))) {
            Subscription subscription = view.subscription();
            AutoscalePolicy policy = policies.get(subscription.policy());
            String alias = subscription.alias();
            seen.add(alias);
            SubscriptionScaler scaler = subscriptionScalers.get(alias);
            if (scaler == null || !scaler.policyName().equals(policy.name())) {
                scaler = new SubscriptionScaler(alias, policy.name());
                subscriptionScalers.put(alias, scaler);
            }
            try {
                List<CartridgeProcess> all = view.processes();
                List<CartridgeProcess> running = all.stream().filter(p -> p.state() == ProcessState.RUNNING).toList();
                int pending = (int) all.stream().filter(p -> p.state() == ProcessState.PENDING).count();
                Map<String, Double> values = new LinkedHashMap<>();
                Map<String, Double> shown = new LinkedHashMap<>();
                for (Map.Entry<String, MetricTarget> target : policy.metrics().entrySet()) {
                    String metric = target.getKey();
                    OptionalDouble value = AutoscalePolicy.CUSTOM.equals(metric)
                            ? ApplicationMetricValues.of(target.getValue(), running, shown)
                            : value(alias, metric, running);
                    if (value.isPresent()) {
                        values.put(metric, value.getAsDouble());
                    }
                }
                SubscriptionScaler.Bounds bounds = SubscriptionScaler.Bounds.of(policy, subscription.minProcesses(),
                        subscription.maxProcesses());
                long lastRequest = policy.scaleToZeroAfterSeconds() == null ? Long.MIN_VALUE : lastRequest(alias, now);
                Outcome outcome = scaler.evaluate(now, policy, subscription.desiredProcesses(), running.size(), pending,
                        bounds, values, s.metricWindowSeconds() * 1000L, s.intervalMillis(), lastRequest).withMetrics(shown);
                if (outcome.changes()
                        && apply(now, Level.SUBSCRIPTION, alias, policy.name(), outcome, () -> cc.scale(alias, outcome.to()))
                        && outcome.to() > outcome.from()) {
                    scaler.scaledUp(now);
                }
            } catch (StratosException e) {
                // e.g. unsubscribed meanwhile; the next pass sees the new state
                LOG.debug("Autoscaler skipped subscription {}: {}", alias, e.getMessage());
            }
        }
        subscriptionScalers.keySet().retainAll(seen);
        autoscaled = seen.size();
    }

    private void evaluatePartitions(CloudController cc, AutoscalerSettings s, long now) {
        Set<String> seen = new HashSet<>();
        List<Partition> partitions = cc.partitions();
        if (partitions.isEmpty()) {
            partitionScalers.clear();
            return;
        }
        List<PartitionVm> vms = cc.vms();
        // Every process only when a partition needs them (pending ones, or a VM to drain): at 300,000 processes,
        // copying them all in every pass held the controller's lock for much of the interval (JFR, fleet benchmark).
        Supplier<List<CartridgeProcess>> processes = memoized(cc::processes);
        for (Partition partition : partitions) {
            seen.add(partition.name());
            PartitionScaler scaler = partitionScalers.computeIfAbsent(partition.name(), PartitionScaler::new);
            List<PartitionVm> own = vms.stream().filter(vm -> partition.name().equals(vm.partition())).toList();
            Set<String> vmIds = new HashSet<>();
            own.forEach(vm -> vmIds.add(vm.id()));
            Supplier<List<CartridgeProcess>> relevant = memoized(() -> processes.get().stream()
                    .filter(p -> (p.state() == ProcessState.PENDING && partition.cartridge().equals(p.cartridge()))
                            || (p.vmId() != null && vmIds.contains(p.vmId())))
                    .toList());
            Outcome outcome = scaler.evaluate(now, partition, own, relevant, s.vmScaleInUtilisation(),
                    s.vmScaleInWindowSeconds() * 1000L);
            if (outcome.changes()) {
                apply(now, Level.PARTITION, partition.name(), null, outcome,
                        () -> cc.scalePartition(partition.name(), outcome.to()));
            }
        }
        partitionScalers.keySet().retainAll(seen);
    }

    private static <T> Supplier<T> memoized(Supplier<T> supplier) {
        return new Supplier<>() {
            private T value;

            @Override
            public T get() {
                if (value == null) {
                    value = supplier.get();
                }
                return value;
            }
        };
    }

    /** Asks the controller for the change; true if it took it. */
    private boolean apply(long now, Level level, String target, String policy, Outcome outcome, Runnable scale) {
        String key = level + "/" + target;
        try {
            scale.run();
            lastFailures.remove(key);
            record(now, level, target, policy, outcome, outcome.reason(), true);
            return true;
        } catch (StratosException e) {
            // Record a refusal once, not every interval while it lasts.
            if (!e.getMessage().equals(lastFailures.put(key, e.getMessage()))) {
                record(now, level, target, policy, outcome, outcome.reason() + "; refused by the controller: " + e.getMessage(), false);
                LOG.warn("Autoscaler could not scale {} {} to {}: {}", level.name().toLowerCase(), target, outcome.to(),
                        e.getMessage());
            }
            return false;
        }
    }

    /**
     * When a router last saw a request for the subscription: the latest any source knows, or {@code now} while one is
     * in flight (a long request is not quiet).
     */
    private long lastRequest(String alias, long now) {
        long last = Long.MIN_VALUE;
        for (MetricSource source : sources.get()) {
            try {
                OptionalDouble inFlight = source.value(alias, AutoscalePolicy.REQUESTS_IN_FLIGHT);
                if (inFlight != null && inFlight.isPresent() && inFlight.getAsDouble() > 0) {
                    return now;
                }
                OptionalLong seen = source.lastRequestMillis(alias);
                if (seen != null && seen.isPresent()) {
                    last = Math.max(last, seen.getAsLong());
                }
            } catch (RuntimeException e) {
                LOG.debug("Metric source {} failed for {}", source, alias, e);
            }
        }
        return last;
    }

    // ---- scale from zero -------------------------------------------------------------------------

    /**
     * A router holds a request for a subscription without a RUNNING process. One that a policy with scale to zero took
     * to zero gets one process at once, not at the next pass; the decision log says why.
     */
    @Override
    public synchronized boolean wake(String alias) {
        CloudController cc = controller.get();
        if (cc == null) {
            return false;
        }
        Subscription subscription;
        try {
            subscription = cc.subscription(alias);
        } catch (StratosException e) {
            return false;
        }
        if (subscription.desiredProcesses() > 0) {
            return true; // its processes are starting: the router waits for them
        }
        AutoscalePolicy policy = subscription.policy() == null ? null : policies.get(subscription.policy());
        if (!settings.get().enabled() || policy == null || policy.scaleToZeroAfterSeconds() == null) {
            return false; // at zero by hand, or its policy does not wake it
        }
        long now = clock.millis();
        int to = Math.max(1, subscription.minProcesses());
        Outcome outcome = new Outcome(0, to, "a request arrived while at zero: woken at once", Map.of());
        if (!apply(now, Level.SUBSCRIPTION, alias, policy.name(), outcome, () -> cc.scale(alias, to))) {
            return false;
        }
        SubscriptionScaler scaler = subscriptionScalers.get(alias);
        if (scaler != null) {
            scaler.scaledUp(now);
        }
        return true;
    }

    /**
     * A metric's value per process now: a {@link MetricSource} that knows it wins (for requestsInFlight, every router
     * knows its own share: the values of all that know it are added); else, for the built-in metrics, the average over
     * the RUNNING processes of what their agents reported.
     */
    private OptionalDouble value(String alias, String metric, List<CartridgeProcess> running) {
        boolean addUp = AutoscalePolicy.REQUESTS_IN_FLIGHT.equals(metric);
        double sum = 0;
        boolean known = false;
        for (MetricSource source : sources.get()) {
            try {
                OptionalDouble value = source.value(alias, metric);
                if (value != null && value.isPresent() && Double.isFinite(value.getAsDouble())) {
                    if (!addUp) {
                        return value;
                    }
                    sum += value.getAsDouble();
                    known = true;
                }
            } catch (RuntimeException e) {
                LOG.debug("Metric source {} failed for {} {}", source, alias, metric, e);
            }
        }
        if (known) {
            return OptionalDouble.of(sum);
        }
        return switch (metric) {
            case AutoscalePolicy.CPU_PERCENT -> average(running, ProcessMetrics::cpuPercent);
            case AutoscalePolicy.REQUESTS_IN_FLIGHT -> average(running, ProcessMetrics::requestsInFlight);
            case AutoscalePolicy.MEMORY_PERCENT -> average(running.stream()
                    .filter(p -> p.metrics() != null && p.metrics().memoryLimitBytes() > 0).toList(),
                    m -> 100.0 * m.memoryBytes() / m.memoryLimitBytes());
            default -> OptionalDouble.empty();
        };
    }

    private static OptionalDouble average(List<CartridgeProcess> processes, ToDoubleFunction<ProcessMetrics> metric) {
        return processes.stream().filter(p -> p.metrics() != null).mapToDouble(p -> metric.applyAsDouble(p.metrics())).average();
    }
}
