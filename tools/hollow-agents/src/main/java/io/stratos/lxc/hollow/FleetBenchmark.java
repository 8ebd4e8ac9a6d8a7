package io.stratos.lxc.hollow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.openmbean.CompositeData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * The fleet benchmark's driver: against a running controller with the 'hollow' adapter, grows a partition to
 * {@code vms} simulated VMs and subscriptions of 1,000 processes to {@code processesPerVm} per VM, and measures
 * VM registration, end-to-end placement throughput, desired-state latency seen by agents (one change at a time,
 * and one change fanned out to 1,000 VMs), and the controller's heap after GC, CPU and autoscaler loop time in
 * steady state (JMX). Writes one JSON object.
 *
 * <pre>java -cp ... io.stratos.lxc.hollow.FleetBenchmark key=value...</pre>
 * keys: api (http://127.0.0.1:PORT/stratos), user (name:password), jmx (service URL), spool, vms, processesPerVm,
 * steadySeconds, probes, out.
 */
public final class FleetBenchmark {

    private static final int PER_SUBSCRIPTION = 1000;
    private static final int SLOTS_PER_VM_SPARE = 2;

    private final ObjectMapper json = new ObjectMapper();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private final String api;
    private final String auth;
    private final Map<String, String> args;
    private MBeanServerConnection jmx;
    private final ObjectNode result = json.createObjectNode();

    private FleetBenchmark(Map<String, String> args) {
        this.args = args;
        this.api = args.get("api") + "/api/v1/";
        this.auth = "Basic " + Base64.getEncoder().encodeToString(args.getOrDefault("user", "karaf:karaf").getBytes(StandardCharsets.UTF_8));
    }

    public static void main(String[] argv) throws Exception {
        Map<String, String> args = new HashMap<>();
        for (String a : argv) {
            int eq = a.indexOf('=');
            args.put(a.substring(0, eq), a.substring(eq + 1));
        }
        new FleetBenchmark(args).run();
        System.exit(0);
    }

    private static void say(String what) {
        System.out.printf("[fleet %tT] %s%n", System.currentTimeMillis(), what);
    }

    private void run() throws Exception {
        int vms = Integer.parseInt(args.get("vms"));
        int perVm = Integer.parseInt(args.getOrDefault("processesPerVm", "30"));
        int steadySeconds = Integer.parseInt(args.getOrDefault("steadySeconds", "30"));
        int probes = Integer.parseInt(args.getOrDefault("probes", "30"));
        long deadline = System.currentTimeMillis() + 1000L * Integer.parseInt(args.getOrDefault("timeoutSeconds", "900"));
        int subscriptions = vms * perVm / PER_SUBSCRIPTION;
        result.put("vms", vms).put("processesPerVm", perVm).put("subscriptions", subscriptions)
                .put("processesPerSubscription", PER_SUBSCRIPTION).put("processes", subscriptions * PER_SUBSCRIPTION);
        JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(args.get("jmx")),
                Map.of(JMXConnector.CREDENTIALS, args.getOrDefault("user", "karaf:karaf").split(":", 2)));
        jmx = connector.getMBeanServerConnection();
        result.set("controllerIdle", controllerSample(5));

        try (HollowFleet fleet = new HollowFleet(Path.of(args.get("spool")), 50)) {
            // A policy the synthetic metrics sit on (CPU 50 % +- 2 against a target of 50, tolerance 10 %): the
            // autoscaler evaluates every subscription in every pass and decides nothing.
            send("POST", "autoscale-policies", "{\"name\":\"fleet\",\"metrics\":{\"cpuPercent\":{\"target\":50}}}", 201, 409);

            // 1. VMs: the partition asks for them all; the adapter spools them; the simulated agents register.
            int slots = perVm + SLOTS_PER_VM_SPARE;
            JsonNode cartridge = send("GET", "cartridges/static-httpd", null, 200);
            JsonNode resources = findResources(cartridge);
            int cpu = resources.path("cpuMillis").asInt(100);
            int mem = resources.path("memoryMiB").asInt(16);
            result.put("processRequest", cpu + "m CPU, " + mem + " MiB").put("vmSlots", slots);
            long t0 = System.currentTimeMillis();
            send("POST", "partitions", "{\"name\":\"fleet\",\"cartridge\":\"static-httpd\",\"adapter\":\"hollow\",\"minVms\":" + vms
                    + ",\"maxVms\":" + vms + ",\"vmCapacity\":{\"cpuMillis\":" + cpu * slots + ",\"memoryMiB\":" + mem * slots + "}}", 201);
            long partitionCreated = System.currentTimeMillis();
            while (send("GET", "partitions/fleet", null, 200).path("readyVms").asInt() < vms) {
                check(deadline, "VMs READY: " + fleet.registered() + " of " + vms + " registered; errors " + fleet.errors() + " " + fleet.lastError());
                Thread.sleep(500);
            }
            long ready = System.currentTimeMillis();
            result.put("partitionCreateMillis", partitionCreated - t0).put("vmsReadyMillis", ready - t0)
                    .put("vmsReadyPerSecond", round(vms * 1000.0 / (ready - t0)));
            say(vms + " VMs READY in " + (ready - t0) + " ms");

            // 2. Processes: subscriptions of 1,000 each, placed in the subscribe call; RUNNING once the agents say so.
            long placeMillis = 0;
            ObjectName os = new ObjectName(ManagementFactory.OPERATING_SYSTEM_MXBEAN_NAME);
            long cpu0 = (Long) jmx.getAttribute(os, "ProcessCpuTime");
            String load0 = Files.readString(Path.of("/proc/loadavg")).trim();
            long s0 = System.currentTimeMillis();
            for (int i = 0; i < subscriptions; i++) {
                long c0 = System.nanoTime();
                send("POST", "subscriptions", "{\"alias\":\"fleet-" + i + "\",\"cartridge\":\"static-httpd\",\"policy\":\"fleet\",\"minProcesses\":"
                        + PER_SUBSCRIPTION + ",\"maxProcesses\":" + PER_SUBSCRIPTION + "}", 201);
                placeMillis += (System.nanoTime() - c0) / 1_000_000;
                if (i % 25 == 24) {
                    say((i + 1) + " subscriptions");
                }
            }
            long subscribed = System.currentTimeMillis();
            int total = subscriptions * PER_SUBSCRIPTION;
            int running;
            while ((running = countRunning()) < total) {
                check(deadline, "processes RUNNING: " + running + " of " + total + "; errors " + fleet.errors() + " " + fleet.lastError());
                Thread.sleep(1000);
            }
            long allRunning = System.currentTimeMillis();
            // CPU the controller spent meanwhile: a figure the machine's other load disturbs less than wall time
            double cpuSeconds = ((Long) jmx.getAttribute(os, "ProcessCpuTime") - cpu0) / 1e9;
            result.put("placementControllerCpuSeconds", round(cpuSeconds))
                    .put("placedPerControllerCpuSecond", round(total / cpuSeconds))
                    .put("placementLoadBefore", load0).put("placementLoadAfter", Files.readString(Path.of("/proc/loadavg")).trim());
            result.put("subscribeCallsMillis", placeMillis).put("placedPerSecondInSubscribeCalls", round(total * 1000.0 / placeMillis))
                    .put("allSubscribedMillis", subscribed - s0).put("allRunningMillis", allRunning - s0)
                    .put("placementEndToEndPerSecond", round(total * 1000.0 / (allRunning - s0)));
            say(total + " processes RUNNING in " + (allRunning - s0) + " ms");

            // 3. Steady state: every agent long-polls and reports; the autoscaler evaluates every subscription.
            Thread.sleep(5000);
            long reports0 = fleet.reports();
            long r0 = System.currentTimeMillis();
            ObjectNode steady = controllerSample(steadySeconds);
            steady.put("statusReportsPerSecond", round((fleet.reports() - reports0) * 1000.0 / (System.currentTimeMillis() - r0)));
            result.set("steady", steady);
            say("steady: " + steady);

            // 4. Desired-state latency, one change at a time: scale a probe subscription up by one; one VM's agent
            //    gets a new desired state. From sending the request to that agent having parsed the answer.
            send("POST", "subscriptions", "{\"alias\":\"probe\",\"cartridge\":\"static-httpd\",\"minProcesses\":1,\"maxProcesses\":"
                    + Math.min(1000, probes + 1) + "}", 201);
            Thread.sleep(2000);
            List<Long> single = new ArrayList<>();
            List<Long> calls = new ArrayList<>();
            for (int i = 0; i < probes; i++) {
                long c0 = System.currentTimeMillis();
                long n0 = System.nanoTime();
                send("PUT", "subscriptions/probe/scale", "{\"processes\":" + (i + 2) + "}", 200);
                calls.add((System.nanoTime() - n0) / 1_000_000);
                List<HollowFleet.Delivery> got;
                while ((got = fleet.deliveriesSince(c0)).isEmpty()) {
                    check(deadline, "probe delivery");
                    Thread.sleep(1);
                }
                single.add(got.get(0).receivedMillis() - c0);
                Thread.sleep(200);
            }
            result.set("singleChangeLatencyMillis", percentiles(single));
            result.set("singleChangeRequestMillis", percentiles(calls));
            say("single change latency " + result.get("singleChangeLatencyMillis"));

            // 5. One change fanned out: a new subscription of min(1,000, VMs) processes, one on each of as many VMs.
            int fan = Math.min(PER_SUBSCRIPTION, vms);
            Thread.sleep(1000);
            long f0 = System.currentTimeMillis();
            send("POST", "subscriptions", "{\"alias\":\"fanout\",\"cartridge\":\"static-httpd\",\"minProcesses\":" + fan
                    + ",\"maxProcesses\":" + fan + "}", 201);
            long fanCall = System.currentTimeMillis() - f0;
            Map<String, Long> firstPerVm = new LinkedHashMap<>();
            long quietSince = System.currentTimeMillis();
            while (firstPerVm.size() < fan && System.currentTimeMillis() - quietSince < 10_000) {
                int before = firstPerVm.size();
                for (HollowFleet.Delivery d : fleet.deliveriesSince(f0)) {
                    firstPerVm.putIfAbsent(d.vmId(), d.receivedMillis() - f0);
                }
                if (firstPerVm.size() > before) {
                    quietSince = System.currentTimeMillis();
                }
                Thread.sleep(50);
            }
            ObjectNode fanout = percentiles(new ArrayList<>(firstPerVm.values()));
            fanout.put("vmsChanged", firstPerVm.size()).put("vmsExpected", fan).put("subscribeRequestMillis", fanCall);
            result.set("fanOutLatencyMillis", fanout);
            say("fan-out latency " + fanout);

            result.put("simulatorErrors", fleet.errors()).put("simulatorLastError", fleet.lastError())
                    .put("simulatorCpuSeconds", round(ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean local
                            ? local.getProcessCpuTime() / 1e9 : -1));
        } finally {
            Files.writeString(Path.of(args.get("out")), json.writerWithDefaultPrettyPrinter().writeValueAsString(result));
            connector.close();
        }
    }

    /** The cartridge's resource request (from its newest manifest); the defaults when it names none. */
    private JsonNode findResources(JsonNode cartridge) {
        JsonNode found = cartridge.findValue("resources");
        return found == null ? json.createObjectNode() : found;
    }

    private int countRunning() throws IOException, InterruptedException {
        int running = 0;
        for (JsonNode s : send("GET", "subscriptions", null, 200)) {
            if (s.path("alias").asText().startsWith("fleet-")) {
                running += s.path("processes").path("RUNNING").asInt();
            }
        }
        return running;
    }

    /** The controller over {@code seconds}: CPU used (of one core), heap after a full GC, autoscaler pass times. */
    private ObjectNode controllerSample(int seconds) throws Exception {
        ObjectName os = new ObjectName(ManagementFactory.OPERATING_SYSTEM_MXBEAN_NAME);
        ObjectName autoscaler = new ObjectName("io.stratos.lxc:type=Autoscaler");
        long cpu0 = (Long) jmx.getAttribute(os, "ProcessCpuTime");
        long t0 = System.nanoTime();
        jmx.getAttribute(autoscaler, "MaxEvaluationMillis");
        List<Long> passes = new ArrayList<>();
        double max = 0;
        for (int i = 0; i < seconds; i++) {
            Thread.sleep(1000);
            passes.add(Math.round((Double) jmx.getAttribute(autoscaler, "LastEvaluationMillis")));
            max = Math.max(max, (Double) jmx.getAttribute(autoscaler, "MaxEvaluationMillis"));
        }
        long cpu1 = (Long) jmx.getAttribute(os, "ProcessCpuTime");
        long t1 = System.nanoTime();
        ObjectNode sample = json.createObjectNode();
        sample.put("seconds", seconds);
        sample.put("cpuPercentOfOneCore", round(100.0 * (cpu1 - cpu0) / (t1 - t0)));
        sample.put("loadAverage", Files.readString(Path.of("/proc/loadavg")).trim());
        ObjectName memory = new ObjectName(ManagementFactory.MEMORY_MXBEAN_NAME);
        jmx.invoke(memory, "gc", null, null);
        CompositeData heap = (CompositeData) jmx.getAttribute(memory, "HeapMemoryUsage");
        sample.put("heapAfterGcMiB", round(((Long) heap.get("used")) / 1048576.0));
        sample.put("heapCommittedMiB", round(((Long) heap.get("committed")) / 1048576.0));
        sample.put("heapMaxMiB", round(((Long) heap.get("max")) / 1048576.0));
        ObjectNode loop = percentiles(passes);
        loop.put("maxMillis", round(max));
        sample.set("autoscalerPassMillis", loop);
        ObjectName threading = new ObjectName(ManagementFactory.THREAD_MXBEAN_NAME);
        sample.put("threads", (Integer) jmx.getAttribute(threading, "ThreadCount"));
        return sample;
    }

    private ObjectNode percentiles(List<Long> values) {
        ObjectNode node = json.createObjectNode();
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(null);
        node.put("n", sorted.size());
        if (!sorted.isEmpty()) {
            node.put("p50", at(sorted, 0.50)).put("p90", at(sorted, 0.90)).put("p99", at(sorted, 0.99))
                    .put("max", sorted.get(sorted.size() - 1));
        }
        return node;
    }

    static long at(List<Long> sorted, double q) {
        int i = (int) Math.ceil(q * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    private static double round(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private void check(long deadline, String what) {
        if (System.currentTimeMillis() > deadline) {
            throw new IllegalStateException("timed out waiting for " + what);
        }
    }

    private JsonNode send(String method, String path, String body, int... expected) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(api + path)).timeout(Duration.ofSeconds(300))
                .header("Authorization", auth).header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        HttpResponse<String> response = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        for (int e : expected) {
            if (response.statusCode() == e) {
                return response.body().isEmpty() ? json.createObjectNode() : json.readTree(response.body());
            }
        }
        throw new IllegalStateException(method + " " + path + ": " + response.statusCode() + " " + response.body());
    }
}
