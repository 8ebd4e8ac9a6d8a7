package io.stratos.lxc.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratos.lxc.itests.support.ControllerProcess;
import io.stratos.lxc.itests.support.Http;
import io.stratos.lxc.itests.support.TarBuilder;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.After;
import org.junit.Assume;
import org.junit.Before;
import org.junit.Test;

/**
 * Local VMs as network hosts (the local adapter's {@code network = namespace}): each VM is a network namespace of its
 * own with its own address on a bridge the adapter makes, its agent, LXC bridge and containers inside. The controller
 * reaches the VM only at that address, and the router each process at {@code <VM address>:<host port>}, as on a cloud.
 * The test's bridge and subnet are its own (not those of a controller started with ./stratos up on the same host),
 * and all its traffic goes to 127.0.0.1 (the router) and, from the router, into that subnet.
 */
public class NetworkedVmsE2E {

    private static final String BRIDGE = "stratosvmt";
    private static final String SUBNET_PREFIX = "10.216.0.";
    private static final ObjectMapper JSON = new ObjectMapper();
    /** One CGI answering which container served the request: LXC names the container's host after it (the process id). */
    private static final String WHO = "#!/bin/sh\necho 'Content-Type: text/plain'\necho\nhostname\n";

    private ControllerProcess controller;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @Before
    public void startController() throws Exception {
        Assume.assumeTrue("needs root to make network namespaces", "root".equals(System.getProperty("user.name")));
        controller = ControllerProcess.create("controller-netns", Map.of("STRATOS_AGENT_RUNTIMES", "lxc"));
        controller.distribution()
                .configure("io.stratos.lxc.iaas.local.cfg", "network", "namespace")
                .configure("io.stratos.lxc.iaas.local.cfg", "vmBridge", BRIDGE)
                .configure("io.stratos.lxc.iaas.local.cfg", "vmSubnet", SUBNET_PREFIX + "0/24")
                // as ./stratos up: HTTP on 127.0.0.1 only, so the VMs reach the controller through the bridge's relay
                .configure("org.ops4j.pax.web.cfg", "org.ops4j.pax.web.listening.addresses", "127.0.0.1");
        controller.start();
    }

    @After
    public void stopController() throws Exception {
        if (controller != null) {
            controller.close();
        }
    }

    private JsonNode get(String path) throws Exception {
        return JSON.readTree(controller.get(path));
    }

    private List<JsonNode> vms(String state) throws Exception {
        List<JsonNode> list = new ArrayList<>();
        get("/vms").forEach(vm -> {
            if (state == null || state.equals(vm.path("state").asText())) {
                list.add(vm);
            }
        });
        return list;
    }

    private List<JsonNode> running(String alias) throws Exception {
        List<JsonNode> list = new ArrayList<>();
        get("/subscriptions/" + alias + "/processes").forEach(p -> {
            if ("RUNNING".equals(p.path("state").asText()) && !p.path("endpoint").isNull()) {
                list.add(p);
            }
        });
        return list;
    }

    private void deployWhoAmI(String alias) throws Exception {
        byte[] artifact = new TarBuilder().dir("./").file("./index.html", "hi".getBytes(StandardCharsets.UTF_8))
                .dir("./cgi-bin/").entry("./cgi-bin/who", TarBuilder.FILE, 0755, "", WHO.length(), WHO.getBytes(StandardCharsets.UTF_8))
                .gzip();
        HttpResponse<String> answer = Http.send(Http.asAdmin(Http.request(controller.api("/subscriptions/" + alias + "/artifact")))
                .header("Content-Type", "application/gzip").PUT(HttpRequest.BodyPublishers.ofByteArray(artifact)));
        assertTrue(answer.body(), answer.statusCode() == 201 || answer.statusCode() == 202);
    }

    /** Why the last requests failed, for the assertion messages. */
    private final List<String> failureReasons = java.util.Collections.synchronizedList(new ArrayList<>());

