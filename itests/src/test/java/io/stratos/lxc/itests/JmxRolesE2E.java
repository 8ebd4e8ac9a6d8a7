package io.stratos.lxc.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import io.stratos.lxc.itests.support.Await;
import io.stratos.lxc.itests.support.ControllerProcess;
import io.stratos.lxc.itests.support.Json;
import io.stratos.lxc.itests.support.TestUsers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Remote JMX of the built controller obeys the roles of {@code users.properties}, through Karaf's JMX ACL
 * ({@code etc/jmx.acl*.cfg}, ours is {@code jmx.acl.io.stratos.lxc.cfg}): an admin reads and changes; a viewer reads
 * (attributes and read-only operations) but every state-changing operation is refused and changes nothing; a tenant
 * may not read; a wrong password cannot connect. The RMI registry and server listen on 127.0.0.1 only.
 */
public class JmxRolesE2E {

    private static final String VIEWER = "vera";
    private static final String VIEWER_PASSWORD = "it-vera-Secret-7";
    private static final ObjectName CONTROLLER = name("io.stratos.lxc:type=Controller");
    private static final ObjectName STORE = name("io.stratos.lxc:type=Store");
    private static final ObjectName AUTOSCALER = name("io.stratos.lxc:type=Autoscaler");
    private static final String[] TAG_SIGNATURE = {String.class.getName(), String.class.getName(), String.class.getName()};

    private static ControllerProcess controller;
    private static String version;

    @BeforeClass
    public static void startController() throws Exception {
        controller = ControllerProcess.create("controller-jmx");
        controller.distribution().configure("users.properties", VIEWER, VIEWER_PASSWORD + ",_g_:viewergroup");
        controller.distribution().configure("users.properties", "_g_\\:viewergroup", "group,viewer");
        controller.start();
        controller.awaitCartridge("static-httpd");
        version = Json.strings(controller.get("/cartridges/static-httpd"), "version").get(0);
    }

    @AfterClass
    public static void stopController() throws Exception {
        if (controller != null) {
            controller.close();
        }
    }

    private static ObjectName name(String text) {
        try {
            return new ObjectName(text);
        } catch (Exception e) {
            throw new IllegalArgumentException(text, e);
        }
    }

