package io.stratos.lxc.itests;

import static org.awaitility.Awaitility.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.stratos.lxc.itests.support.ControllerProcess;
import io.stratos.lxc.itests.support.Distribution;
import io.stratos.lxc.itests.support.FreePorts;
import io.stratos.lxc.itests.support.Http;
import io.stratos.lxc.itests.support.Json;
import io.stratos.lxc.itests.support.TestUsers;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Routers apart from the controller: two Karafs of their own with nothing but the feature stratos-router, each fed
 * every alias's backends by the controller's route feed, serve the same alias at once; with the controller killed
 * they keep serving the backends they know, and say why in their log. A scale-in under slow requests through both
 * routers fails none of them: the leaving process is stopped only once both routers report nothing in flight to it.
 */
public class RouterApartE2E {

    private static final String PAGE = "Hello from the static-httpd cartridge";

    private static ControllerProcess controller;
    private static final List<Distribution> routers = new ArrayList<>();
    private static final List<Integer> routerPorts = new ArrayList<>();

    @BeforeClass
    public static void startControllerAndTwoRouters() throws Exception {
        controller = ControllerProcess.create("controller-routers").start();
        controller.expect(201, "POST", "/partitions", "{\"name\":\"web\",\"cartridge\":\"static-httpd\",\"minVms\":1,\"maxVms\":1}");
        controller.expect(201, "POST", "/subscriptions", "{\"alias\":\"duo\",\"cartridge\":\"static-httpd\",\"minProcesses\":1,\"maxProcesses\":2}");
        controller.expect(200, "PUT", "/subscriptions/duo/scale", "{\"processes\":2}");
        await("2 RUNNING processes").atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500))
                .until(() -> Json.count(controller.get("/subscriptions/duo/processes"), "state", "RUNNING") == 2);
        for (int i = 0; i < 2; i++) {
            int port = FreePorts.next();
            Distribution router = Distribution.unpack("stratos.controller.dist", "router-" + i, Map.of())
                    .configure("org.apache.karaf.shell.cfg", "sshPort", String.valueOf(FreePorts.next()))
                    .configure("org.apache.karaf.management.cfg", "rmiRegistryPort", String.valueOf(FreePorts.next()))
                    .configure("org.apache.karaf.management.cfg", "rmiServerPort", String.valueOf(FreePorts.next()))
                    .configure("io.stratos.lxc.router.cfg", "port", String.valueOf(port))
                    .configure("io.stratos.lxc.router.cfg", "controllerUrl", "http://127.0.0.1:" + controller.httpPort())
                    .configure("io.stratos.lxc.router.cfg", "controllerUser", TestUsers.ROUTER)
                    .configure("io.stratos.lxc.router.cfg", "controllerPassword", TestUsers.ROUTER_PASSWORD);
            // this Karaf boots the router alone: no controller, no REST, no web server
            Path boot = router.home().resolve("etc/org.apache.karaf.features.cfg");
            String features = Files.readString(boot);
            assertTrue(features, features.contains("stratos-lxc/"));
            Files.writeString(boot, features.replace("stratos-lxc/", "stratos-router/"));
            routers.add(router.start());
            routerPorts.add(port);
        }
    }

    @AfterClass
    public static void stop() throws Exception {
        for (Distribution router : routers) {
            router.close();
        }
        if (controller != null) {
            controller.close();
        }
    }

    private static HttpResponse<String> page(int router) throws Exception {
        return Http.get("http://127.0.0.1:" + routerPorts.get(router) + "/duo/");
    }

    /** Four clients per router send 2.5 s POSTs (longer than the controller waits for its own router) while the subscription goes from 2 processes to 1. */
    private static void scaleInUnderSlowRequestsThroughBothRoutersFailsNone() throws Exception {
        List<String> failures = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicInteger served = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean(true);
        List<Thread> clients = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int router = i % 2;
            long stagger = i * 320L; // clients out of step: some request is always half-way when the process leaves
            Thread client = new Thread(() -> {
                try {
                    Thread.sleep(stagger); // the point: see stagger
                } catch (InterruptedException e) {
                    return;
                }
                while (running.get() && failures.size() < 20) {
                    try {
                        // POST: a router retries an idempotent request a dying process dropped, never a POST
                        HttpResponse<String> answer = Http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                                "http://127.0.0.1:" + routerPorts.get(router) + "/duo/cgi-bin/work?ms=2500"))
                                .timeout(Duration.ofSeconds(10)).POST(java.net.http.HttpRequest.BodyPublishers.ofString("x=1")));
                        if (answer.statusCode() == 200) {
                            served.incrementAndGet();
                        } else {
                            failures.add("router " + router + ": " + answer.statusCode() + " " + answer.body());
                        }
                    } catch (Exception e) {
                        failures.add("router " + router + ": " + e);
                    }
                }
            });
            client.start();
            clients.add(client);
        }
        try {
            Thread.sleep(5_000); // the point: two rounds of slow requests in flight on both processes before the scale-in
            controller.expect(200, "PUT", "/subscriptions/duo/scale", "{\"processes\":1}");
            await("the leaving process stopped").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> Json.count(controller.get("/subscriptions/duo/processes"), "state", "RUNNING") == 1
                            && Json.strings(controller.get("/subscriptions/duo/processes"), "state").size() == 1);
            Thread.sleep(2_000); // the point: the remaining process goes on serving the clients for a while
        } finally {
            running.set(false);
            for (Thread client : clients) {
                client.join(30_000);
            }
        }
        assertEquals("requests failed during the scale-in (" + served.get() + " served)", List.of(), failures);
        assertTrue("requests were served through the scale-in: " + served.get(), served.get() > 8);
    }

    @Test
    public void twoRoutersServeTheSameAliasAndKeepServingItWhileTheControllerIsDown() throws Exception {
        for (int i = 0; i < 2; i++) {
            int router = i;
            await("router " + i + " serves duo").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500))
                    .ignoreExceptions().until(() -> page(router).statusCode() == 200);
            String log = Files.readString(routers.get(i).log());
            assertTrue("router " + i + " runs without a controller of its own",
                    !log.contains("stratos-controller") && log.contains("Router listening on"));
        }
        for (int n = 0; n < 20; n++) {
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> page = page(i);
                assertEquals("request " + n + " through router " + i + ": " + page.body(), 200, page.statusCode());
                assertTrue(page.body().contains(PAGE));
            }
        }

        await("both routers listed as reporting and up to date").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    com.fasterxml.jackson.databind.JsonNode listed = Json.tree(controller.get("/routers"));
                    int current = 0;
                    for (com.fasterxml.jackson.databind.JsonNode router : listed) {
                        if (router.path("fresh").asBoolean() && router.path("upToDate").asBoolean()) {
                            current++;
                        }
                    }
                    return listed.size() == 2 && current == 2;
                });
        scaleInUnderSlowRequestsThroughBothRoutersFailsNone();

        for (Distribution router : routers) {
            assertTrue("the feed was followed until now", !Files.readString(router.log()).contains("Cannot follow the routes"));
        }
        controller.distribution().kill();

        for (int i = 0; i < 2; i++) {
            routers.get(i).awaitLog("Cannot follow the routes from http://127\\.0\\.0\\.1:" + controller.httpPort(), Duration.ofSeconds(60));
        }
        for (int n = 0; n < 20; n++) {
            for (int i = 0; i < 2; i++) {
                HttpResponse<String> page = page(i);
                assertEquals("request " + n + " through router " + i + " with the controller down: " + page.body(), 200,
                        page.statusCode());
                assertTrue(page.body().contains(PAGE));
            }
        }
    }
}
