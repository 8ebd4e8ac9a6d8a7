package io.stratos.lxc.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import io.stratos.lxc.itests.support.Await;
import io.stratos.lxc.itests.support.ControllerProcess;
import io.stratos.lxc.itests.support.FreePorts;
import io.stratos.lxc.itests.support.Http;
import io.stratos.lxc.itests.support.Json;
import io.stratos.lxc.itests.support.TarBuilder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * Application artifacts end to end, on the built controller distribution with real LXC processes of the php cartridge
 * (cartridges/php/build.sh): the user's index.php served through the router, a new version rolled out process by
 * process while a request loop on 127.0.0.1 sees no failure, a broken version stopped with the old one still serving,
 * the same from a git repository served by {@code git daemon} on 127.0.0.1 with the refresh webhook, and bad input
 * refused with the running version untouched.
 */
public class ArtifactsE2E {

    private static final Path PHP_IMAGE = Path.of(System.getProperty("stratos.root", ".."), "cartridges/php/target/php-8.2.0.tar.gz");

    private ControllerProcess controller;
    private Process gitDaemon;

    @Before
    public void startController() throws Exception {
        assertTrue("the php cartridge image is built first: cartridges/php/build.sh (./stratos test does it): " + PHP_IMAGE.toAbsolutePath(),
                Files.isRegularFile(PHP_IMAGE));
        controller = ControllerProcess.create("controller-artifacts");
        controller.distribution()
                .configure("io.stratos.lxc.controller.cfg", "rolloutHealthTimeoutSeconds", "15")
                // written before the first start, so the feature's own file is not installed: name what it would set
                .configure("io.stratos.lxc.store.cfg", "preloadDirectory", "${karaf.home}/cartridges")
                .configure("io.stratos.lxc.store.cfg", "maxArtifactBytes", String.valueOf(1024 * 1024))
                .configure("io.stratos.lxc.git.cfg", "timeoutSeconds", "10")
                .configure("io.stratos.lxc.git.cfg", "allowedHosts", "127.0.0.1");
        controller.start();
        HttpResponse<String> uploaded = Http.send(Http.asAdmin(Http.request(controller.api("/cartridges/php/versions/8.2.0")))
                .header("Content-Type", "application/gzip").timeout(Duration.ofMinutes(2))
                .PUT(HttpRequest.BodyPublishers.ofFile(PHP_IMAGE)));
        assertEquals(uploaded.body(), 201, uploaded.statusCode());
        controller.expect(201, "POST", "/partitions",
                "{\"name\":\"php\",\"cartridge\":\"php\",\"minVms\":1,\"maxVms\":1,\"vmCapacity\":{\"cpuMillis\":4000,\"memoryMiB\":4096}}");
        controller.expect(201, "POST", "/subscriptions", "{\"alias\":\"shop\",\"cartridge\":\"php\",\"minProcesses\":2,\"maxProcesses\":4}");
    }

    @After
    public void stop() throws Exception {
        if (gitDaemon != null) {
            gitDaemon.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        controller.close();
    }

    private String router(String path) {
        return "http://127.0.0.1:" + controller.routerPort() + "/shop" + path;
    }

    /** Waits for the router to serve the subscription; on failure says what its processes are doing. */
    private void awaitServing() throws Exception {
        try {
            Http.awaitOk(router("/"), Duration.ofSeconds(120));
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "\nprocesses: " + controller.get("/subscriptions/shop/processes"), e);
        }
    }

    private static byte[] app(String page) {
        return new TarBuilder().dir("./").file("./index.php", page.getBytes(StandardCharsets.UTF_8)).gzip();
    }

    private HttpResponse<String> deploy(byte[] artifact) throws Exception {
        return Http.send(Http.asAdmin(Http.request(controller.api("/subscriptions/shop/artifact")))
                .header("Content-Type", "application/gzip").timeout(Duration.ofSeconds(60))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(artifact)));
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> artifact() throws Exception {
        return (Map<String, Object>) Json.parse(controller.get("/subscriptions/shop/artifact"));
    }

    private static int number(Map<String, Object> status, String field) {
        return ((Number) status.get(field)).intValue();
    }

    /** Waits until the version is deployed everywhere and every process answers with its page. */
    private void awaitDeployed(int version, String page) throws Exception {
        Await.success("artifact version " + version + " serving everywhere", Duration.ofSeconds(120), () -> {
            Map<String, Object> status = artifact();
            assertEquals(status.toString(), version, number(status, "deployed"));
            // IDLE, or FAILED after a version that did not roll out: either way nothing is rolling
            assertTrue(status.toString(), List.of("IDLE", "FAILED").contains(status.get("rollout")));
            return null;
        });
        for (int i = 0; i < 10; i++) {
            assertEquals(page, Http.get(router("/")).body().trim());
        }
    }

