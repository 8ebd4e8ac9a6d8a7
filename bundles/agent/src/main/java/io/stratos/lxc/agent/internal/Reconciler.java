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
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
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
 */
final class Reconciler implements ProcessSupervisor, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Reconciler.class);
    private static final long MAX_BACKOFF_MILLIS = 60_000;
    /** A process just started is checked this often until it answers (not only once per 1 s pass)... */
    private static final long STARTING_CHECK_MILLIS = 50;
    /** ... and more often in its first half second, when most answer (a cold request waits on this check). */
    private static final long FIRST_CHECK_MILLIS = 10;
    private static final long FIRST_CHECKS_FOR_MILLIS = 500;
    /** ... for this long after its start; then the regular passes take over. */
    private static final long STARTING_FAST_MILLIS = 5_000;

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
    }

    private final AgentRuntimes runtimes;
    private final LongSupplier clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final Map<String, Tracked> tracked = new ConcurrentHashMap<>();
    private final ScheduledExecutorService worker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "stratos-agent-reconciler");
        thread.setDaemon(true);
        return thread;
    });
    private volatile DesiredState desired;
    private volatile Runnable onChange = () -> { };
    private final java.util.concurrent.atomic.AtomicBoolean startingCheckScheduled = new java.util.concurrent.atomic.AtomicBoolean();
    /** The application metrics its subscriptions' policies ask for, scraped from the RUNNING processes. */
    private final ApplicationMetrics applicationMetrics;
    /** Each runtime's availability as last seen, to log a change once rather than every pass. */
    private final Map<String, Boolean> runtimeUp = new ConcurrentHashMap<>();

    Reconciler(AgentRuntimes runtimes, LongSupplier clock) {
        this.runtimes = runtimes;
        this.clock = clock;
        this.applicationMetrics = new ApplicationMetrics(metricsPaths(runtimes), port -> runtimes.publishing().endpoint(port));
        worker.scheduleWithFixedDelay(this::reconcileQuietly, 1, 1, TimeUnit.SECONDS);
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

    private void reconcileQuietly() {
        try {
            if (reconcile()) {
                onChange.run();
            }
        } catch (RuntimeException e) {
            LOG.error("Reconciliation pass failed", e);
        }
        scheduleStartingCheck();
    }

    /**
     * A process that was just started becomes RUNNING when it first answers HTTP: checking only in the
     * 1 s passes made it wait up to a second more before the controller (and the router) knew. Processes
     * started less than {@link #STARTING_FAST_MILLIS} ago are checked every {@link #STARTING_CHECK_MILLIS}.
     */
    private void scheduleStartingCheck() {
        if (youngStarting() && startingCheckScheduled.compareAndSet(false, true)) {
            try {
                long now = clock.getAsLong();
                boolean fresh = tracked.values().stream().anyMatch(t -> t.state == ProcessState.STARTING
                        && now - t.startedAtMillis < FIRST_CHECKS_FOR_MILLIS);
                worker.schedule(this::checkStarting, fresh ? FIRST_CHECK_MILLIS : STARTING_CHECK_MILLIS, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                startingCheckScheduled.set(false); // closing
            }
        }
    }

    private boolean youngStarting() {
        long now = clock.getAsLong();
        return tracked.values().stream().anyMatch(t -> t.state == ProcessState.STARTING && t.hostPort > 0
                && now - t.startedAtMillis < STARTING_FAST_MILLIS);
    }

    private void checkStarting() {
        startingCheckScheduled.set(false);
        try {
            boolean changed = false;
            long now = clock.getAsLong();
            for (Tracked t : tracked.values()) {
                if (t.state == ProcessState.STARTING && t.hostPort > 0 && now - t.startedAtMillis < STARTING_FAST_MILLIS
                        && healthy(t)) {
                    t.reason = "";
                    t.state = ProcessState.RUNNING;
                    changed = true;
                }
            }
            if (changed) {
                onChange.run();
            }
        } catch (RuntimeException e) {
            LOG.error("Check of starting processes failed", e);
        }
        scheduleStartingCheck();
    }

    /** One pass; returns whether any process changed state. */
    boolean reconcile() {
        DesiredState wanted = desired;
        if (wanted == null) {
            return false;
        }
        boolean changed = false;
        Map<String, DesiredProcess> byId = new ConcurrentHashMap<>();
        wanted.processes().forEach(p -> byId.put(p.processId(), p));
        // Asked once per pass: a runtime that went away (dockerd stopped) is noticed here, and its processes wait for it.
        Map<String, RuntimeAvailability> availability = new java.util.HashMap<>();
        for (ContainerRuntime runtime : runtimes.runtimes().values()) {
            availability.put(runtime.name(), availability(runtime));
        }
        // Stop what is no longer wanted (including containers re-adopted after a restart).
        for (ContainerRuntime runtime : runtimes.runtimes().values()) {
            if (!availability.get(runtime.name()).available()) {
                continue;
            }
            try {
                for (ContainerInfo info : runtime.list()) {
                    if (!byId.containsKey(info.processId())) {
                        LOG.info("Stopping {}: no longer desired", info.name());
                        runtimes.launcher().stop(info.processId());
                        runtime.remove(info.processId());
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
                changed |= ready != null && !ready.available() ? waitForRuntime(runtime, ready, t) : converge(process, t);
            } catch (RuntimeException e) {
                // one process's trouble (a runtime failing mid-call) must not stop the pass for the others
                LOG.warn("Reconciling {} failed: {}", process.processId(), e.toString());
            }
        }
        return changed;
    }

    /** Availability of a runtime; a change is logged once (WARN when it goes, INFO when it is back). */
    private RuntimeAvailability availability(ContainerRuntime runtime) {
        RuntimeAvailability a;
        try {
            a = runtime.available();
        } catch (RuntimeException e) {
            a = RuntimeAvailability.no(e.toString());
        }
        Boolean before = runtimeUp.put(runtime.name(), a.available());
        if (before != null && before != a.available()) {
            if (a.available()) {
                LOG.info("Runtime {} is available again ({}): its processes are checked and restarted where needed",
                        runtime.name(), a.reason());
            } else {
                LOG.warn("Runtime {} became unavailable: {}; its processes wait for it", runtime.name(), a.reason());
            }
        }
        return a;
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

    private boolean converge(DesiredProcess process, Tracked t) {
        ProcessState before = t.state;
        Optional<ContainerInfo> container = inspect(process);
        if (container.isPresent() && container.get().running()) {
            t.runtimeWasDown = false; // it survived (re-adopted as it was)
            t.hostPort = container.get().hostPort();
            boolean healthy = healthy(t);
            // Reason before state: a concurrent report must never pair a new state with an old reason.
            t.reason = healthy ? "" : t.lastStatus > 0
                    ? "health check GET " + t.healthPath + " answered HTTP " + t.lastStatus
                    : "waiting for it to answer HTTP on " + runtimes.publishing().endpoint(t.hostPort);
            t.state = healthy ? ProcessState.RUNNING : ProcessState.STARTING;
            sample(process, t);
            if (healthy) {
                applicationMetrics.scrape(process, t.hostPort);
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
        ProcessLauncher.Outcome outcome = runtimes.launcher().launch(new ProcessLauncher.Request(process.processId(),
                process.runtime(), process.imageDigest(), process.env(), process.cpuMillis(), process.memoryMiB(), 256,
                process.artifactDigest()));
        if (outcome.running()) {
            t.startedAtMillis = clock.getAsLong();
            t.healthPath = outcome.healthPath();
            t.hostPort = outcome.hostPort();
            t.reason = "started; waiting for it to answer HTTP";
            LOG.info("Process {} started under {} on {}", process.processId(), outcome.runtime(),
                    runtimes.publishing().endpoint(outcome.hostPort()));
        } else {
            t.restarts++;
            long backoff = Math.min(MAX_BACKOFF_MILLIS, 1000L << Math.min(t.restarts - 1, 6));
            t.retryAtMillis = clock.getAsLong() + backoff;
            t.reason = outcome.reason() + "; retry in " + backoff / 1000 + " s";
            t.state = ProcessState.FAILED;
        }
        return true;
    }

    private Optional<ContainerInfo> inspect(DesiredProcess process) {
        Optional<String> runtime = runtimes.launcher().runtimeOf(process.processId());
        if (runtime.isEmpty()) {
            return Optional.empty();
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

    /**
     * With a health path from the manifest: an answer below 500 there (a 5xx means the application is broken, which is
     * what stops a rollout). Without one: any HTTP answer on / counts, the process is up and serving.
     */
    private boolean healthy(Tracked t) {
        int hostPort = t.hostPort;
        if (hostPort <= 0) {
            return false;
        }
        String path = t.healthPath;
        try {
            URI uri = URI.create("http://" + runtimes.publishing().endpoint(hostPort) + (path == null ? "/" : path));
            HttpResponse<Void> response = http.send(HttpRequest.newBuilder(uri)
                    .timeout(Duration.ofSeconds(2)).GET().build(), HttpResponse.BodyHandlers.discarding());
            t.lastStatus = response.statusCode();
            return path == null ? response.statusCode() > 0 : response.statusCode() < 500;
        } catch (Exception e) {
            t.lastStatus = -1;
            return false;
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
    }
}