    /** GET /&lt;alias&gt;/cgi-bin/who through the router: the serving process's id, or null on any failure. */
    private String who(String alias) {
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + controller.routerPort() + "/" + alias + "/cgi-bin/who"))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                failureReasons.add(response.statusCode() + " " + response.body().substring(0, Math.min(200, response.body().length())));
                return null;
            }
            return response.body().trim();
        } catch (IOException e) {
            failureReasons.add(e.toString());
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    private static String run(String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(String.join(" ", command) + ": " + out, process.waitFor(30, TimeUnit.SECONDS));
        return out;
    }

    /** As {@link #run}, where the program may vanish meanwhile (a VM being deleted): its absence is an empty output. */
    private static String runIfPresent(String... command) throws InterruptedException {
        try {
            return run(command);
        } catch (IOException gone) {
            return "";
        }
    }

    /** The network namespace of a local VM: its name holds the VM's id. */
    private static String namespaceOf(String vmId) throws Exception {
        String namespaces = run("ip", "netns", "list");
        return namespaces.lines().map(l -> l.split("\\s")[0]).filter(n -> n.contains(vmId)).findFirst()
                .orElseThrow(() -> new AssertionError("no network namespace for VM " + vmId + " in: " + namespaces));
    }

    /** Which VM each process runs on, from the controller. */
    private Map<String, String> vmByProcess(String alias) throws Exception {
        Map<String, String> map = new HashMap<>();
        get("/subscriptions/" + alias + "/processes").forEach(p -> map.put(p.path("id").asText(), p.path("vmId").asText()));
        return map;
    }

    /** The VM a response came from: the process id in the container's host name, mapped by the controller. */
    private static String vmOf(String hostname, Map<String, String> vmByProcess) {
        return vmByProcess.entrySet().stream().filter(e -> hostname.contains(e.getKey())).map(Map.Entry::getValue).findFirst().orElse(null);
    }

    private void spreadSixProcessesOverThreeVms() throws Exception {
        controller.expect(201, "POST", "/partitions", "{\"name\":\"web\",\"cartridge\":\"static-httpd\",\"minVms\":3,\"maxVms\":4,"
                + "\"vmCapacity\":{\"cpuMillis\":1000,\"memoryMiB\":512}}");
        await("3 READY VMs").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> vms("READY").size() == 3);
        controller.expect(201, "POST", "/subscriptions",
                "{\"alias\":\"spread\",\"cartridge\":\"static-httpd\",\"minProcesses\":6,\"maxProcesses\":6}");
        deployWhoAmI("spread");
        // the application rolls out one process at a time: wait until all six serve it
        await("6 RUNNING processes with endpoints, all serving the application").atMost(Duration.ofSeconds(180))
                .pollInterval(Duration.ofMillis(250))
                .until(() -> running("spread").stream().filter(p -> p.path("artifact").asInt() == 1).count() == 6
                        && "IDLE".equals(get("/subscriptions/spread/artifact").path("rollout").asText()));
    }

    @Test
    public void eachVmHasItsOwnAddressAndTheRouterReachesProcessesOnEveryVmThere() throws Exception {
        spreadSixProcessesOverThreeVms();

        Map<String, String> addressByVm = new HashMap<>();
        for (JsonNode vm : vms("READY")) {
            String address = vm.path("address").asText();
            assertTrue(vm.toString(), address.startsWith(SUBNET_PREFIX));
            addressByVm.put(vm.path("id").asText(), address);
            // the VM is a namespace of its own, with that address on its link
            assertTrue(run("ip", "netns", "exec", namespaceOf(vm.path("id").asText()), "ip", "-o", "addr").contains(address + "/"));
        }
        assertEquals("three VMs, three addresses", 3, new HashSet<>(addressByVm.values()).size());
        Set<String> vmsWithProcesses = new HashSet<>();
        for (JsonNode p : running("spread")) {
            String vmId = p.path("vmId").asText();
            assertEquals(p.toString(), addressByVm.get(vmId) + ":" + p.path("hostPort").asInt(), p.path("endpoint").asText());
            vmsWithProcesses.add(vmId);
        }
        assertEquals("placement spreads the processes over all three VMs", 3, vmsWithProcesses.size());
        assertTrue("the shell shows the addresses", controller.distribution().client(controller.sshPort(), "stratos:vm-list")
                .contains(addressByVm.values().iterator().next()));

        Map<String, String> vmByProcess = vmByProcess("spread");
        failureReasons.clear();
        Map<String, Integer> servedByVm = new ConcurrentHashMap<>();
        List<String> failures = new ArrayList<>();
        ExecutorService clients = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < 2000; i++) {
                answers.add(clients.submit(() -> who("spread")));
            }
            for (Future<String> answer : answers) {
                String hostname = answer.get(30, TimeUnit.SECONDS);
                String vm = hostname == null ? null : vmOf(hostname, vmByProcess);
                if (vm == null) {
                    failures.add(String.valueOf(hostname));
                } else {
                    servedByVm.merge(vm, 1, Integer::sum);
                }
            }
        } finally {
            clients.shutdownNow();
        }
        assertEquals("failed requests: " + failures.subList(0, Math.min(5, failures.size())) + ", why: "
                + failureReasons.subList(0, Math.min(5, failureReasons.size())), 0, failures.size());
        assertEquals("every VM served some of the 2,000 requests: " + servedByVm, addressByVm.keySet(), servedByVm.keySet());
    }

    @Test
    public void aVmCutFromTheNetworkIsAvoidedWithinTwoSecondsReplacedAndRejoinsWithoutDuplicates() throws Exception {
        spreadSixProcessesOverThreeVms();
        String victim = running("spread").get(0).path("vmId").asText();
        String namespace = namespaceOf(victim);

        // steady load: one request after another on 4 clients, each outcome with its time
        List<long[]> outcomes = java.util.Collections.synchronizedList(new ArrayList<>());
        AtomicBoolean loading = new AtomicBoolean(true);
        ExecutorService clients = Executors.newFixedThreadPool(4);
        for (int i = 0; i < 4; i++) {
            clients.submit(() -> {
                while (loading.get()) {
                    long start = System.nanoTime();
                    String who = who("spread");
                    outcomes.add(new long[] {start, System.nanoTime(), who == null ? 0 : 1});
                }
            });
        }
        Thread.sleep(2000); // the point: the load runs steadily before the cut
        long cut = System.nanoTime();
        run("ip", "netns", "exec", namespace, "ip", "link", "set", "eth0", "down");
        try {
            await("VM " + victim + " LOST and its processes RUNNING elsewhere").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500)).until(() -> vms("LOST").stream().anyMatch(vm -> vm.path("id").asText().equals(victim))
                            && running("spread").size() == 6
                            && running("spread").stream().noneMatch(p -> p.path("vmId").asText().equals(victim)));
            Thread.sleep(2000); // the point: the load goes on after the fail-over, the requests judged below
        } finally {
            loading.set(false);
            clients.shutdown();
            clients.awaitTermination(30, TimeUnit.SECONDS);
        }
        // every request that began 2 s after the cut succeeded
        long after = cut + TimeUnit.SECONDS.toNanos(2);
        List<long[]> late = outcomes.stream().filter(o -> o[0] > after).toList();
        long lateFailures = late.stream().filter(o -> o[2] == 0).count();
        assertTrue("requests after the cut: " + late.size(), late.size() > 20);
        assertEquals("failed requests that began more than 2 s after the link went down", 0, lateFailures);

        // the link comes back: the VM rejoins, empty; its old processes stop, none runs twice
        run("ip", "netns", "exec", namespace, "ip", "link", "set", "eth0", "up");
        await("VM " + victim + " back").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> vms(null).stream().anyMatch(vm -> vm.path("id").asText().equals(victim)
                        && !vm.path("state").asText().equals("LOST")));
        // the partition got a replacement VM meanwhile, so the controller may retire the rejoined one, now empty, as
        // surplus: a VM that is gone (its directory with it) runs no container either
        java.nio.file.Path vmDirectory = controller.vmsDirectory().resolve(victim);
        await("the rejoined VM's old containers stopped").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> !java.nio.file.Files.exists(vmDirectory.resolve("in-vm"))
                        || runIfPresent(vmDirectory.resolve("in-vm").toString(), "lxc-ls", "-P",
                                vmDirectory.resolve("agent-data/containers").toString(), "--running", "-1").isBlank());
        List<JsonNode> serving = running("spread");
        assertEquals(6, serving.size());
        assertEquals("no process twice", 6, serving.stream().map(p -> p.path("id").asText()).distinct().count());
        assertFalse(serving.stream().anyMatch(p -> p.path("vmId").asText().equals(victim)));
    }

    @Test
    public void deletingThePartitionLeavesNoNamespaceVethOrBridgePortBehind() throws Exception {
        controller.expect(201, "POST", "/partitions", "{\"name\":\"web\",\"cartridge\":\"static-httpd\",\"minVms\":2,\"maxVms\":2}");
        await("2 READY VMs").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> vms("READY").size() == 2);
        List<String> ids = vms("READY").stream().map(vm -> vm.path("id").asText()).toList();
        for (String id : ids) {
            namespaceOf(id);
        }

        controller.expect(204, "DELETE", "/partitions/web", null);

        await("no namespace of the partition's VMs").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> ids.stream().noneMatch(id -> {
                    try {
                        return run("ip", "netns", "list").contains(id);
                    } catch (Exception e) {
                        return true;
                    }
                }));
        await("the bridge gone with the last VM").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(250))
                .until(() -> run("ip", "-o", "link", "show", "dev", BRIDGE).contains("does not exist"));
        assertFalse("no veth of the test's bridge left", run("ip", "-o", "link").contains(BRIDGE + "-"));
    }
}
