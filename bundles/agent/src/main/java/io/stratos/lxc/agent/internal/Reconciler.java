package io.stratos.lxc.agent.internal;

import io.stratos.lxc.agent.internal.appmetrics.ApplicationMetrics;
import io.stratos.lxc.agent.internal.image.ImageManifest;
import io.stratos.lxc.agent.protocol.ProcessSupervisor;
import io.stratos.lxc.agent.runtime.ContainerInfo;
import io.stratos.lxc.agent.runtime.ContainerRuntime;
import io.stratos.lxc.agent.runtime.ContainerStats;
import io.stratos.lxc.agent.runtime.RuntimeAvailability;
import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.agent.AgentReport;
import io.stratos.lxc.api.agent.DesiredProcess;
import io.stratos.lxc.api.agent.DesiredState;
import io.stratos.lxc.api.agent.ProcessReport;
import io.stratos.lxc.api.controller.ProcessMetrics;
import io.stratos.lxc.api.controller.ProcessState;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes this VM's containers match the desired state: starts what is missing, restarts what died
 * (with exponential back-off), stops what is no longer wanted, and reports each process's state,
 * host port and metrics, with the VM's publish address (and what keeps it from publishing, if anything). A process is
 * RUNNING once its container runs and answers HTTP on its published port.
 * Nothing is done before the first desired state arrives, so re-adopted containers survive an agent
 * restart.
 *
 * <p>A pass decides; it does not wait. Starts run on a pool as wide as the machine has cores (a start is mostly
 * {@code lxc-start} and the kernel, so more at once only queue), and a pass skips a process whose start is under way.
 * Health checks are asynchronous with a bound ({@link HealthChecks}): a young process is checked on its own schedule
 * until it answers, independent of the others, and the checks and samples of running processes are spread so that they
 * stay about {@link #CHECKS_PER_SECOND} a second whatever the number of processes (each at least every
 * {@link #MAX_CHECK_INTERVAL_MILLIS}); a container's exit is still seen by every pass, from its cgroup.
 */
final class Reconciler implements ProcessSupervisor, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
    private static final long MAX_BACKOFF_MILLIS = 60_000;
    /** A process just started is checked this often until it answers (not only once per 1 s pass)... */
    private static final long STARTING_CHECK_MILLIS = 50;
    /** ... and more often in its first half second, when most answer (a cold request waits on this check). */
    private static final long FIRST_CHECK_MILLIS = 5;
    private static final long FIRST_CHECKS_FOR_MILLIS = 500;
    /** ... for this long after its start; then the regular passes take over. */
    private static final long STARTING_FAST_MILLIS = 5_000;
    /** Processes a timed pass covers a second; more make the passes less frequent. */
    static final int PASS_PROCESSES_PER_SECOND = 1000;
    static final long MAX_PASS_INTERVAL_MILLIS = 3_000;
    /** Starts at once: one per core (at least two, so a slow start does not hold up every other). */
    static final int PARALLEL_STARTS = Math.max(2, Runtime.getRuntime().availableProcessors());
    /** Health checks of running processes a second, about (each process at least once a second below that many processes). */
    static final int CHECKS_PER_SECOND = 50;
    static final long MAX_CHECK_INTERVAL_MILLIS = 30_000;
    /** Checks of young processes a second, about, however many start at once. */
    private static final int YOUNG_CHECKS_PER_SECOND = 500;
    private static final long MAX_YOUNG_CHECK_MILLIS = 250;
    /** Checks in flight at once. */
    private static final int MAX_CHECKS_IN_FLIGHT = 32;

    /** What the agent knows of one desired process. */
    private static final class Tracked {
        volatile ProcessState state = ProcessState.PENDING;
        volatile int hostPort;
        volatile String reason = "";
        volatile int restarts;
        volatile long retryAtMillis;
        volatile ContainerStats lastStats;
        volatile ProcessMetrics metrics = ProcessMetrics.NONE;
        volatile long startedAtMillis;
        /** The manifest's health check path; null: any HTTP answer on / counts (also for re-adopted containers). */
        volatile String healthPath;
        /** The last health check's HTTP status, -1 when nothing answered. */
        volatile int lastStatus = -1;
        /** Its runtime was unavailable (dockerd down) since it last ran: its container's exit is not its fault. */
        volatile boolean runtimeWasDown;
        /** Its start is under way on the start pool: passes leave it alone. */
        volatile boolean launching;
        /** A health check of it is in flight. */
        volatile boolean checking;
        /** Counts its starts: a check's answer about an earlier container is dropped. */
        volatile int generation;
        volatile long nextCheckAtMillis;
        volatile long nextSampleAtMillis;
    }

    private final AgentRuntimes runtimes;
    private final LongSupplier clock;
    /** Processes whose container is being stopped and removed on the start pool: passes leave them alone meanwhile. */
    private final java.util.Set<String> stopping = ConcurrentHashMap.newKeySet();
    /** Processes checked on their own schedule now (started less than {@link #STARTING_FAST_MILLIS} ago, not answering yet). */
    private final java.util.concurrent.atomic.AtomicInteger young = new java.util.concurrent.atomic.AtomicInteger();
    private final HealthChecks checks = new HealthChecks(MAX_CHECKS_IN_FLIGHT);
    private final java.util.concurrent.ExecutorService starts = Executors.newFixedThreadPool(PARALLEL_STARTS, r -> {
        Thread thread = new Thread(r, "stratos-agent-start");
        thread.setDaemon(true);
        return thread;
    });
    /** onChange runs here, one at a time, and changes that come while it runs are told in one more run. */
    private final java.util.concurrent.ExecutorService notifier = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "stratos-agent-report");
        thread.setDaemon(true);
        return thread;
    });
    private final java.util.concurrent.atomic.AtomicBoolean notifyPending = new java.util.concurrent.atomic.AtomicBoolean();
    private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "stratos-agent-reconciler");
        thread.setDaemon(true);
        return thread;
    });
    private volatile DesiredState desired;
    private volatile long lastPassMillis;
    private volatile Runnable onChange = () -> { };
    /** Schedules the checks of young processes, apart from the passes (a pass over thousands of processes takes a while). */
    private final ScheduledExecutorService youngChecks = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "stratos-agent-young-checks");
        thread.setDaemon(true);
        return thread;
    });
    /** The application metrics its subscriptions' policies ask for, scraped from the RUNNING processes. */
    private final ApplicationMetrics applicationMetrics;
    /** Each runtime's availability, asked once a pass. */
    private final RuntimeWatch watch;

    Reconciler(AgentRuntimes runtimes, LongSupplier clock) {
        this.runtimes = runtimes;
        this.watch = new RuntimeWatch(runtimes);
        this.clock = clock;
        this.applicationMetrics = new ApplicationMetrics(metricsPaths(runtimes), port -> runtimes.publishing().endpoint(port));
        worker.scheduleWithFixedDelay(this::timedPass, 1, 1, TimeUnit.SECONDS);
    }

    /** Called after a pass that changed a state, so the controller hears of it at once. */
    void onChange(Runnable listener) {
        this.onChange = listener;
    }

    @Override
    public void apply(DesiredState state) {
        desired = state;
        worker.execute(this::reconcileQuietly);
    }

    /**
     * The timer's pass: every second up to {@link #PASS_PROCESSES_PER_SECOND} processes, then less often (a pass reads
     * every container's cgroup: at 2,000 processes that was most of the agent's idle CPU), at least every
     * {@link #MAX_PASS_INTERVAL_MILLIS}. A new desired state is acted on at once whatever this says.
     */
    private void timedPass() {
        long interval = Math.min(MAX_PASS_INTERVAL_MILLIS, Math.max(1000, 1000L * tracked.size() / PASS_PROCESSES_PER_SECOND));
        // a little short of it: the timer's ticks come a second after the end of the previous pass
        if (clock.getAsLong() - lastPassMillis >= interval - 200) {
            reconcileQuietly();
        }
    }

    private void reconcileQuietly() {
        lastPassMillis = clock.getAsLong();
        try {
            if (reconcile()) {
                changed();
            }
        } catch (RuntimeException e) {
            LOG.error("Reconciliation pass failed", e);
        }
    }

    /** Tells the listener (the status report) soon, once for any number of changes meanwhile. */
    private void changed() {
        if (notifyPending.compareAndSet(false, true)) {
            try {
                notifier.execute(() -> {
                    notifyPending.set(false);
                    try {
                        onChange.run();
                    } catch (RuntimeException e) {
                        LOG.warn("Telling of a change failed: {}", e.toString());
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                notifyPending.set(false); // closing
            }
        }
    }

    /** How often each running process is checked and sampled: {@link #CHECKS_PER_SECOND} checks a second in all. */
    private long checkIntervalMillis() {
        long perProcess = 1000L * tracked.size() / CHECKS_PER_SECOND;
        return Math.max(1000, Math.min(MAX_CHECK_INTERVAL_MILLIS, perProcess));
    }

    /** One pass; returns whether any process changed state. */
    boolean reconcile() {
        DesiredState wanted = desired;
        if (wanted == null) {
            return false;
        }
        boolean changed = false;
        Map<String, DesiredProcess> byId = new ConcurrentHashMap<>();
        // running containers as listed below: converge need not ask its runtime again for each of them
        Map<String, ContainerInfo> running = new java.util.HashMap<>();
        wanted.processes().forEach(p -> byId.put(p.processId(), p));
        // Asked once per pass: a runtime that went away (dockerd stopped) or is not installed; its processes wait for it.
        Map<String, RuntimeAvailability> availability = watch.survey();
        // Stop what is no longer wanted (including containers re-adopted after a restart).
        for (ContainerRuntime runtime : runtimes.runtimes().values()) {
            if (!availability.get(runtime.name()).available()) {
                continue;
            }
            try {
                for (ContainerInfo info : runtime.list()) {
                    if (info.running()) {
                        running.put(runtime.name() + "/" + info.processId(), info);
                    }
                    if (!byId.containsKey(info.processId()) && stopping.add(info.processId())) {
                        LOG.info("Stopping {}: no longer desired", info.name());
                        stopLater(runtime, info.processId());
                        changed = true;
                    }
                }
            } catch (RuntimeException e) {
                // the runtime went away during the pass: the next pass sees it unavailable
                LOG.warn("Cannot list the {} containers: {}", runtime.name(), e.toString());
            }
        }
        tracked.keySet().removeIf(id -> !byId.containsKey(id));
        applicationMetrics.retain(byId.keySet());
        for (DesiredProcess process : wanted.processes()) {
            Tracked t = tracked.computeIfAbsent(process.processId(), id -> new Tracked());
            String runtime = runtimes.launcher().runtimeOf(process.processId()).orElse(process.runtime());
            RuntimeAvailability ready = availability.get(runtime);
            try {
                if (ready != null && !ready.available()) {
                    changed |= waitForRuntime(runtime, watch.wanted(runtime, ready), t);
                } else {
                    changed |= converge(process, t, running);
                }
            } catch (RuntimeException e) {
                // one process's trouble (a runtime failing mid-call) must not stop the pass for the others
                LOG.warn("Reconciling {} failed: {}", process.processId(), e.toString());
            }
        }
        return changed;
    }

    /** On the start pool, like starts: a scale-in of hundreds must not hold up the pass for an lxc-stop each. */
    private void stopLater(ContainerRuntime runtime, String processId) {
        try {
            starts.execute(() -> {
                try {
                    runtimes.launcher().stop(processId);
                    runtime.remove(processId);
                } catch (RuntimeException e) {
                    LOG.warn("Stopping {} failed: {}", processId, e.toString());
                } finally {
                    stopping.remove(processId);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            stopping.remove(processId); // closing
        }
    }

    /**
     * The process's runtime is unavailable (dockerd is down): there is nothing to start it on, so it is FAILED with that
     * reason, without a restart count or a back-off; it starts as soon as the runtime is back.
     */
    private boolean waitForRuntime(String runtime, RuntimeAvailability availability, Tracked t) {
        ProcessState before = t.state;
        String reasonBefore = t.reason;
        t.runtimeWasDown = true;
        t.retryAtMillis = 0;
        t.reason = "waiting for runtime " + runtime + ": " + availability.reason();
        t.state = ProcessState.FAILED;
        t.metrics = ProcessMetrics.NONE;
        return before != t.state || !reasonBefore.equals(t.reason);
    }

    private boolean converge(DesiredProcess process, Tracked t, Map<String, ContainerInfo> running) {
        if (t.launching || stopping.contains(process.processId())) {
            return false;
        }
        ProcessState before = t.state;
        Optional<ContainerInfo> container = inspect(process, running);
        if (container.isPresent() && container.get().running()) {
            t.runtimeWasDown = false; // it survived (re-adopted as it was)
            t.hostPort = container.get().hostPort();
            if (t.state != ProcessState.RUNNING && t.state != ProcessState.STARTING) {
                t.reason = "waiting for it to answer HTTP on " + runtimes.publishing().endpoint(t.hostPort);
                t.state = ProcessState.STARTING;
            }
            long now = clock.getAsLong();
            long interval = checkIntervalMillis();
            if (!t.checking && now >= t.nextCheckAtMillis) {
                // spread over the interval, so that the checks do not come in one burst each interval
                t.nextCheckAtMillis = now + (t.nextCheckAtMillis == 0 ? java.util.concurrent.ThreadLocalRandom.current()
                        .nextLong(interval) : interval);
                check(t, t.generation);
            }
            if (now >= t.nextSampleAtMillis) {
                t.nextSampleAtMillis = now + interval;
                sample(process, t);
                if (t.state == ProcessState.RUNNING) {
                    applicationMetrics.scrape(process, t.hostPort);
                }
            }
            return before != t.state;
        }
        if (container.isPresent() && t.runtimeWasDown) {
            // Stopped with its runtime (dockerd stops its containers when it stops): not a crash, so no back-off.
            t.runtimeWasDown = false;
            LOG.info("Process {} stopped while its runtime was down: starting it again", process.processId());
            runtimes.launcher().stop(process.processId());
            removeContainer(process.processId());
            t.retryAtMillis = 0;
            container = Optional.empty();
        }
        if (container.isPresent()) {
            // It ran and stopped: say why, then restart after a back-off.
            ContainerInfo dead = container.get();
            t.restarts++;
            long backoff = Math.min(MAX_BACKOFF_MILLIS, 1000L << Math.min(t.restarts - 1, 6));
            t.retryAtMillis = clock.getAsLong() + backoff;
            t.reason = "exited" + (dead.exitCode() == null ? "" : " with " + dead.exitCode())
                    + (dead.oomKilled() ? " (killed: out of memory, limit " + process.memoryMiB() + " MiB)" : "")
                    + "; restart " + t.restarts + " in " + backoff / 1000 + " s";
            t.state = ProcessState.FAILED;
            LOG.warn("Process {} {}", process.processId(), t.reason);
            runtimes.launcher().stop(process.processId());
            removeContainer(process.processId());
            return true;
        }
        if (clock.getAsLong() < t.retryAtMillis) {
            return false;
        }
        String unpublishable = runtimes.publishing().problem();
        if (unpublishable != null) {
            // Not the process's fault: it starts, without a back-off, once the address can be bound.
            String reasonBefore = t.reason;
            t.reason = "cannot be published: " + unpublishable;
            t.state = ProcessState.FAILED;
            return before != t.state || !reasonBefore.equals(t.reason);
        }
        t.runtimeWasDown = false; // a new container: its exits are its own again
        t.reason = "starting";
        t.state = ProcessState.STARTING;
        t.launching = true;
        int generation = ++t.generation;
        try {
            starts.execute(() -> launch(process, t, generation));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            t.launching = false; // closing
        }
        return before != t.state;
    }

    /** On the start pool: starts the process's container, then checks it on its own schedule until it answers. */
    private void launch(DesiredProcess process, Tracked t, int generation) {
        try {
            ProcessLauncher.Outcome outcome = runtimes.launcher().launch(new ProcessLauncher.Request(process.processId(),
                    process.runtime(), process.imageDigest(), process.env(), process.cpuMillis(), process.memoryMiB(), 256,
                    process.artifactDigest()));
            if (outcome.running()) {
                t.startedAtMillis = clock.getAsLong();
                t.healthPath = outcome.healthPath();
                t.hostPort = outcome.hostPort();
                t.nextCheckAtMillis = t.startedAtMillis + STARTING_FAST_MILLIS;
                t.reason = "started; waiting for it to answer HTTP";
                LOG.info("Process {} started under {} on {}", process.processId(), outcome.runtime(),
                        runtimes.publishing().endpoint(outcome.hostPort()));
                young.incrementAndGet();
                scheduleYoungCheck(t, generation, youngDelay(FIRST_CHECK_MILLIS));
            } else {
                t.restarts++;
                long backoff = Math.min(MAX_BACKOFF_MILLIS, 1000L << Math.min(t.restarts - 1, 6));
                t.retryAtMillis = clock.getAsLong() + backoff;
                t.reason = outcome.reason() + "; retry in " + backoff / 1000 + " s";
                t.state = ProcessState.FAILED;
            }
        } catch (RuntimeException e) {
            LOG.warn("Starting {} failed: {}", process.processId(), e.toString());
            t.restarts++;
            t.retryAtMillis = clock.getAsLong() + Math.min(MAX_BACKOFF_MILLIS, 1000L << Math.min(t.restarts - 1, 6));
            t.reason = "start failed: " + e.getMessage();
            t.state = ProcessState.FAILED;
        } finally {
            t.launching = false;
        }
        changed();
    }

    /**
     * A process just started becomes RUNNING when it first answers HTTP: checking only in the passes made it wait up to
     * a second more before the controller (and the router) knew. So it is checked every {@link #FIRST_CHECK_MILLIS} in
     * its first {@link #FIRST_CHECKS_FOR_MILLIS}, then every {@link #STARTING_CHECK_MILLIS} until
     * {@link #STARTING_FAST_MILLIS} after its start, on its own: one slow process holds up no other.
     */
    private void scheduleYoungCheck(Tracked t, int generation, long delayMillis) {
        try {
            youngChecks.schedule(() -> youngCheck(t, generation), delayMillis, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            young.decrementAndGet(); // closing
        }
    }

    private void youngCheck(Tracked t, int generation) {
        if (t.generation != generation || t.state != ProcessState.STARTING || t.launching) {
            young.decrementAndGet();
            return;
        }
        if (t.checking) {
            scheduleYoungCheck(t, generation, youngDelay(FIRST_CHECK_MILLIS));
            return;
        }
        check(t, generation).thenRun(() -> {
            long age = clock.getAsLong() - t.startedAtMillis;
            if (t.generation == generation && t.state == ProcessState.STARTING && age < STARTING_FAST_MILLIS) {
                scheduleYoungCheck(t, generation, youngDelay(age < FIRST_CHECKS_FOR_MILLIS ? FIRST_CHECK_MILLIS : STARTING_CHECK_MILLIS));
            } else {
                young.decrementAndGet();
            }
        });
    }

    /**
     * The wait before a young process's next check: the base, or longer when many are young at once (a step of
     * hundreds of starts), so that their checks stay about {@link #YOUNG_CHECKS_PER_SECOND} a second in all instead of
     * taking the CPU the starts need; a process's answer is then seen a little later, its start is not.
     */
    private long youngDelay(long baseMillis) {
        return Math.min(MAX_YOUNG_CHECK_MILLIS, Math.max(baseMillis, 1000L * young.get() / YOUNG_CHECKS_PER_SECOND));
    }

    /**
     * Checks the process asynchronously; its answer makes it RUNNING or STARTING (with the reason), unless it is no
     * longer the same container or a pass has found it stopped meanwhile.
     */
    private java.util.concurrent.CompletableFuture<Void> check(Tracked t, int generation) {
        int hostPort = t.hostPort;
        if (hostPort <= 0) {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
        String path = t.healthPath;
        t.checking = true;
        URI uri = URI.create("http://" + runtimes.publishing().endpoint(hostPort) + (path == null ? "/" : path));
        return checks.check(uri).thenAccept(status -> {
            t.checking = false;
            ProcessState before = t.state;
            if (t.generation != generation || t.launching || (before != ProcessState.RUNNING && before != ProcessState.STARTING)) {
                return;
            }
            t.lastStatus = status;
            // With a health path from the manifest: an answer below 500 there (a 5xx means the application is broken,
            // which is what stops a rollout). Without one: any HTTP answer on / counts, the process is up and serving.
            boolean healthy = path == null ? status > 0 : status > 0 && status < 500;
            // Reason before state: a concurrent report must never pair a new state with an old reason.
            t.reason = healthy ? "" : status > 0
                    ? "health check GET " + path + " answered HTTP " + status
                    : "waiting for it to answer HTTP on " + runtimes.publishing().endpoint(hostPort);
            t.state = healthy ? ProcessState.RUNNING : ProcessState.STARTING;
            if (before != t.state) {
                changed();
            }
        });
    }

    /** Its container: as listed in this pass when it was running then (a stopped one is asked again: it may have started since). */
    private Optional<ContainerInfo> inspect(DesiredProcess process, Map<String, ContainerInfo> running) {
        Optional<String> runtime = runtimes.launcher().runtimeOf(process.processId());
        if (runtime.isEmpty()) {
            return Optional.empty();
        }
        ContainerInfo listed = running.get(runtime.get() + "/" + process.processId());
        if (listed != null) {
            return Optional.of(listed);
        }
        try {
            return runtimes.runtime(runtime.get()).inspect(process.processId());
        } catch (StratosException e) {
            return Optional.empty();
        }
    }

    private void removeContainer(String processId) {
        for (ContainerRuntime runtime : runtimes.runtimes().values()) {
            try {
                runtime.remove(processId);
            } catch (RuntimeException e) {
                LOG.debug("remove {} under {}: {}", processId, runtime.name(), e.toString());
            }
        }
    }

    private void sample(DesiredProcess process, Tracked t) {
        try {
            Optional<ContainerStats> stats = runtimes.runtime(process.runtime()).stats(process.processId());
            if (stats.isEmpty()) {
                return;
            }
            ContainerStats now = stats.get();
            ContainerStats before = t.lastStats;
            double cpuPercent = before == null || process.cpuMillis() <= 0 ? 0
                    : 100.0 * now.cpuMillisSince(before) / process.cpuMillis();
            t.lastStats = now;
            t.metrics = new ProcessMetrics(cpuPercent, now.memoryBytes(), now.memoryLimitBytes(), (int) now.pids(), 0);
        } catch (RuntimeException e) {
            LOG.debug("stats of {}: {}", process.processId(), e.toString());
        }
    }

    @Override
    public AgentReport report(long revision) {
        List<ProcessReport> reports = new ArrayList<>();
        DesiredState wanted = desired;
        if (wanted != null) {
            for (DesiredProcess process : wanted.processes()) {
                Tracked t = tracked.get(process.processId());
                if (t != null) {
                    reports.add(new ProcessReport(process.processId(), t.state, t.hostPort, t.reason,
                            applicationMetrics.decorate(process.processId(), t.metrics)));
                }
            }
        }
        List<String> images = runtimes.images().list().stream().map(i -> i.digest()).toList();
        return new AgentReport(revision, reports, images, null, runtimes.publishing().addressText(), runtimes.publishing().problem());
    }

    /** A desired process and what the agent knows of it, for the agent's own views. */
    record Observed(DesiredProcess desired, ProcessState state, int hostPort, String reason, int restarts, ProcessMetrics metrics) {
    }

    /** Every desired process, in the controller's order; PENDING until the first pass reaches it. */
    List<Observed> observed() {
        DesiredState wanted = desired;
        if (wanted == null) {
            return List.of();
        }
        List<Observed> view = new ArrayList<>();
        for (DesiredProcess process : wanted.processes()) {
            Tracked t = tracked.get(process.processId());
            view.add(t == null ? new Observed(process, ProcessState.PENDING, 0, "", 0, ProcessMetrics.NONE)
                    : new Observed(process, t.state, t.hostPort, t.reason, t.restarts, t.metrics));
        }
        return view;
    }

    /** Process id, state, port and reason of every tracked process, for the agent's own views. */
    Map<String, ProcessReport> processes() {
        Map<String, ProcessReport> view = new java.util.TreeMap<>();
        tracked.forEach((id, t) -> view.put(id, new ProcessReport(id, t.state, t.hostPort, t.reason, t.metrics)));
        return view;
    }

    /** Each image's {@code metrics.http}, read once per image from its manifest in the cache. */
    private static java.util.function.Function<String, Optional<String>> metricsPaths(AgentRuntimes runtimes) {
        Map<String, Optional<String>> byDigest = new ConcurrentHashMap<>();
        return digest -> {
            Optional<String> known = byDigest.get(digest);
            if (known != null) {
                return known;
            }
            Optional<io.stratos.lxc.agent.internal.image.CachedImage> image = runtimes.images().lookup(digest);
            if (image.isEmpty()) {
                return Optional.empty(); // not cached (yet): asked again next time
            }
            Optional<String> path = Optional.ofNullable(ImageManifest.read(image.get().manifest()).metricsPath());
            if (byDigest.size() > 1000) {
                byDigest.clear();
            }
            byDigest.put(digest, path);
            return path;
        };
    }

    @Override
    public void close() {
        worker.shutdownNow();
        youngChecks.shutdownNow();
        starts.shutdownNow();
        notifier.shutdownNow();
        checks.close();
    }
}