    private static JMXServiceURL url() throws Exception {
        return new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + controller.jmxPort() + "/karaf-root");
    }

    private static JMXConnector connect(String user, String password) throws Exception {
        // The connector comes up on its own schedule, possibly after REST.
        Await.success("the JMX connector", Duration.ofSeconds(30), () -> {
            try (JMXConnector c = JMXConnectorFactory.connect(url(), Map.of(JMXConnector.CREDENTIALS,
                    new String[] {TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD}))) {
                return c.getConnectionId();
            }
        });
        return JMXConnectorFactory.connect(url(), Map.of(JMXConnector.CREDENTIALS, new String[] {user, password}));
    }

    private static void assertRefused(String what, ThrowingRunnable action) throws Exception {
        try {
            action.run();
            fail(what + " was allowed");
        } catch (SecurityException e) {
            assertTrue(what + ": " + e, e.getMessage() == null || !e.getMessage().isEmpty());
        }
    }

    interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static String tags() throws Exception {
        return controller.get("/cartridges/static-httpd");
    }

    @Test
    public void anAdminReadsAndChanges() throws Exception {
        try (JMXConnector jmx = connect(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD)) {
            MBeanServerConnection c = jmx.getMBeanServerConnection();
            assertEquals("ACTIVE", c.getAttribute(CONTROLLER, "State"));
            assertTrue(((String[]) c.getAttribute(CONTROLLER, "Components")).length > 0);
            assertTrue((Long) c.getAttribute(CONTROLLER, "UptimeSeconds") >= 0);
            c.invoke(AUTOSCALER, "decisions", new Object[] {5}, new String[] {int.class.getName()});
            c.invoke(STORE, "tag", new Object[] {"static-httpd", "jmx-admin", version}, TAG_SIGNATURE);
        }
        assertTrue(tags(), tags().contains("jmx-admin"));
    }

    @Test
    public void aViewerReadsButChangesNothing() throws Exception {
        try (JMXConnector jmx = connect(VIEWER, VIEWER_PASSWORD)) {
            MBeanServerConnection c = jmx.getMBeanServerConnection();
            assertEquals("ACTIVE", c.getAttribute(CONTROLLER, "State"));
            assertTrue(((String[]) c.getAttribute(CONTROLLER, "Components")).length > 0);
            assertTrue((Integer) c.getAttribute(STORE, "ImageCount") >= 1);
            // read-only operations are reading too
            c.invoke(AUTOSCALER, "decisions", new Object[] {5}, new String[] {int.class.getName()});
            c.invoke(AUTOSCALER, "policies", new Object[0], new String[0]);
            assertRefused("a viewer tagging a cartridge version", () ->
                    c.invoke(STORE, "tag", new Object[] {"static-httpd", "jmx-viewer", version}, TAG_SIGNATURE));
            assertRefused("a viewer deleting a cartridge version", () -> c.invoke(STORE, "deleteVersion",
                    new Object[] {"static-httpd", version}, new String[] {String.class.getName(), String.class.getName()}));
        }
        assertFalse(tags(), tags().contains("jmx-viewer"));
        assertTrue(tags(), Json.strings(tags(), "version").contains(version));
    }

    @Test
    public void aTenantCannotRead() throws Exception {
        JMXConnector jmx;
        try {
            jmx = connect(TestUsers.ALICE, TestUsers.ALICE_PASSWORD);
        } catch (SecurityException refused) {
            return; // refused at the door: nothing more to check
        }
        try (JMXConnector tenant = jmx) {
            MBeanServerConnection c = tenant.getMBeanServerConnection();
            assertRefused("a tenant reading the controller's state", () -> c.getAttribute(CONTROLLER, "State"));
            assertRefused("a tenant reading the store", () -> c.getAttribute(STORE, "Images"));
            assertRefused("a tenant reading autoscaler decisions", () ->
                    c.invoke(AUTOSCALER, "decisions", new Object[] {5}, new String[] {int.class.getName()}));
            assertRefused("a tenant tagging", () ->
                    c.invoke(STORE, "tag", new Object[] {"static-httpd", "jmx-tenant", version}, TAG_SIGNATURE));
            assertRefused("a tenant reading the JVM's memory", () -> c.getAttribute(name("java.lang:type=Memory"), "HeapMemoryUsage"));
        }
        assertFalse(tags(), tags().contains("jmx-tenant"));
    }

    @Test
    public void theRmiRegistryAndServerListenOn127001Only() throws Exception {
        connect(TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD).close();
        String cfg = Files.readString(controller.distribution().home().resolve("etc/org.apache.karaf.management.cfg"));
        int serverPort = Integer.parseInt(cfg.replaceAll("(?s).*\\n\\s*rmiServerPort\\s*=\\s*(\\d+).*", "$1"));
        for (int port : new int[] {controller.jmxPort(), serverPort}) {
            List<String> listening = listeners(port);
            assertFalse("something listens on " + port, listening.isEmpty());
            assertEquals("listeners on port " + port, List.of("127.0.0.1"), listening.stream().distinct().toList());
        }
    }

    /** Local addresses of the sockets listening on a TCP port, from /proc/net/tcp and tcp6 (no traffic needed). */
    private static List<String> listeners(int port) throws Exception {
        List<String> addresses = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table))) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 4 || !f[3].equals("0A") || !f[1].contains(":")) {
                    continue; // header, or not LISTEN
                }
                String[] local = f[1].split(":");
                if (Integer.parseInt(local[1], 16) != port) {
                    continue;
                }
                String hex = local[0];
                if (hex.equals("0100007F") || hex.equals("0000000000000000FFFF00000100007F")) {
                    addresses.add("127.0.0.1");
                } else if (hex.equals("00000000000000000000000001000000")) {
                    addresses.add("::1");
                } else {
                    addresses.add(hex); // a wildcard or another address: fails the test, showing what it is
                }
            }
        }
        return addresses;
    }

    @Test
    public void aWrongPasswordCannotConnect() throws Exception {
        assertRefused("a wrong password", () -> connect(TestUsers.ADMIN, "not-the-password").close());
        assertRefused("an unknown user", () -> connect("mallory", "x").close());
    }
}
