package io.stratos.lxc.itests;

import static org.junit.Assert.assertTrue;

import io.stratos.lxc.itests.support.Await;
import io.stratos.lxc.itests.support.ControllerProcess;
import io.stratos.lxc.itests.support.Decisions;
import io.stratos.lxc.itests.support.Decisions.Decision;
import io.stratos.lxc.itests.support.Http;
import io.stratos.lxc.itests.support.Json;
import io.stratos.lxc.loadgen.LoadGenerator;
import io.stratos.lxc.loadgen.LoadPlan;
import io.stratos.lxc.loadgen.LoadResult;
import io.stratos.lxc.loadgen.LoadRun;
import io.stratos.lxc.loadgen.Schedule;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.After;
import org.junit.Test;

/**
 * Benchmark (run by benchmarks/run.sh, not by the test suite): how fast the autoscaler reacts to a load
 * step, on the built controller distribution with real LXC processes behind the router, and how much a
 * square-wave load makes it reverse. Baselines from the same run: the evaluation interval (a decision
 * cannot come sooner than the next evaluation) and the same square wave without a stabilisation window.
 * <p>
 * Writes to {@code stratos.benchmark.out}: {@code autoscaler.json}, {@code autoscaler-timeline.csv}
 * (every 200 ms: load level, RUNNING processes, READY VMs) and {@code autoscaler-load.csv} (the load
 * generator's per-second record). {@code stratos.benchmark.quick} non-empty: fewer steps and cycles.
 */
public class AutoscalerReactionBenchmark {

    private static final String ALIAS = "wave";
    private static final int INTERVAL_MILLIS = 1000;
    private static final int WINDOW_SECONDS = 2;
    private static final int STABILISATION_SECONDS = 10;
    private static final int HALF_PERIOD_SECONDS = 5;

    private final Path out = Path.of(System.getProperty("stratos.benchmark.out", "target/benchmark"));
    private final boolean quick = !System.getProperty("stratos.benchmark.quick", "").isEmpty();
    private final List<String> timeline = new CopyOnWriteArrayList<>();
    private volatile String phase = "start";
    private volatile boolean sampling = true;
    private ControllerProcess controller;
    private LoadRun load;
    private long benchStart;

    @After
    public void stop() throws Exception {
        sampling = false;
        if (load != null) {
            load.close();
        }
        if (controller != null) {
            controller.close();
        }
    }

    private record Step(long loadMillis, long decisionMillis, long runningMillis, long servingMillis, long routedMillis) {
        long decision() {
            return decisionMillis - loadMillis;
        }

        long running() {
            return runningMillis - decisionMillis;
        }

        long serving() {
            return servingMillis - decisionMillis;
        }

        long routed() {
            return routedMillis - decisionMillis;
        }
    }

    private record Wave(int stabilisationSeconds, long fromMillis, long toMillis, int decisions, int reversals) {
        double perWindow() {
            return reversals / ((toMillis - fromMillis) / 1000.0 / STABILISATION_SECONDS);
        }
    }

    private record Process(String id, String state, int hostPort) {
    }

    private List<Process> processes() throws Exception {
        return Json.stream(Json.tree(controller.get("/subscriptions/" + ALIAS + "/processes")))
                .map(p -> new Process(p.path("id").asText(), p.path("state").asText(), p.path("hostPort").asInt())).toList();
    }

    private int running() throws Exception {
        return (int) processes().stream().filter(p -> p.state().equals("RUNNING")).count();
    }

    /** The processes the router spreads the alias over, as it last looked them up. */
    private int routerBackends() throws Exception {
        return Json.tree(controller.get("/router/" + ALIAS)).path("backends").asInt(-1);
    }

    private int readyVms() throws Exception {
        return (int) Json.count(controller.get("/vms"), "state", "READY");
    }

    private List<Decision> decisions() throws Exception {
        return Decisions.of(controller, 1000).stream().filter(d -> d.is("SUBSCRIPTION", ALIAS)).toList();
    }

    private void policy(int cooldownSeconds, int stabilisationSeconds) throws Exception {
        controller.expect(200, "PUT", "/autoscale-policies/bench", "{\"metrics\":{\"requestsInFlight\":{\"target\":2}},"
                + "\"minProcesses\":1,\"maxProcesses\":6,\"scaleUpCooldownSeconds\":" + cooldownSeconds
                + ",\"scaleDownStabilizationSeconds\":" + stabilisationSeconds + ",\"scaleUpStep\":4,\"scaleDownStep\":10}");
    }

