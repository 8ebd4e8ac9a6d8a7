package io.stratos.lxc.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratos.lxc.itests.support.Await;
import io.stratos.lxc.itests.support.Distribution;
import io.stratos.lxc.itests.support.FreePorts;
import io.stratos.lxc.itests.support.Http;
import io.stratos.lxc.itests.support.Json;
import io.stratos.lxc.itests.support.UnixSocketBridge;
import io.stratos.lxc.itests.support.VmPortRanges;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.After;
import org.junit.Assume;
import org.junit.Before;
import org.junit.Test;

/**
 * The controller distribution with the optional jclouds adapter ({@code feature:install stratos-iaas-jclouds})
 * and jclouds' docker provider against the local dockerd: the partition's "VM" is a container of an image
 * holding a JRE 17 and LXC (built by jclouds-vm-image.sh, no registry pull) on a docker network the test owns,
 * where it has an address of its own: the VM's address. It runs the agent distribution (mounted from the controller
 * distribution) with the VM's join token; the agent reaches the controller on the network's gateway, registers
 * with that address and runs a static-httpd subscription as an LXC container inside the VM container (privileged,
 * or every capability this host has), published on {@code <VM address>:<host port>}, where the router on the host
 * reaches it. The VM outlives an adapter bundle swap and a kill -9 of the controller; deleting the partition removes
 * the container and any docker container labelled with the VM. Traffic goes only to 127.0.0.1 and to the test's
 * network.
 *
 * <p>Not tested: an agent offering the docker runtime through the host's mounted socket (network mode host). Its
 * cartridge containers are siblings in a pid namespace of their own, which the agent cannot see: "container ... has
 * no process the agent can see (pid ...): it exited at once, or dockerd runs in another pid namespace", and jclouds
 * 2.1 cannot give the VM container the host's pid namespace.
 *
 * <p>dockerd's TCP endpoint is 127.0.0.1:2375 ({@code scripts/host-setup.sh} starts it so). When dockerd listens
 * on its unix socket only, the test bridges a free loopback port to the socket for its own duration
 * ({@code -Dstratos.docker.socketBridge=false} skips instead); without any dockerd it is skipped.
 */
public class JcloudsVmsE2E {

    private static final String DOCKER = "/usr/bin/docker";
    private static final Path DOCKER_SOCKET = Path.of("/var/run/docker.sock");
    private static final String GROUP = "stratos-e2e";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The docker network the test owns for VMs with addresses of their own, and the host's address on it. */
    private static final String VM_NETWORK = "stratos-e2e-vmnet";
    private static final String VM_SUBNET = "10.215.0.0/24";
    private static final String VM_GATEWAY = "10.215.0.1";
    /** Capability numbers of /proc/self/status as docker names them. */
    private static final List<String> CAPABILITIES = List.of("CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL",
            "SETGID", "SETUID", "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN", "NET_RAW", "IPC_LOCK",
            "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE", "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE",
            "SYS_RESOURCE", "SYS_TIME", "SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP", "MAC_OVERRIDE",
            "MAC_ADMIN", "SYSLOG", "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ", "PERFMON", "BPF", "CHECKPOINT_RESTORE");

    private Distribution controller;
    private UnixSocketBridge bridge;
    private String endpoint;
    private int httpPort;
    private int sshPort;
    private int routerPort;
    private String image;

    @Before
    public void setUp() throws Exception {
        endpoint = dockerEndpoint();
        long started = System.nanoTime();
        image = buildVmImage();
        log("VM image %s ready in %d ms", image, (System.nanoTime() - started) / 1_000_000);
        removeGroupContainers();
        removeVmNetwork();
    }

