package io.stratos.lxc.itests.support;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * The built controller distribution running as a process with free ports, plus what end-to-end tests
 * do with it: REST calls, waiting until it is ready, and finding the local VMs (agent JVMs) it started.
 */
public final class ControllerProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Distribution distribution;
    private final int httpPort;
    private final int sshPort;
    private final int jmxPort;
    private final int routerPort;
    private final int vmPortRangeStart;

    private ControllerProcess(Distribution distribution, int httpPort, int sshPort, int jmxPort, int routerPort,
                              int vmPortRangeStart) {
        this.distribution = distribution;
        this.vmPortRangeStart = vmPortRangeStart;
        this.httpPort = httpPort;
        this.sshPort = sshPort;
        this.jmxPort = jmxPort;
        this.routerPort = routerPort;
    }

    /**
     * Unpacks and configures a controller: free ports, a short agent grace period so lost VMs are
     * noticed quickly, and a range of host ports for its local VMs that no other controller of the run has
     * ({@link VmPortRanges}).
     */
    public static ControllerProcess create(String name) throws Exception {
        return create(name, Map.of());
    }

    /**
     * As {@link #create(String)}, with environment variables for the controller, which its local VMs' agents
     * inherit (e.g. {@code STRATOS_AGENT_BRIDGE} and {@code STRATOS_AGENT_BRIDGE_SUBNET} for a bridge of the test's own).
     */
    public static ControllerProcess create(String name, Map<String, String> environment) throws Exception {
        int http = FreePorts.next();
        int ssh = FreePorts.next();
        int jmx = FreePorts.next();
        int router = FreePorts.next();
        int vmPorts = VmPortRanges.next();
        Distribution distribution = Distribution.unpack("stratos.controller.dist", name, environment)
                .configure("org.ops4j.pax.web.cfg", "org.osgi.service.http.port", String.valueOf(http))
                .configure("org.apache.karaf.shell.cfg", "sshPort", String.valueOf(ssh))
                .configure("org.apache.karaf.management.cfg", "rmiRegistryPort", String.valueOf(jmx))
                .configure("org.apache.karaf.management.cfg", "rmiServerPort", String.valueOf(FreePorts.next()))
                .configure("io.stratos.lxc.router.cfg", "port", String.valueOf(router))
                .configure("io.stratos.lxc.controller.cfg", "routerPort", String.valueOf(router))
                .configure("io.stratos.lxc.controller.cfg", "agentGracePeriodSeconds", "6")
                .configure("io.stratos.lxc.controller.cfg", "desiredStateLongPollSeconds", "3")
                .configure("io.stratos.lxc.iaas.local.cfg", "portRangeStart", String.valueOf(vmPorts))
                .configure("io.stratos.lxc.iaas.local.cfg", "maxVms", String.valueOf(VmPortRanges.VMS))
                // VMs on this host's network unless a test asks for namespaces (NetworkedVmsE2E, with a bridge of its own)
                .configure("io.stratos.lxc.iaas.local.cfg", "network", "host");
        return new ControllerProcess(distribution, http, ssh, jmx, router, vmPorts);
    }

    /** The first host port of its local VMs' ranges (the first VM's processes are published from here). */
    public int vmPortRangeStart() {
        return vmPortRangeStart;
    }

    public Distribution distribution() {
        return distribution;
    }

    public int sshPort() {
        return sshPort;
    }

    public int jmxPort() {
        return jmxPort;
    }

    public int httpPort() {
        return httpPort;
    }

    /** The router's port: {@code http://127.0.0.1:<routerPort>/<alias>/}. */
    public int routerPort() {
        return routerPort;
    }

    /** Starts it and waits until the local adapter is up and the controller's resources are published. */
    public ControllerProcess start() throws Exception {
        distribution.start();
        awaitReady();
        if (!preloaded) {
            // a partition needs its cartridge in the store (400 before), and the first start preloads static-httpd
            awaitCartridge("static-httpd");
            preloaded = true;
        }
        return this;
    }

    private boolean preloaded;

    public void awaitReady() throws Exception {
        Await.success("the controller", Duration.ofSeconds(90), () -> {
            String status = Http.get(api("/status")).body();
            assertEquals(status, "ACTIVE", Json.componentState(status, "iaas-local"));
            assertEquals(200, Http.get(api("/subscriptions")).statusCode());
            assertEquals(200, Http.get(api("/cartridges")).statusCode());
            // the last of the suite's resources to come up, published with the others
            assertEquals(200, Http.get(api("/autoscale-policies")).statusCode());
            assertEquals(200, Http.get(api("/router")).statusCode());
            return null;
        });
    }

    /** The store uploads preloaded images on its first start, while REST may already answer: wait for one. */
    public void awaitCartridge(String name) throws Exception {
        Await.success("the cartridge " + name, Duration.ofSeconds(60), () -> {
            assertTrue(Json.strings(get("/cartridges"), "name").contains(name));
            return null;
        });
    }

    public String api(String path) {
        return "http://127.0.0.1:" + httpPort + "/stratos/api/v1" + path;
    }

    public HttpResponse<String> send(String method, String path, String json) throws Exception {
        HttpRequest.Builder builder = Http.request(api(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** The admin every test distribution has (see {@link TestUsers}); tenants are alice and bob. */
    public String adminUser() {
        return TestUsers.ADMIN;
    }

    public String adminPassword() {
        return TestUsers.ADMIN_PASSWORD;
    }

    /** Sends as another user (a tenant, or wrong credentials); null user sends no credentials at all. */
    public HttpResponse<String> sendAs(String user, String password, String method, String path, String json) throws Exception {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(api(path))).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (user != null) {
            builder.header("Authorization", TestUsers.basic(user, password));
        }
        return HTTP.send(builder.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Headers every call to the API carries (credentials, once the API asks for them): requests that
     * tests build themselves ({@link #raw}) get them from here.
     */
    public Map<String, String> apiHeaders() {
        return Map.of("Authorization", TestUsers.admin());
    }

    /**
     * Any request to the API over a plain socket: {@code target} is sent as it is after {@code /stratos/api/v1}
     * (or, starting with {@code /stratos/}, as it is), with {@link #apiHeaders()} added.
     */
    public RawHttp.Response raw(String method, String target, Map<String, String> headers, byte[] body) throws Exception {
        Map<String, String> all = new java.util.LinkedHashMap<>(apiHeaders());
        all.putAll(headers);
        String path = target.startsWith("/stratos/") ? target : "/stratos/api/v1" + target;
        return RawHttp.exchange(httpPort, method, path, all, body, 60_000);
    }

    /** A chunked body streamed to the API (see {@link RawHttp#stream}), with {@link #apiHeaders()} added. */
    public RawHttp.Streamed stream(String method, String target, Map<String, String> headers, String prefix, long total)
            throws Exception {
        Map<String, String> all = new java.util.LinkedHashMap<>(apiHeaders());
        all.putAll(headers);
        return RawHttp.stream(httpPort, method, "/stratos/api/v1" + target, all,
                prefix.getBytes(java.nio.charset.StandardCharsets.UTF_8), total, (byte) 'a');
    }

    public String get(String path) throws Exception {
        return Http.get(api(path)).body();
    }

    /** Sends and checks the status, returning the body. */
    public String expect(int status, String method, String path, String json) throws Exception {
        HttpResponse<String> response = send(method, path, json);
        assertEquals(method + " " + path + ": " + response.body(), status, response.statusCode());
        return response.body();
    }

    public Path vmsDirectory() {
        return vmsDirectory != null ? vmsDirectory : distribution.home().resolve("data/iaas-local");
    }

    /** Where its local adapter keeps its VMs, when configured elsewhere than under its data directory. */
    public ControllerProcess vmsDirectory(Path directory) {
        this.vmsDirectory = directory;
        return this;
    }

    private Path vmsDirectory;

    /** Agent JVMs started by this controller's local adapter. */
    public List<ProcessHandle> agents() {
        String vmsDir = vmsDirectory().toString();
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(a -> String.join(" ", a).contains(vmsDir)).orElse(false))
                .toList();
    }

    /** Names of the running LXC containers on one of this controller's local VMs. */
    public List<String> runningContainers(String vmId) throws java.io.IOException, InterruptedException {
        Path lxcpath = vmsDirectory().resolve(vmId).resolve("agent-data/containers");
        if (!java.nio.file.Files.isDirectory(lxcpath)) {
            return List.of();
        }
        Process ls = new ProcessBuilder("lxc-ls", "-P", lxcpath.toString(), "--running", "-1").redirectErrorStream(true).start();
        String out = new String(ls.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        ls.waitFor();
        return out.lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
    }

    /** Deletes what the test created (destroying VMs and their containers), then stops the controller. */
    @Override
    public void close() throws Exception {
        try {
            for (String alias : Json.strings(get("/subscriptions"), "alias")) {
                send("DELETE", "/subscriptions/" + alias, null);
            }
            for (String partition : Json.strings(get("/partitions"), "name")) {
                send("DELETE", "/partitions/" + partition, null);
            }
        } catch (Exception e) {
            // the controller may be down if the test failed midway
        }
        distribution.close();
        // Anything left (a test that killed the controller for good): kill agents and remove their containers. A VM
        // the controller was booting may start its agent a moment after the controller is gone: sweep until two
        // sweeps half a second apart find none.
        for (int quiet = 0, sweeps = 0; quiet < 2 && sweeps < 20; sweeps++) {
            List<ProcessHandle> left = agents();
            left.forEach(ProcessHandle::destroyForcibly);
            quiet = left.isEmpty() ? quiet + 1 : 0;
            if (quiet < 2) {
                Thread.sleep(500); // the point: sweeps half a second apart (see above)
            }
        }
        Path vms = vmsDirectory();
        if (java.nio.file.Files.isDirectory(vms)) {
            try (var dirs = java.nio.file.Files.list(vms)) {
                for (Path vm : dirs.toList()) {
                    Path cleanup = vm.resolve("home/bin/stratos-agent-cleanup");
                    if (java.nio.file.Files.isExecutable(cleanup)) {
                        // as ./stratos down --vms: inside the VM (its network namespace, if it has one), then its network
                        List<String> command = new java.util.ArrayList<>();
                        if (java.nio.file.Files.isExecutable(vm.resolve("in-vm"))) {
                            command.add(vm.resolve("in-vm").toString());
                        }
                        command.addAll(List.of(cleanup.toString(), vm.resolve("agent-data").toString(), vm.getFileName().toString()));
                        new ProcessBuilder(command).inheritIO().start().waitFor();
                    }
                    if (java.nio.file.Files.isExecutable(vm.resolve("remove-network"))) {
                        new ProcessBuilder(vm.resolve("remove-network").toString()).inheritIO().start().waitFor();
                    }
                }
            }
        }
    }
}