    /** Requests through the router until stopped: counts answers per page and failures (anything but a 200). */
    private static final class RequestLoop implements AutoCloseable {
        final Map<String, AtomicInteger> pages = new ConcurrentHashMap<>();
        final AtomicInteger failures = new AtomicInteger();
        final List<String> failureSamples = new java.util.concurrent.CopyOnWriteArrayList<>();
        final AtomicBoolean running = new AtomicBoolean(true);
        final Thread thread;

        RequestLoop(String url) {
            thread = new Thread(() -> {
                while (running.get()) {
                    try {
                        HttpResponse<String> response = Http.get(url);
                        if (response.statusCode() == 200) {
                            pages.computeIfAbsent(response.body().trim(), k -> new AtomicInteger()).incrementAndGet();
                        } else {
                            failures.incrementAndGet();
                            failureSamples.add(response.statusCode() + " " + response.body());
                        }
                    } catch (Exception e) {
                        failures.incrementAndGet();
                        failureSamples.add(e.toString());
                    }
                }
            }, "request-loop");
            thread.start();
        }

        int total() {
            return pages.values().stream().mapToInt(AtomicInteger::get).sum() + failures.get();
        }

        @Override
        public void close() throws InterruptedException {
            running.set(false);
            thread.join(10_000);
        }
    }

    @Test
    public void anUploadedApplicationRollsOutWithoutAFailedRequestAndABrokenOneRollsBack() throws Exception {
        awaitServing();
        assertTrue(Http.get(router("/")).body().contains("Hello from the php cartridge"));

        assertEquals(202, deploy(app("<?php echo 'version one';")).statusCode());
        awaitDeployed(1, "version one");

        Map<String, AtomicInteger> pages;
        try (RequestLoop loop = new RequestLoop(router("/"))) {
            HttpResponse<String> second = deploy(app("<?php echo 'version two';"));
            assertEquals(second.body(), 202, second.statusCode());
            awaitDeployed(2, "version two");
            loop.close();
            assertEquals("failed requests during the rollout: " + loop.failureSamples, 0, loop.failures.get());
            pages = loop.pages;
            System.out.printf("ROLLOUT 1 -> 2: %d requests, %s, 0 failed%n", loop.total(), pages);
        }
        assertTrue("the loop saw both versions: " + pages, pages.containsKey("version one") && pages.containsKey("version two"));
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> processes = (List<Map<String, Object>>) Json.parse(controller.get("/subscriptions/shop/processes"));
        // old ones may still be STOPPING (drained out of the router, finishing their requests)
        List<Map<String, Object>> serving = processes.stream().filter(p -> !"STOPPING".equals(p.get("state"))).toList();
        assertEquals(processes.toString(), 2, serving.size());
        serving.forEach(p -> assertEquals(p.toString(), 2, ((Number) p.get("artifact")).intValue()));

        // a version whose health check fails (HTTP 500): the rollout stops, version 2 keeps serving
        try (RequestLoop loop = new RequestLoop(router("/"))) {
            assertEquals(202, deploy(app("<?php http_response_code(500); echo 'broken';")).statusCode());
            Map<String, Object> failed = Await.success("the broken version's rollout to stop", Duration.ofSeconds(90), () -> {
                Map<String, Object> status = artifact();
                assertEquals(status.toString(), "FAILED", status.get("rollout"));
                return status;
            });
            loop.close();
            assertEquals(2, number(failed, "deployed"));
            assertEquals(2, number(failed, "desired"));
            @SuppressWarnings("unchecked")
            Map<String, Object> newest = ((List<Map<String, Object>>) failed.get("history")).get(0);
            assertEquals(3, ((Number) newest.get("number")).intValue());
            assertEquals("FAILED", newest.get("state"));
            assertTrue(newest.toString(), newest.get("reason").toString().contains("HTTP 500"));
            assertEquals("failed requests while the broken version was tried: " + loop.failureSamples, 0, loop.failures.get());
            assertEquals("only version two served: " + loop.pages, java.util.Set.of("version two"), loop.pages.keySet());
        }
        awaitDeployed(2, "version two");

        // bad input: a clear 4xx, the running version untouched
        byte[] traversal = new TarBuilder().file("../../etc/cron.d/x", "boom".getBytes(StandardCharsets.UTF_8)).gzip();
        HttpResponse<String> refused = deploy(traversal);
        assertEquals(refused.body(), 400, refused.statusCode());
        assertTrue(refused.body(), refused.body().contains("../../etc/cron.d/x"));
        byte[] escapingLink = new TarBuilder().file("index.php", "x".getBytes(StandardCharsets.UTF_8))
                .entry("up", TarBuilder.SYMLINK, 0777, "../../../etc", 0, null).gzip();
        refused = deploy(escapingLink);
        assertEquals(refused.body(), 400, refused.statusCode());
        assertTrue(refused.body(), refused.body().contains("outside the application directory"));
        byte[] random = new byte[2 * 1024 * 1024];
        new java.util.Random(7).nextBytes(random);
        refused = deploy(random);
        assertEquals(refused.body(), 413, refused.statusCode());
        assertEquals(3, ((List<?>) artifact().get("history")).size());
        awaitDeployed(2, "version two");
    }