    /** One process on one VM, the load at one client, and the metric window full of that. */
    private void awaitQuiet() throws Exception {
        load.level(1);
        Await.success("1 process on 1 VM", Duration.ofSeconds(120), () -> {
            assertTrue(running() == 1 && processes().size() == 1 && readyVms() == 1
                    && Json.strings(controller.get("/vms"), "state").size() == 1);
            return null;
        });
        Thread.sleep((WINDOW_SECONDS + 2) * 1000L); // the point: the metric window holds nothing but the quiet level
    }

    private void sample() {
        while (sampling) {
            try {
                long now = System.currentTimeMillis();
                int running = running();
                int vms = readyVms();
                LoadRun l = load;
                timeline.add(String.format(Locale.ROOT, "%d,%.2f,%s,%.0f,%d,%d", now, (now - benchStart) / 1000.0, phase,
                        l == null ? 0 : l.level(), running, vms));
                Thread.sleep(200); // the timeline's pace
            } catch (InterruptedException e) {
                return;
            } catch (Exception e) {
                // the controller may be going away at the end
            }
        }
    }

    @Test
    public void reactionTimesAndSquareWave() throws Exception {
        Files.createDirectories(out);
        controller = ControllerProcess.create("controller-autoscale-bench");
        controller.distribution()
                .configure("io.stratos.lxc.autoscaler.cfg", "intervalMillis", String.valueOf(INTERVAL_MILLIS))
                .configure("io.stratos.lxc.autoscaler.cfg", "metricWindowSeconds", String.valueOf(WINDOW_SECONDS))
                .configure("io.stratos.lxc.autoscaler.cfg", "vmScaleInWindowSeconds", "5");
        controller.start();
        controller.awaitCartridge("static-httpd");
        controller.expect(201, "POST", "/autoscale-policies", "{\"name\":\"bench\",\"metrics\":{\"requestsInFlight\":{\"target\":2}}}");
        policy(1, 3);
        controller.expect(201, "POST", "/partitions", "{\"name\":\"web\",\"cartridge\":\"static-httpd\",\"minVms\":1,\"maxVms\":2,"
                + "\"vmCapacity\":{\"cpuMillis\":400,\"memoryMiB\":64}}");
        controller.expect(201, "POST", "/subscriptions", "{\"alias\":\"" + ALIAS + "\",\"cartridge\":\"static-httpd\","
                + "\"policy\":\"bench\",\"minProcesses\":1,\"maxProcesses\":6}");
        String work = "http://127.0.0.1:" + controller.routerPort() + "/" + ALIAS + "/cgi-bin/work?ms=200";
        Http.awaitOk(work, Duration.ofSeconds(60));

        benchStart = System.currentTimeMillis();
        load = LoadGenerator.start(LoadPlan.of(URI.create(work), LoadPlan.Mode.CLOSED, Schedule.parse("1s:1,30m:12")));
        Thread sampler = new Thread(this::sample, "timeline");
        sampler.setDaemon(true);
        sampler.start();

        // 1. Load steps on a warm VM: 1 -> 4 clients asks for a second process, which fits on the running VM.
        List<Step> steps = new ArrayList<>();
        int repetitions = quick ? 2 : 5;
        for (int i = 0; i < repetitions; i++) {
            phase = "quiet";
            awaitQuiet();
            Set<String> before = new HashSet<>();
            processes().forEach(p -> before.add(p.id()));
            phase = "step";
            long t0 = System.currentTimeMillis();
            load.level(4);
            Decision decision = Await.success("a scale-up decision", Duration.ofSeconds(30), () -> decisions().stream()
                    .filter(d -> d.up() && d.time().toEpochMilli() >= t0 - 50).findFirst().orElseThrow());
            long running = -1;
            long serving = -1;
            long routed = -1;
            long deadline = System.currentTimeMillis() + 30_000;
            while ((running < 0 || serving < 0 || routed < 0) && System.currentTimeMillis() < deadline) {
                if (routed < 0 && routerBackends() > before.size()) {
                    routed = System.currentTimeMillis();
                }
                for (Process p : processes()) {
                    if (before.contains(p.id())) {
                        continue;
                    }
                    if (running < 0 && p.state().equals("RUNNING")) {
                        running = System.currentTimeMillis();
                    }
                    if (serving < 0 && p.hostPort() > 0
                            && Http.status("http://127.0.0.1:" + p.hostPort() + "/cgi-bin/work?ms=0") == 200) {
                        serving = System.currentTimeMillis();
                    }
                }
                Thread.sleep(10); // the point: 10 ms resolution for the figures, not a wait for one condition
            }
            assertTrue("the new process ran, served and was routed to", running > 0 && serving > 0 && routed > 0);
            Step step = new Step(t0, decision.time().toEpochMilli(), running, serving, routed);
            steps.add(step);
            System.out.printf("step %d: decision %d ms after the load step; after it: serving %d ms, RUNNING %d ms, "
                    + "in the router %d ms%n", i, step.decision(), step.serving(), step.running(), step.routed());
        }

        // 2. A square wave (8 clients / 1 client, 5 s each; 8 clients ask for 4 processes, which fit on the
        //    running VM, so VM boots do not blur it) with a 10 s stabilisation window, then without one.
        List<Wave> waves = new ArrayList<>();
        int cycles = quick ? 2 : 4;
        for (int stabilisation : new int[] {STABILISATION_SECONDS, 0}) {
            phase = "quiet";
            policy(2, 3);
            awaitQuiet();
            policy(2, stabilisation);
            phase = "wave-s" + stabilisation;
            long from = System.currentTimeMillis();
            for (int c = 0; c < cycles; c++) {
                // the point: a square wave of load, each level held for half a period
                load.level(8);
                Thread.sleep(HALF_PERIOD_SECONDS * 1000L);
                load.level(1);
                Thread.sleep(HALF_PERIOD_SECONDS * 1000L);
            }
            long to = System.currentTimeMillis();
            List<Decision> during = decisions().stream()
                    .filter(d -> d.time().toEpochMilli() >= from && d.time().toEpochMilli() < to).toList();
            int reversals = 0;
            for (int k = 1; k < during.size(); k++) {
                if (during.get(k).up() != during.get(k - 1).up()) {
                    reversals++;
                }
            }
            Wave wave = new Wave(stabilisation, from, to, during.size(), reversals);
            waves.add(wave);
            System.out.printf("square wave, stabilisation %d s: %d decisions, %d reversals, %.2f per %d s window%n",
                    stabilisation, wave.decisions(), reversals, wave.perWindow(), STABILISATION_SECONDS);
        }
        // 3. Level 2: 12 clients ask for 6 processes; 2 do not fit on the VM, so the partition asks for another.
        phase = "quiet";
        policy(2, 3);
        awaitQuiet();
        phase = "vm-step";
        long vmStep = System.currentTimeMillis();
        load.level(12);
        Decision partitionOut = Await.success("a partition decision 1 -> 2", Duration.ofSeconds(60), () ->
                Decisions.of(controller, 1000).stream().filter(d -> d.is("PARTITION", "web") && d.from() == 1 && d.to() == 2
                        && d.time().toEpochMilli() >= vmStep - 50).findFirst().orElseThrow());
        long vmReady = Await.success("2 READY VMs", Duration.ofSeconds(60), () -> {
            assertTrue(readyVms() == 2);
            return System.currentTimeMillis();
        });
        long allRunning = Await.success("6 RUNNING processes", Duration.ofSeconds(60), () -> {
            assertTrue(running() == 6);
            return System.currentTimeMillis();
        });
        long[] vmFigures = {partitionOut.time().toEpochMilli() - vmStep, vmReady - partitionOut.time().toEpochMilli(),
                allRunning - vmStep};
        System.out.printf("VM step: partition decision %d ms after the load step, new VM READY %d ms after it, "
                + "6 RUNNING %d ms after the step%n", vmFigures[0], vmFigures[1], vmFigures[2]);
        phase = "tail";
        awaitQuiet();
        phase = "end";
        Thread.sleep(500); // the timeline's last samples, of the end
        sampling = false;
        load.stop();
        LoadResult record = load.await();
        load = null;

        record.writeCsv(out.resolve("autoscaler-load.csv"));
        Files.writeString(out.resolve("autoscaler-timeline.csv"), "epoch_ms,t_s,phase,level,running,vms\n"
                + String.join("\n", timeline) + "\n");
        Files.writeString(out.resolve("autoscaler.json"), json(steps, waves, vmFigures, record));
        System.out.println(Files.readString(out.resolve("autoscaler.json")));
    }