    /**
     * Unpacks and starts the controller with the jclouds adapter's configuration: the VM container on the test's docker
     * network, with its own address there, its processes LXC containers inside it, its agent reaching the controller
     * on the network's gateway.
     */
    private void startController() throws Exception {
        httpPort = FreePorts.next();
        sshPort = FreePorts.next();
        routerPort = FreePorts.next();
        controller = Distribution.unpack("stratos.controller.dist", "controller-jclouds", Map.of())
                .configure("io.stratos.lxc.router.cfg", "port", String.valueOf(routerPort))
                .configure("io.stratos.lxc.controller.cfg", "routerPort", String.valueOf(routerPort))
                .configure("org.ops4j.pax.web.cfg", "org.osgi.service.http.port", String.valueOf(httpPort))
                .configure("org.apache.karaf.shell.cfg", "sshPort", String.valueOf(sshPort))
                .configure("org.apache.karaf.management.cfg", "rmiRegistryPort", String.valueOf(FreePorts.next()))
                .configure("org.apache.karaf.management.cfg", "rmiServerPort", String.valueOf(FreePorts.next()))
                .configure("io.stratos.lxc.controller.cfg", "agentGracePeriodSeconds", "15")
                .configure("io.stratos.lxc.controller.cfg", "desiredStateLongPollSeconds", "5");
        // The adapter's configuration is there before the feature: its <configfile> never overwrites it.
        String agentTarball = controller.home().resolve("agent/stratos-lxc-agent.tar.gz").toString();
        controller.configure("io.stratos.lxc.iaas.jclouds.cfg", "provider", "docker")
                .configure("io.stratos.lxc.iaas.jclouds.cfg", "endpoint", endpoint)
                .configure("io.stratos.lxc.iaas.jclouds.cfg", "imageId", image)
                .configure("io.stratos.lxc.iaas.jclouds.cfg", "group", GROUP)
                .configure("io.stratos.lxc.iaas.jclouds.cfg", "portRangeStart", String.valueOf(VmPortRanges.next()))
                .configure("io.stratos.lxc.iaas.jclouds.cfg", "portsPerVm", "100");
        // The controller listens on 127.0.0.1 (as ./stratos up has it) and on the gateway, the host's address on
        // the VMs' network (it exists before the controller starts), which the agents are given as controllerUrl.
        controller.configure("org.ops4j.pax.web.cfg", "org.ops4j.pax.web.listening.addresses", "127.0.0.1," + VM_GATEWAY)
                .configure("io.stratos.lxc.controller.cfg", "controllerUrl", "http://" + VM_GATEWAY + ":" + httpPort + "/stratos")
                .configure("io.stratos.lxc.iaas.jclouds.cfg", "networkMode", VM_NETWORK)
                .configure("io.stratos.lxc.iaas.jclouds.cfg", "agentEnvironment", "STRATOS_AGENT_RUNTIMES=lxc")
                .configure("io.stratos.lxc.iaas.jclouds.cfg", "volumes", agentTarball + ":/opt/stratos/stratos-lxc-agent.tar.gz");
        List<String> missing = missingCapabilities();
        if (missing.isEmpty()) {
            controller.configure("io.stratos.lxc.iaas.jclouds.cfg", "privileged", "true");
        } else {
            // docker run --privileged fails here (runc: "unable to apply caps: operation not permitted"): every
            // capability but the ones this host's dockerd lacks, and no seccomp or AppArmor profile, is what LXC needs
            log("this host lacks %s: the VM container gets every other capability instead of --privileged", missing);
            controller.configure("io.stratos.lxc.iaas.jclouds.cfg", "capAdd", "ALL")
                    .configure("io.stratos.lxc.iaas.jclouds.cfg", "capDrop", String.join(",", missing))
                    .configure("io.stratos.lxc.iaas.jclouds.cfg", "securityOpt", "seccomp=unconfined,apparmor=unconfined");
        }
        controller.start();
        Await.success("the controller's REST API with the preloaded static-httpd cartridge", Duration.ofSeconds(90), () -> {
            assertEquals(200, Http.get(api("/partitions")).statusCode());
            assertTrue(Json.strings(Http.get(api("/cartridges")).body(), "name").contains("static-httpd"));
            return null;
        });
    }

    /** 127.0.0.1:2375 when dockerd listens there; else a bridge to its unix socket; else the test is skipped. */
    private String dockerEndpoint() throws Exception {
        Assume.assumeTrue("no docker CLI at " + DOCKER, Files.isExecutable(Path.of(DOCKER)));
        Assume.assumeTrue("dockerd does not answer: start it (scripts/host-setup.sh)", run(List.of(DOCKER, "version"), 30).exitCode == 0);
        if (reachable(2375)) {
            return "http://127.0.0.1:2375";
        }
        Assume.assumeTrue("dockerd has no TCP endpoint on 127.0.0.1:2375, which jclouds' docker provider needs: start dockerd with"
                        + " --host tcp://127.0.0.1:2375 (scripts/host-setup.sh does), or allow the test's own bridge (stratos.docker.socketBridge)",
                Boolean.parseBoolean(System.getProperty("stratos.docker.socketBridge", "true")) && Files.exists(DOCKER_SOCKET));
        bridge = new UnixSocketBridge(DOCKER_SOCKET);
        log("dockerd has no TCP endpoint on 127.0.0.1:2375: bridging 127.0.0.1:%d to %s for this test", bridge.port(), DOCKER_SOCKET);
        return "http://127.0.0.1:" + bridge.port();
    }

