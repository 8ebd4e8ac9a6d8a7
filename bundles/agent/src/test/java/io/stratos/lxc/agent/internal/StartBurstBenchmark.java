package io.stratos.lxc.agent.internal;

import static org.junit.jupiter.api.Assumptions.assumeTrue;
import io.stratos.lxc.testsupport.StartTimings;

import io.stratos.lxc.agent.exec.Exec;
import io.stratos.lxc.agent.internal.image.CachedImage;
import io.stratos.lxc.agent.internal.image.ImageManifest;
import io.stratos.lxc.agent.internal.lxc.LxcRuntime;
import io.stratos.lxc.agent.runtime.ContainerSpec;
import io.stratos.lxc.api.agent.DesiredProcess;
import io.stratos.lxc.api.agent.DesiredState;
import io.stratos.lxc.api.agent.ProcessReport;
import io.stratos.lxc.config.ConfigValues;
import io.stratos.lxc.api.controller.ProcessState;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (run by benchmarks/start-burst.sh with -Dstratos.benchmark.out=<file>): the cost of a start
 * through the agent's reconciler (desired state in, until the reconciler reports RUNNING, which needs an HTTP answer on
 * the published port) beside plain {@code lxc-start} of the SAME container: its config comes from the agent's own
 * config writer ({@link LxcRuntime#renderConfig}), so the overlay over the same image, the id map, the veth on the same
 * bridge and the limits are the same; the baseline waits for the first HTTP 200 from the container's address.
 * One at a time (medians) and in a step of N (default 200; ms per process = wall time / N; the baseline starts with
 * as many lxc-start at once as the machine has cores). With -Dstratos.benchmark.density=N it instead holds N processes
 * through the reconciler and reports how many are RUNNING, how many ever left RUNNING, and the agent's CPU.
 */
class StartBurstBenchmark {

    private static final int RUNS = Integer.getInteger("stratos.benchmark.runs", 10);
    private static final int BURST = Integer.getInteger("stratos.benchmark.burst", 200);
    private static final int DENSITY = Integer.getInteger("stratos.benchmark.density", 0);
    /** bridge (the agent's default) or host: a Linux bridge takes at most 1,024 ports, so thousands of containers need host. */
    private static final String NETWORK = System.getProperty("stratos.benchmark.network", "bridge");
    private static final int HOLD_SECONDS = Integer.getInteger("stratos.benchmark.holdSeconds", 180);
    private static final int AGENT_PORTS = 20490;
    private static final int RAW_PORTS = 22530;

    private Path work;
    private AgentRuntimes agent;
    private Reconciler reconciler;
    private LxcRuntime lxc;
    private CachedImage image;
    private ImageManifest manifest;
    private String digest;
    private long revision;

    @Test
    void startsThroughTheAgentBesidePlainLxcStart() throws Exception {
        String out = System.getProperty("stratos.benchmark.out");
        assumeTrue(out != null, "a benchmark: run it with -Dstratos.benchmark.out=<file> (benchmarks/start-burst.sh)");
        work = Files.createTempDirectory("stratos-bench-burst");
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
        Exec exec = new Exec();
        try (TestImages.Store store = new TestImages.Store()) {
            Path tarball = Path.of(System.getProperty("stratos.benchmark.image"));
            digest = TestImages.sha256(tarball);
            store.images.put(digest, tarball);
            int ports = Math.max(DENSITY, BURST) + 10;
            ConfigValues values = ConfigValues.of(AgentSettings.PID, Map.of("controllerUrl", store.controllerUrl(),
                    "portRangeStart", String.valueOf(AGENT_PORTS), "portRangeEnd", String.valueOf(AGENT_PORTS + ports),
                    "runtimes", "lxc", "network", NETWORK, "bridge", "stratos-burstbr", "bridgeSubnet", "10.213.160.0/20",
                    "dataDir", work.resolve("agent").toString()));
            agent = new AgentRuntimes(AgentSettings.from(values, "stratos-bench-burst", work.toString()));
            lxc = (LxcRuntime) agent.runtimes().get("lxc");
            reconciler = new Reconciler(agent, System::currentTimeMillis);
            try {
                // warm: the image cache, the shifted lower layer, the bridge
                agentStep(1);
                image = agent.images().lookup(digest).orElseThrow();
                manifest = ImageManifest.read(image.manifest());
                String json = DENSITY > 0 ? density() : starts();
                Files.writeString(Path.of(out), json);
                System.out.println(json);
            } finally {
                reconciler.apply(new DesiredState(++revision, List.of()));
                awaitGone();
                reconciler.close();
                rawCleanup(exec);
                lxc.removeBridgeIfUnused();
                agent.close();
            }
        } finally {
            exec.run(120_000, "rm", "-rf", work.toString());
        }
    }

    private String starts() throws Exception {
        List<Double> agentSingle = new ArrayList<>();
        List<Double> rawSingle = new ArrayList<>();
        for (int i = 0; i < RUNS; i++) {
            agentSingle.add(agentStep(1));
            rawSingle.add(rawStep(1, i));
        }
        double agentBurst = agentStep(BURST) / BURST;
        double rawBurst = rawStep(BURST, 0) / BURST;
        int cores = Runtime.getRuntime().availableProcessors();
        return "{\n"
                + "  \"runs\": " + RUNS + ", \"burst\": " + BURST + ", \"cores\": " + cores + ",\n"
                + "  \"single\": {\"agentMedianMs\": " + median(agentSingle) + ", \"agentP90Ms\": " + p90(agentSingle)
                + ", \"rawMedianMs\": " + median(rawSingle) + ", \"rawP90Ms\": " + p90(rawSingle)
                + ", \"ratio\": " + round(median(agentSingle) / median(rawSingle)) + "},\n"
                + "  \"burst\": {\"agentMsPerProcess\": " + round(agentBurst) + ", \"rawMsPerProcess\": " + round(rawBurst)
                + ", \"ratio\": " + round(agentBurst / rawBurst) + "}\n}\n";
    }

    /** Wall time (ms) from handing the reconciler n processes to all of them RUNNING; then they are stopped. */
    private double agentStep(int n) throws Exception {
        List<DesiredProcess> wanted = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            wanted.add(new DesiredProcess("bench-" + revision + "-" + i, "bench", "static-httpd", "1.0", digest, "lxc", 100, 32,
                    Map.of()));
        }
        long t0 = System.nanoTime();
        reconciler.apply(new DesiredState(++revision, wanted));
        long deadline = t0 + Duration.ofSeconds(60 + n).toNanos();
        while (running(reconciler.processes()) < n) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not all RUNNING: " + reconciler.processes());
            }
            Thread.sleep(2);
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        reconciler.apply(new DesiredState(++revision, List.of()));
        awaitGone();
        return ms;
    }

    private static long running(Map<String, ProcessReport> processes) {
        return processes.values().stream().filter(r -> r.state() == ProcessState.RUNNING).count();
    }

    private void awaitGone() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(600).toNanos();
        while (!lxc.list().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }

    /**
     * Wall time (ms) of n plain lxc-start of the agent's own config for the same spec, as many at once as there are
     * cores, until each answers HTTP 200 on its address on the bridge; then they are stopped.
     */
    private double rawStep(int n, int salt) throws Exception {
        Path lxcpath = work.resolve("raw");
        Files.createDirectories(lxcpath);
        Files.setPosixFilePermissions(lxcpath, PosixFilePermissions.fromString("rwx--x--x"));
        List<String> names = new ArrayList<>();
        List<URI> uris = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int hostPort = RAW_PORTS + (n == 1 ? salt % 50 : i);
            ContainerSpec spec = new ContainerSpec("raw-" + salt + "-" + i, manifest.name(), image.digest(), image.rootfs(),
                    manifest.start(), new LinkedHashMap<>(manifest.env()), manifest.port(), hostPort, 100, 32, 256, null);
            Path dir = Files.createDirectories(lxcpath.resolve(spec.containerName()));
            Files.createDirectories(dir.resolve("upper"));
            int root = lxc.containerRootUid();
            for (Path p : List.of(dir, dir.resolve("upper"))) {
                Files.setAttribute(p, "unix:uid", root);
                Files.setAttribute(p, "unix:gid", root);
            }
            java.util.Optional<String> launcher = lxc.launcherScript(spec);
            if (launcher.isPresent()) {
                Path script = dir.resolve("upper").resolve(LxcRuntime.launcherPath());
                Files.writeString(script, launcher.get());
                Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
                Files.setAttribute(script, "unix:uid", root);
                Files.setAttribute(script, "unix:gid", root);
            }
            String config = lxc.renderConfig(spec, dir);
            Files.writeString(dir.resolve("config"), config);
            String address = config.lines().filter(l -> l.startsWith("lxc.net.0.ipv4.address = ")).findFirst().orElseThrow()
                    .replaceAll(".* = ", "").replaceAll("/.*", "");
            names.add(spec.containerName());
            uris.add(URI.create("http://" + address + ":" + manifest.port() + "/"));
        }
        int cores = Runtime.getRuntime().availableProcessors();
        ExecutorService starters = Executors.newFixedThreadPool(cores);
        ExecutorService waiters = Executors.newFixedThreadPool(Math.min(n, 256));
        Exec exec = new Exec();
        List<Future<?>> done = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            String name = names.get(i);
            URI uri = uris.get(i);
            done.add(starters.submit(() -> {
                Exec.Result started = exec.run(30_000, "lxc-start", "-P", lxcpath.toString(), "-n", name, "-d",
                        "-l", "INFO", "-o", lxcpath.resolve(name).resolve("lxc.log").toString());
                if (started.exitCode() != 0) {
                    throw new IllegalStateException("lxc-start: " + started.output());
                }
                return waiters.submit(() -> {
                    try {
                        firstOk(uri);
                    } catch (IllegalStateException e) {
                        Path dir = lxcpath.resolve(name);
                        throw new IllegalStateException(e.getMessage() + "; " + exec.run(5_000, "lxc-info", "-P", lxcpath.toString(),
                                "-n", name).output() + "; config " + Files.readString(dir.resolve("config")) + "; console "
                                + (Files.exists(dir.resolve("console.log")) ? Files.readString(dir.resolve("console.log")) : "none"), e);
                    }
                    return null;
                });
            }));
        }
        for (Future<?> f : done) {
            ((Future<?>) f.get()).get();
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        starters.shutdown();
        waiters.shutdown();
        rawCleanup(exec);
        return ms;
    }

    private void rawCleanup(Exec exec) throws Exception {
        Path lxcpath = work.resolve("raw");
        if (!Files.isDirectory(lxcpath)) {
            return;
        }
        List<Path> dirs;
        try (var list = Files.list(lxcpath)) {
            dirs = list.toList();
        }
        ExecutorService stoppers = Executors.newFixedThreadPool(4);
        List<Future<?>> done = new ArrayList<>();
        for (Path dir : dirs) {
            done.add(stoppers.submit(() -> {
                exec.run(30_000, "lxc-stop", "-P", lxcpath.toString(), "-n", dir.getFileName().toString(), "-k");
                exec.run(30_000, "rm", "-rf", dir.toString());
            }));
        }
        for (Future<?> f : done) {
            f.get();
        }
        stoppers.shutdown();
    }

    /**
     * Density: n processes through the reconciler; once all are RUNNING, a hold of HOLD_SECONDS during which every
     * second the states are read (a process seen out of RUNNING counts as flapping) and the JVM's CPU time is taken.
     */
    private String density() throws Exception {
        List<DesiredProcess> wanted = new ArrayList<>();
        for (int i = 0; i < DENSITY; i++) {
            wanted.add(new DesiredProcess("dens-" + i, "dens", "static-httpd", "1.0", digest, "lxc", 100, 32, Map.of()));
        }
        long t0 = System.nanoTime();
        reconciler.apply(new DesiredState(++revision, wanted));
        long deadline = t0 + Duration.ofSeconds(120 + DENSITY).toNanos();
        while (running(reconciler.processes()) < DENSITY && System.nanoTime() < deadline) {
            Thread.sleep(200);
        }
        double startSeconds = (System.nanoTime() - t0) / 1e9;
        long runningAtStart = running(reconciler.processes());
        Thread.sleep(20_000); // let the start burst's work drain before the idle measure
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        java.util.Set<String> flapped = new java.util.HashSet<>();
        long cpu0 = os.getProcessCpuTime();
        long h0 = System.nanoTime();
        long holdEnd = h0 + Duration.ofSeconds(HOLD_SECONDS).toNanos();
        while (System.nanoTime() < holdEnd) {
            reconciler.processes().forEach((id, r) -> {
                if (r.state() != ProcessState.RUNNING) {
                    flapped.add(id);
                }
            });
            Thread.sleep(1000); // a process that fails a check stays STARTING until its next check (seconds): seen
        }
        double cpuPercent = 100.0 * (os.getProcessCpuTime() - cpu0) / (System.nanoTime() - h0);
        long runningAtEnd = running(reconciler.processes());
        int reportBytes = new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsBytes(reconciler.report(revision)).length;
        return "{\n  \"processes\": " + DENSITY + ", \"network\": \"" + NETWORK + "\", \"startSeconds\": " + round(startSeconds)
                + ", \"runningAfterStart\": " + runningAtStart + ",\n  \"holdSeconds\": " + HOLD_SECONDS
                + ", \"runningAfterHold\": " + runningAtEnd + ", \"flapped\": " + flapped.size()
                + ", \"agentCpuPercentOfACore\": " + round(cpuPercent) + ", \"statusReportBytes\": " + reportBytes + "\n}\n";
    }

    private static void firstOk(URI uri) throws Exception {
        StartTimings.firstOk(uri, Duration.ofSeconds(60));
    }

    private static double median(List<Double> values) {
        return StartTimings.median(values);
    }

    private static double p90(List<Double> values) {
        return StartTimings.p90(values);
    }

    private static double round(double value) {
        return StartTimings.round(value);
    }
}
