package io.stratos.lxc.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.stratos.lxc.itests.support.Await;
import io.stratos.lxc.itests.support.ControllerProcess;
import io.stratos.lxc.itests.support.Http;
import io.stratos.lxc.itests.support.Json;
import io.stratos.lxc.itests.support.TestUsers;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The router in front of real LXC processes on a local VM: one address per subscription (path and
 * Host forms), JSON 404 for an unknown alias, and no failed request while a process dies under it.
 */
public class RouterE2E {

    private static final String PAGE = "Hello from the static-httpd cartridge";

    private ControllerProcess controller;

    @Before
    public void startController() throws Exception {
        controller = ControllerProcess.create("controller-router").start();
        controller.awaitCartridge("static-httpd");
    }

    @After
    public void stopController() throws Exception {
        controller.close();
    }

    private String router(String path) {
        return "http://127.0.0.1:" + controller.routerPort() + path;
    }

    /** GET with any Host header (java.net.http refuses to set Host). */
    private String rawGet(String path, String host) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", controller.routerPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            InputStream in = socket.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    public void oneAddressPerSubscriptionOverItsRunningProcessesWithNoFailedRequestWhenOneDies() throws Exception {
        controller.expect(201, "POST", "/partitions", "{\"name\":\"web\",\"cartridge\":\"static-httpd\",\"minVms\":1,\"maxVms\":1}");
        controller.expect(201, "POST", "/subscriptions", "{\"alias\":\"site\",\"cartridge\":\"static-httpd\",\"minProcesses\":3,\"maxProcesses\":3}");
        Await.success("3 RUNNING processes behind the router", Duration.ofSeconds(120), () -> {
            String procs = controller.get("/subscriptions/site/processes");
            assertEquals(procs, 3, Json.count(procs, "state", "RUNNING"));
            HttpResponse<String> page = Http.get(router("/site/"));
            assertEquals(page.body(), 200, page.statusCode());
            assertTrue(page.body(), page.body().contains(PAGE));
            String stats = controller.get("/router/site");
            assertEquals(stats, "3", Json.at(stats, "/backends"));
            return null;
        });

        // path form, Host form (its port ignored), the redirect, an unknown alias
        for (int i = 0; i < 30; i++) {
            HttpResponse<String> page = Http.get(router("/site/"));
            assertEquals(page.body(), 200, page.statusCode());
        }
        // each request is a line of the access log, in its own rotated file, not in karaf.log
        java.nio.file.Path accessLog = controller.distribution().home().resolve("data/log/router-access.log");
        Await.success("the access log", Duration.ofSeconds(10), () -> {
            String lines = java.nio.file.Files.readString(accessLog);
            assertTrue(lines, lines.lines().filter(l -> l.matches("127\\.0\\.0\\.1 - - \\[.*] \"GET /site/ HTTP/1\\.1\" 200 \\d+ \"-\" \"[^\"]*\" site \\d+\\.\\d{3}")).count() >= 30);
            return null;
        });
        assertTrue(!java.nio.file.Files.readString(controller.distribution().log()).contains("\"GET /site/ HTTP/1.1\""));
        String byHost = rawGet("/", "site.stratos.local:" + controller.routerPort());
        assertTrue(byHost, byHost.startsWith("HTTP/1.1 200") && byHost.contains(PAGE));
        String redirect = rawGet("/site", "127.0.0.1");
        assertTrue(redirect, redirect.startsWith("HTTP/1.1 301") && redirect.toLowerCase().contains("location: /site/"));
        HttpResponse<String> unknown = Http.get(router("/nope/"));
        assertEquals(404, unknown.statusCode());
        assertEquals(unknown.body(), "no subscription 'nope'", Json.at(unknown.body(), "/error"));

        // a router apart from the controller is fed the same backends, as the router role, and no tenant is
        String procs = controller.get("/subscriptions/site/processes");
        HttpResponse<String> routes = Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + controller.httpPort()
                + "/stratos/router/v1/routes")).header("Authorization", TestUsers.basic(TestUsers.ROUTER, TestUsers.ROUTER_PASSWORD))
                .GET());
        assertEquals(routes.body(), 200, routes.statusCode());
        JsonNode fed = Json.tree(routes.body());
        assertTrue(routes.body(), fed.get("complete").booleanValue());
        List<String> fedEndpoints = new java.util.ArrayList<>();
        fed.get("aliases").get("site").forEach(route -> fedEndpoints.add(route.get("endpoint").textValue()));
        assertEquals(procs, new java.util.TreeSet<>(Json.strings(procs, "endpoint")), new java.util.TreeSet<>(fedEndpoints));
        HttpResponse<String> tenant = Http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + controller.httpPort()
                + "/stratos/router/v1/routes")).header("Authorization", TestUsers.basic(TestUsers.ALICE, TestUsers.ALICE_PASSWORD))
                .GET());
        assertEquals(tenant.body(), 403, tenant.statusCode());

        // one process dies under the router: every request still gets the page
        String victim = Json.strings(procs, "id").get(0);
        String vm = Json.strings(procs, "vmId").get(0);
        Process kill = new ProcessBuilder("lxc-stop", "-k", "-P",
                controller.vmsDirectory().resolve(vm).resolve("agent-data/containers").toString(), "-n", "stratos-" + victim)
                .inheritIO().start();
        assertEquals(0, kill.waitFor());
        for (int i = 0; i < 60; i++) {
            HttpResponse<String> page = Http.get(router("/site/"));
            assertEquals("request " + i + " after the kill: " + page.body(), 200, page.statusCode());
            assertTrue(page.body().contains(PAGE));
        }
        String stats = controller.get("/router/site");
        JsonNode traffic = Json.tree(stats);
        assertEquals(stats, 0, traffic.path("errors").asInt(-1));
        assertTrue(stats, traffic.path("requests").asLong(-1) >= 92);
    }
}
