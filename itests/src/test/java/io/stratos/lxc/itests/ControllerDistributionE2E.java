package io.stratos.lxc.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.stratos.lxc.itests.support.Await;
import io.stratos.lxc.itests.support.ControllerProcess;
import io.stratos.lxc.itests.support.Distribution;
import io.stratos.lxc.itests.support.Http;
import io.stratos.lxc.itests.support.Json;
import io.stratos.lxc.itests.support.TestUsers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/** The built controller distribution, started as a process, answers over REST, SSH shell and remote JMX. */
public class ControllerDistributionE2E {

    private static ControllerProcess process;
    private static Distribution controller;
    private static int sshPort;
    private static int rmiRegistryPort;

    @BeforeClass
    public static void startController() throws Exception {
        process = ControllerProcess.create("controller");
        controller = process.distribution();
        sshPort = process.sshPort();
        rmiRegistryPort = process.jmxPort();
        long start = System.nanoTime();
        controller.start();
        Http.awaitOk(url("/status"), Duration.ofSeconds(90));
        System.out.printf("controller: REST up %.1f s after start, RSS %d MiB%n",
                (System.nanoTime() - start) / 1e9, controller.rssKiB() / 1024);
        process.awaitReady();
    }

    @AfterClass
    public static void stopController() throws Exception {
        if (process != null) {
            process.close();
        }
    }

    private static String url(String path) {
        return process.api(path);
    }

    @Test
    public void restAnswersStatusWithTheControllerActive() throws Exception {
        String body = Http.awaitOk(url("/status"), Duration.ofSeconds(10));
        assertEquals(body, "ACTIVE", Json.at(body, "/state"));
        assertEquals(body, "ACTIVE", Json.componentState(body, "controller"));
        assertTrue(body, Json.componentState(body, "rest") != null);
    }

    @Test
    public void theFeatureIsStartedAndTheShellCommandWorksOverSsh() throws Exception {
        String features = controller.client(sshPort, "feature:list -i");
        assertTrue(features, features.matches("(?s).*stratos-lxc\\s+\\|[^\\n]*\\|\\s*Started.*"));
        String status = controller.client(sshPort, "stratos:status");
        assertTrue(status, status.matches("(?s).*controller\\s*\\|\\s*ACTIVE.*"));
    }

    @Test
    public void theControllerMBeanIsReachableOverRemoteJmx() throws Exception {
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + rmiRegistryPort + "/karaf-root");
        // The JMX connector comes up on its own schedule, possibly after REST.
        try (JMXConnector connector = Await.success("the JMX connector", Duration.ofSeconds(30), () -> JMXConnectorFactory.connect(url,
                Map.of(JMXConnector.CREDENTIALS, new String[] {TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD})))) {
            MBeanServerConnection connection = connector.getMBeanServerConnection();
            ObjectName controllerName = new ObjectName("io.stratos.lxc:type=Controller");
            assertEquals("ACTIVE", connection.getAttribute(controllerName, "State"));
            assertTrue((Long) connection.getAttribute(controllerName, "UptimeSeconds") >= 0);
        }
    }

    @Test
    public void aBadValueInTheCfgFileIsLoggedWithItsKeyAndShownAsUnconfigured() throws Exception {
        controller.configure("io.stratos.lxc.controller.cfg", "routerDomain", "not a domain!");
        try {
            String line = controller.awaitLog("Invalid configuration.*routerDomain' has value 'not a domain!'",
                    Duration.ofSeconds(20));
            assertTrue(line, line.contains("ERROR"));
            String body = Http.awaitOk(url("/status"), Duration.ofSeconds(5));
            assertTrue(body, Json.strings(body, "state").contains("UNCONFIGURED"));
        } finally {
            controller.configure("io.stratos.lxc.controller.cfg", "routerDomain", "stratos.local");
        }
        Await.success("the controller ACTIVE again", Duration.ofSeconds(20), () -> {
            String status = Http.get(url("/status")).body();
            assertEquals(status, "ACTIVE", Json.at(status, "/state"));
            return status;
        });
    }

    @Test
    public void aCartridgeVersionRoundTripsThroughTheStore() throws Exception {
        // A second version of the sample cartridge, built by its recipe.
        Path recipe = Path.of(System.getProperty("stratos.work.dir")).getParent().getParent().getParent()
                .resolve("cartridges/static-httpd/build.sh");
        // Built into the work directory: in cartridges/static-httpd/target it would be preloaded by later builds.
        ProcessBuilder builder = new ProcessBuilder(recipe.toString(), "1.0.1").redirectErrorStream(true);
        builder.environment().put("OUT_DIR", System.getProperty("stratos.work.dir"));
        Process build = builder.start();
        String built = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(built, 0, build.waitFor());
        Path image = Path.of(built.lines().filter(l -> l.endsWith(".tar.gz")).findFirst().orElseThrow());

        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<String> uploaded = http.send(Http.request(url("/cartridges/static-httpd/versions/1.0.1"))
                .PUT(HttpRequest.BodyPublishers.ofFile(image)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(uploaded.body(), 201, uploaded.statusCode());
        String digest = Json.at(uploaded.body(), "/digest");
        assertEquals("sha256:" + sha256(Files.readAllBytes(image)), digest);
        String cartridge = Http.get(url("/cartridges/static-httpd")).body();
        assertTrue(cartridge, Json.strings(cartridge, "version").contains("1.0.0"));
        assertEquals(cartridge, "1.0.1", Json.at(cartridge, "/tags/latest"));

        HttpResponse<byte[]> part = http.send(Http.request(url("/images/" + digest))
                .header("Range", "bytes=0-99").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(206, part.statusCode());
        assertEquals(100, part.body().length);
        HttpResponse<byte[]> whole = http.send(Http.request(url("/images/" + digest)).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(digest, "sha256:" + sha256(whole.body()));

        HttpResponse<String> deleted = http.send(Http.request(url("/cartridges/static-httpd/versions/1.0.1"))
                .DELETE().build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(deleted.body(), 204, deleted.statusCode());
        assertEquals("1.0.0", Json.at(Http.get(url("/cartridges/static-httpd")).body(), "/tags/latest"));
    }

    private static String sha256(byte[] bytes) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
