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
 * they keep serving the backends they know, and say why in their log.
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
        controller.expect(201, "POST", "/subscriptions", "{\"alias\":\"duo\",\"cartridge\":\"static-httpd\",\"minProcesses\":2,\"maxProcesses\":2}");
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