    private static boolean reachable(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String buildVmImage() throws Exception {
        Path script = Path.of(JcloudsVmsE2E.class.getResource("/jclouds-vm-image.sh").toURI());
        Result result = run(List.of("sh", script.toString()), 900);
        if (result.exitCode != 0) {
            throw new AssertionError("jclouds-vm-image.sh failed: " + result.output);
        }
        String[] lines = result.output.trim().split("\n");
        return lines[lines.length - 1].trim();
    }

    @After
    public void tearDown() throws Exception {
        try {
            if (controller != null) {
                try {
                    send("DELETE", "/subscriptions/jcweb", null);
                    send("DELETE", "/partitions/jc", null);
                } catch (Exception e) {
                    // the controller may be down if the test failed midway
                }
                controller.close();
            }
        } finally {
            removeGroupContainers();
            removeVmNetwork();
            if (bridge != null) {
                bridge.close();
            }
        }
    }

    private String api(String path) {
        return "http://127.0.0.1:" + httpPort + "/stratos/api/v1" + path;
    }

    private HttpResponse<String> send(String method, String path, String json) throws Exception {
        HttpRequest.Builder builder = Http.request(api(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return HttpClient.newHttpClient().send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Containers of our jclouds group (the VMs), running or not. */
    private static List<String> groupContainers() throws Exception {
        Result result = run(List.of(DOCKER, "ps", "-a", "--filter", "name=^/" + GROUP + "-", "--format", "{{.Names}}"), 30);
        List<String> names = new ArrayList<>();
        for (String line : result.output.split("\n")) {
            if (!line.isBlank()) {
                names.add(line.trim());
            }
        }
        return names;
    }

    private static void removeGroupContainers() throws Exception {
        for (String name : groupContainers()) {
            run(List.of(DOCKER, "rm", "-f", name), 30);
        }
        Result strays = run(List.of(DOCKER, "ps", "-aq", "--filter", "name=^/stratos-jce2e-"), 30);
        for (String id : strays.output.split("\\s+")) {
            if (!id.isBlank()) {
                run(List.of(DOCKER, "rm", "-f", id), 30);
            }
        }
    }

    /**
     * The VM container on the test's docker network: its own address there is the VM's address, its agent runs the
     * process as an LXC container inside it and publishes it on that address, where the router reaches it.
     */
    @Test
    public void aVmOnItsOwnDockerNetworkRunsItsProcessesInsideWithLxcReachedByTheRouterAtItsAddress() throws Exception {
        Result network = run(List.of(DOCKER, "network", "create", "--subnet", VM_SUBNET, "--gateway", VM_GATEWAY, VM_NETWORK), 30);
        assertEquals(network.output, 0, network.exitCode);
        startController();
        String output = controller.client(sshPort, "feature:install stratos-iaas-jclouds");
        awaitAdapter("feature:install said: " + output);

        long created = System.nanoTime();
        HttpResponse<String> partition = send("POST", "/partitions", "{\"name\":\"jc\",\"cartridge\":\"static-httpd\",\"adapter\":\"jclouds\","
                + "\"minVms\":1,\"maxVms\":1,\"vmCapacity\":{\"cpuMillis\":1000,\"memoryMiB\":512},\"template\":{\"network\":\"" + VM_SUBNET + "\"}}");
        assertEquals(partition.body(), 201, partition.statusCode());
        String container = Await.success("the VM's container", Duration.ofSeconds(60), () -> {
            List<String> names = groupContainers();
            assertEquals(names.toString(), 1, names.size());
            return names.get(0);
        });
        // jclouds creates the container, then starts it: its address on the network comes with the start
        String address = Await.success("the VM container's address on " + VM_NETWORK, Duration.ofSeconds(60), () -> {
            String found = run(List.of(DOCKER, "inspect", "--format", "{{(index .NetworkSettings.Networks \"" + VM_NETWORK + "\").IPAddress}}",
                    container), 30).output.trim();
            assertTrue("the VM container's address on " + VM_NETWORK + ": " + found, found.startsWith("10.215.0.") && !found.equals(VM_GATEWAY));
            return found;
        });

        JsonNode vm = Await.success("the VM READY (its agent registered) at its container's address", Duration.ofSeconds(120), () -> {
            JsonNode vms = JSON.readTree(Http.get(api("/vms")).body());
            assertEquals(vms + "\n" + dockerLogs(container), 1, vms.size());
            assertEquals(vms + "\n" + dockerLogs(container), "READY", vms.get(0).path("state").asText());
            return vms.get(0);
        });
        String vmId = vm.path("id").asText();
        assertEquals(GROUP + "-" + vmId, container);
        assertEquals("GET /vms shows the VM container's address: " + vm, address, vm.path("address").asText());
        assertEquals("the agent in the VM container offers LXC: " + vm, "[\"lxc\"]", vm.path("runtimes").toString());
        log("partition created -> VM container %s at %s -> agent READY in %d ms", container, address, (System.nanoTime() - created) / 1_000_000);

        assertEquals(201, send("POST", "/subscriptions", "{\"alias\":\"jcweb\",\"cartridge\":\"static-httpd\"}").statusCode());
        long subscribed = System.nanoTime();
        JsonNode process = Await.success("jcweb RUNNING on " + vmId + " with an endpoint", Duration.ofSeconds(120), () -> {
            JsonNode processes = JSON.readTree(Http.get(api("/subscriptions/jcweb/processes")).body());
            assertEquals(processes.toString(), 1, processes.size());
            JsonNode p = processes.get(0);
            assertEquals(processes.toString(), vmId, p.path("vmId").asText());
            assertEquals(processes + "\n" + dockerLogs(container), "RUNNING", p.path("state").asText());
            return p;
        });
        int hostPort = process.path("hostPort").asInt();
        assertEquals("the process's endpoint is the VM's address: " + process, address + ":" + hostPort, process.path("endpoint").asText());
        // the process is an LXC container inside the VM container (docker top lists its cgroup's processes, nested
        // ones too), and no docker container on this host belongs to the VM
        Result top = run(List.of(DOCKER, "top", container), 30);
        assertTrue(top.output, top.output.contains("httpd"));
        assertEquals("", run(List.of(DOCKER, "ps", "-aq", "--filter", "label=io.stratos.lxc.owner=" + vmId), 30).output.trim());
        String page = Await.success("the VM's address serving the process", Duration.ofSeconds(30), () -> {
            String body = Http.get("http://" + address + ":" + hostPort + "/").body();
            assertTrue(body, body.contains("Hello from the static-httpd cartridge"));
            return body;
        });
        log("subscribed -> process RUNNING at %s:%d in %d ms (%d bytes)", address, hostPort, (System.nanoTime() - subscribed) / 1_000_000,
                page.length());
        Await.success("the router reaching the process at the VM's address", Duration.ofSeconds(60), () -> {
            HttpResponse<String> routed = Http.get("http://127.0.0.1:" + routerPort + "/jcweb/");
            assertEquals(routed.body(), 200, routed.statusCode());
            assertTrue(routed.body(), routed.body().contains("Hello from the static-httpd cartridge"));
            return null;
        });
        log("GET http://127.0.0.1:%d/jcweb/ through the router -> 200 from %s:%d", routerPort, address, hostPort);

        // Hot swap: the adapter bundle goes away; the VM keeps running, the partition says so; it comes back.
        controller.client(sshPort, "bundle:stop stratos-iaas-jclouds");
        Await.success("ADAPTER_UNAVAILABLE", Duration.ofSeconds(15), () -> {
            assertEquals("ADAPTER_UNAVAILABLE", Json.at(Http.get(api("/partitions/jc")).body(), "/state"));
            return null;
        });
        assertEquals(List.of(container), groupContainers());
        controller.client(sshPort, "bundle:start stratos-iaas-jclouds");
        Await.success("ACTIVE again", Duration.ofSeconds(30), () -> {
            assertEquals("ACTIVE", Json.at(Http.get(api("/partitions/jc")).body(), "/state"));
            assertEquals(1, Json.count(Http.get(api("/vms")).body(), "state", "READY"));
            return null;
        });

        // kill -9 of the controller: the VM container and its process live on; after a restart the same VM is READY
        // again at the same address, its process on the same endpoint, reached through the router.
        controller.kill();
        assertEquals(List.of(container), groupContainers());
        long restarted = System.nanoTime();
        controller.start();
        Await.success("the same VM READY at its address after the controller's restart", Duration.ofSeconds(90), () -> {
            JsonNode vms = JSON.readTree(Http.get(api("/vms")).body());
            assertEquals(vms.toString(), 1, vms.size());
            assertEquals(vms.toString(), vmId, vms.get(0).path("id").asText());
            assertEquals(vms.toString(), "READY", vms.get(0).path("state").asText());
            assertEquals(vms.toString(), address, vms.get(0).path("address").asText());
            return null;
        });
        log("controller kill -9 and restart -> VM %s READY again in %d ms", vmId, (System.nanoTime() - restarted) / 1_000_000);
        // The agent calls in as soon as REST is up; the adapter bundle may come later. Deleting the partition before
        // it is back would forget the VM without destroying it (the controller's behaviour today).
        awaitAdapter("after the restart");
        assertEquals(List.of(container), groupContainers());
        Await.success("the process survived the controller's crash on the same endpoint, through the router", Duration.ofSeconds(90), () -> {
            JsonNode processes = JSON.readTree(Http.get(api("/subscriptions/jcweb/processes")).body());
            assertEquals(processes.toString(), 1, processes.size());
            assertEquals(processes.toString(), "RUNNING", processes.get(0).path("state").asText());
            assertEquals(processes.toString(), address + ":" + hostPort, processes.get(0).path("endpoint").asText());
            HttpResponse<String> routed = Http.get("http://127.0.0.1:" + routerPort + "/jcweb/");
            assertEquals(routed.body(), 200, routed.statusCode());
            return null;
        });
        assertEquals(204, send("DELETE", "/subscriptions/jcweb", null).statusCode());

        // A docker container labelled with the VM (as an agent offering the docker runtime through a mounted socket
        // labels its cartridge containers): destroying the VM must remove it too.
        String cartridge = "stratos-jce2e-" + vmId;
        Result started = run(List.of(DOCKER, "run", "-d", "--network", "none", "--name", cartridge, "--label", "io.stratos.lxc.owner=" + vmId,
                image, "sleep", "600"), 60);
        assertEquals(started.output, 0, started.exitCode);

        long deleting = System.nanoTime();
        HttpResponse<String> deleted = send("DELETE", "/partitions/jc", null);
        assertTrue(deleted.body(), deleted.statusCode() / 100 == 2);
        Await.success("the VM's container and the containers labelled with it gone", Duration.ofSeconds(60), () -> {
            assertEquals(List.of(), groupContainers());
            assertEquals("", run(List.of(DOCKER, "ps", "-aq", "--filter", "name=^/" + cartridge + "$"), 30).output.trim());
            return null;
        });
        log("partition deleted -> container gone in %d ms", (System.nanoTime() - deleting) / 1_000_000);
    }

    /** The capabilities this process (root, like dockerd here) cannot have: docker run --privileged fails without them. */
    private static List<String> missingCapabilities() throws IOException {
        long bounding = 0;
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("CapBnd:")) {
                bounding = Long.parseUnsignedLong(line.substring(7).trim(), 16);
            }
        }
        List<String> missing = new ArrayList<>();
        for (int bit = 0; bit < CAPABILITIES.size(); bit++) {
            if ((bounding & (1L << bit)) == 0) {
                missing.add(CAPABILITIES.get(bit));
            }
        }
        return missing;
    }

    private static void removeVmNetwork() throws Exception {
        if (run(List.of(DOCKER, "network", "inspect", VM_NETWORK), 30).exitCode == 0) {
            Result removed = run(List.of(DOCKER, "network", "rm", VM_NETWORK), 30);
            if (removed.exitCode != 0) {
                log("cannot remove network %s: %s", VM_NETWORK, removed.output);
            }
        }
    }

    /** The adapter's status entry turns ACTIVE (configured, jclouds context built). */
    private void awaitAdapter(String context) throws Exception {
        Await.success("the jclouds adapter ACTIVE", Duration.ofSeconds(60), () -> {
            String status = Http.get(api("/status")).body();
            assertEquals(status + "\n" + context, "ACTIVE", Json.componentState(status, "iaas-jclouds"));
            return null;
        });
    }

    private static String dockerLogs(String container) {
        try {
            Result logs = run(List.of(DOCKER, "logs", "--tail", "30", container), 30);
            return "docker logs " + container + ":\n" + logs.output;
        } catch (Exception e) {
            return "(no docker logs: " + e + ")";
        }
    }

    private record Result(int exitCode, String output) {
    }

    private static Result run(List<String> command, int timeoutSeconds) throws Exception {
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError(String.join(" ", command) + " timed out");
        }
        return new Result(process.exitValue(), output);
    }

    private static void log(String format, Object... args) {
        System.out.printf("[JcloudsVmsE2E] " + format + "%n", args);
    }
}