    private String json(List<Step> steps, List<Wave> waves, long[] vm, LoadResult record) {
        StringBuilder j = new StringBuilder("{\n");
        j.append("  \"evaluationIntervalMillis\": ").append(INTERVAL_MILLIS).append(",\n");
        j.append("  \"metricWindowSeconds\": ").append(WINDOW_SECONDS).append(",\n");
        j.append("  \"steps\": [");
        for (int i = 0; i < steps.size(); i++) {
            Step s = steps.get(i);
            j.append(i == 0 ? "\n" : ",\n").append(String.format(Locale.ROOT,
                    "    {\"decisionMillis\": %d, \"servingAfterDecisionMillis\": %d, \"runningAfterDecisionMillis\": %d, "
                            + "\"routedAfterDecisionMillis\": %d}", s.decision(), s.serving(), s.running(), s.routed()));
        }
        j.append("\n  ],\n");
        long[] decision = steps.stream().mapToLong(Step::decision).sorted().toArray();
        long[] running = steps.stream().mapToLong(Step::running).sorted().toArray();
        long[] serving = steps.stream().mapToLong(Step::serving).sorted().toArray();
        long[] routed = steps.stream().mapToLong(Step::routed).sorted().toArray();
        j.append(String.format(Locale.ROOT, "  \"decisionMedianMillis\": %d, \"decisionMaxMillis\": %d,%n", median(decision),
                decision[decision.length - 1]));
        j.append(String.format(Locale.ROOT, "  \"decisionMedianPerInterval\": %.2f,%n", median(decision) / (double) INTERVAL_MILLIS));
        j.append(String.format(Locale.ROOT, "  \"runningAfterDecisionMedianMillis\": %d,%n", median(running)));
        j.append(String.format(Locale.ROOT, "  \"routedAfterDecisionMedianMillis\": %d, \"routedAfterDecisionMaxMillis\": %d,%n",
                median(routed), routed[routed.length - 1]));
        j.append(String.format(Locale.ROOT, "  \"servingAfterDecisionMedianMillis\": %d, \"servingAfterDecisionMaxMillis\": %d,%n",
                median(serving), serving[serving.length - 1]));
        j.append(String.format(Locale.ROOT, "  \"servingAfterDecisionPerSecond\": %.2f,%n", median(serving) / 1000.0));
        j.append("  \"squareWave\": {\"halfPeriodSeconds\": ").append(HALF_PERIOD_SECONDS).append(", \"windowSeconds\": ")
                .append(STABILISATION_SECONDS).append(", \"runs\": [");
        for (int i = 0; i < waves.size(); i++) {
            Wave w = waves.get(i);
            j.append(i == 0 ? "\n" : ",\n").append(String.format(Locale.ROOT,
                    "    {\"stabilizationSeconds\": %d, \"durationSeconds\": %.1f, \"decisions\": %d, \"reversals\": %d, "
                            + "\"reversalsPerWindow\": %.2f}",
                    w.stabilisationSeconds(), (w.toMillis() - w.fromMillis()) / 1000.0, w.decisions(), w.reversals(), w.perWindow()));
        }
        double ratio = waves.get(1).reversals() == 0 ? 0 : waves.get(0).reversals() / (double) waves.get(1).reversals();
        j.append(String.format(Locale.ROOT, "\n  ], \"reversalRatio\": %.2f},%n", ratio));
        j.append(String.format(Locale.ROOT, "  \"vmStep\": {\"partitionDecisionAfterLoadMillis\": %d, "
                + "\"vmReadyAfterPartitionDecisionMillis\": %d, \"allRunningAfterLoadMillis\": %d},%n", vm[0], vm[1], vm[2]));
        j.append(String.format(Locale.ROOT, "  \"load\": {\"sent\": %d, \"ok\": %d, \"failed\": %d, \"failures\": \"%s\"}%n",
                record.sent(), record.ok(), record.failed(), record.failures()));
        return j.append("}\n").toString();
    }

    private static long median(long[] sorted) {
        return sorted[sorted.length / 2];
    }
}