    private static void git(Path repo, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("git", "-C", repo.toString(), "-c", "user.name=t", "-c", "user.email=t@127.0.0.1"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(String.join(" ", command) + ": " + out, 0, p.waitFor());
    }

    @Test
    public void aGitRepositoryIsDeployedAndTheWebhookRollsOutOnlyANewCommit() throws Exception {
        Path base = Files.createTempDirectory("stratos-git-");
        Path repo = base.resolve("app.git");
        Files.createDirectories(repo);
        git(repo, "init", "-q", "-b", "main");
        Files.writeString(repo.resolve("index.php"), "<?php echo 'from git one';");
        git(repo, "add", "index.php");
        git(repo, "commit", "-q", "-m", "one");
        int port = FreePorts.next();
        gitDaemon = new ProcessBuilder("git", "daemon", "--listen=127.0.0.1", "--port=" + port, "--export-all", "--reuseaddr",
                "--base-path=" + base, base.toString()).redirectErrorStream(true).redirectOutput(base.resolve("daemon.log").toFile()).start();
        String url = "git://127.0.0.1:" + port + "/app.git";
        awaitServing();

        HttpResponse<String> deployed = Await.success("git daemon up and the deployment accepted", Duration.ofSeconds(20), () -> {
            HttpResponse<String> r = controller.send("POST", "/subscriptions/shop/artifact", "{\"git\":\"" + url + "\",\"ref\":\"main\"}");
            assertEquals(r.body(), 202, r.statusCode());
            return r;
        });
        assertNotNull(deployed);
        awaitDeployed(1, "from git one");
        // nothing new: no new version
        assertEquals(202, controller.send("POST", "/subscriptions/shop/artifact/refresh", null).statusCode());
        assertEquals(1, ((List<?>) artifact().get("history")).size());

        Files.writeString(repo.resolve("index.php"), "<?php echo 'from git two';");
        git(repo, "commit", "-q", "-a", "-m", "two");
        try (RequestLoop loop = new RequestLoop(router("/"))) {
            HttpResponse<String> refreshed = controller.send("POST", "/subscriptions/shop/artifact/refresh", null);
            assertEquals(refreshed.body(), 202, refreshed.statusCode());
            awaitDeployed(2, "from git two");
            loop.close();
            assertEquals("failed requests during the git rollout: " + loop.failureSamples, 0, loop.failures.get());
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> newest = ((List<Map<String, Object>>) artifact().get("history")).get(0);
        assertEquals("git", newest.get("source"));
        assertEquals(url, newest.get("git"));
        assertEquals(40, newest.get("commit").toString().length());

        // bad input: an unknown ref, an unreachable repository, a host not allowed: clear errors, version 2 untouched
        HttpResponse<String> unknownRef = controller.send("POST", "/subscriptions/shop/artifact", "{\"git\":\"" + url + "\",\"ref\":\"no-such-branch\"}");
        assertEquals(unknownRef.body(), 400, unknownRef.statusCode());
        assertTrue(unknownRef.body(), unknownRef.body().contains("no-such-branch"));
        int closed = FreePorts.next();
        HttpResponse<String> unreachable = controller.send("POST", "/subscriptions/shop/artifact",
                "{\"git\":\"git://127.0.0.1:" + closed + "/app.git\",\"ref\":\"main\"}");
        assertEquals(unreachable.body(), 400, unreachable.statusCode());
        assertTrue(unreachable.body(), unreachable.body().contains("connection refused"));
        HttpResponse<String> otherHost = controller.send("POST", "/subscriptions/shop/artifact", "{\"git\":\"https://git.example.org/app.git\"}");
        assertEquals(otherHost.body(), 400, otherHost.statusCode());
        assertTrue(otherHost.body(), otherHost.body().contains("not allowed here"));
        HttpResponse<String> fileUrl = controller.send("POST", "/subscriptions/shop/artifact", "{\"git\":\"file://" + repo + "\"}");
        assertEquals(fileUrl.body(), 400, fileUrl.statusCode());
        assertEquals(2, ((List<?>) artifact().get("history")).size());
        awaitDeployed(2, "from git two");
    }
}
