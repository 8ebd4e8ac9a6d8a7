package io.stratos.lxc.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.sun.tools.attach.VirtualMachine;
import io.stratos.lxc.itests.support.Await;
import io.stratos.lxc.itests.support.ControllerProcess;
import io.stratos.lxc.itests.support.Json;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The agent's own views on a local VM running a real LXC process: the agent:* commands over the VM's SSH port
 * (its distribution's bin/client, with the password the local adapter generated for that VM), and the
 * io.stratos.lxc:type=Agent MBean read by attaching to the agent's JVM, as an operator on the VM would.
 */
public class AgentShellE2E {

    private ControllerProcess controller;

    @Before
    public void startController() throws Exception {
        // the agents inherit the controller's environment: a bridge of this test's own
        controller = ControllerProcess.create("controller-agent-shell",
                Map.of("STRATOS_AGENT_BRIDGE", "stratos-testbr5", "STRATOS_AGENT_BRIDGE_SUBNET", "10.213.192.0/20")).start();
        controller.awaitCartridge("static-httpd");
    }

    @After
    public void stopController() throws Exception {
        controller.close();
    }

    private static Properties properties(Path file) throws IOException {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(file)) {
            properties.load(in);
        }
        return properties;
    }

    /** Runs the VM's own bin/client against its ssh port with the commands on stdin. */
    private static String client(Path home, int sshPort, String password, String commands) throws Exception {
        Path input = Files.createTempFile(home, "client", ".txt");
        Files.writeString(input, commands + System.lineSeparator());
        ProcessBuilder builder = new ProcessBuilder(home.resolve("bin/client").toString(), "-a", String.valueOf(sshPort),
                "-u", "karaf", "-p", password, "-r", "1", "-b")
                .directory(home.toFile()).redirectErrorStream(true).redirectInput(input.toFile());
        builder.environment().put("JAVA_HOME", System.getProperty("java.home"));
        Process client = builder.start();
        String output = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        client.waitFor(60, TimeUnit.SECONDS);
        return output.replaceAll("\u001B\\[[0-9;]*m", "");
    }

    /** Whether every socket listening on the port is bound to a loopback address (from /proc/net/tcp and tcp6). */
    private static boolean listensOnLoopbackOnly(int port) throws IOException {
        String hexPort = String.format(":%04X", port);
        int listeners = 0;
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            for (String line : Files.readAllLines(Path.of(table))) {
                String[] f = line.trim().split("\\s+");
                if (f.length > 3 && f[1].endsWith(hexPort) && f[3].equals("0A")) {
                    listeners++;
                    String address = f[1].substring(0, f[1].indexOf(':'));
                    boolean loopback = address.equals("0100007F") || address.equals("0000000000000000FFFF00000100007F")
                            || address.equals("00000000000000000000000001000000");
                    if (!loopback) {
                        return false;
                    }
                }
            }
        }
        return listeners > 0;
    }

    @Test
    public void theAgentShellAndMBeanShowTheVmsRealProcess() throws Exception {
        controller.expect(201, "POST", "/partitions", "{\"name\":\"web\",\"cartridge\":\"static-httpd\",\"minVms\":1,\"maxVms\":1,"
                + "\"vmCapacity\":{\"cpuMillis\":2000,\"memoryMiB\":2048}}");
        String vm = Await.success("a READY VM", Duration.ofSeconds(90), () -> {
            String vms = controller.get("/vms");
            assertTrue(vms, Json.count(vms, "state", "READY") > 0);
            return Json.strings(vms, "id").get(0);
        });
        controller.expect(201, "POST", "/subscriptions", "{\"alias\":\"hello\",\"cartridge\":\"static-httpd\"}");
        String process = Await.success("a RUNNING process", Duration.ofSeconds(90), () -> {
            String procs = controller.get("/subscriptions/hello/processes");
            assertTrue(procs, Json.count(procs, "state", "RUNNING") > 0);
            return Json.strings(procs, "id").get(0);
        });

        // Where the shell is: the slot's last port, shown in the VM's details; the password is this VM's own.
        Path vmDir = controller.vmsDirectory().resolve(vm);
        Path home = vmDir.resolve("home");
        int sshPort = Integer.parseInt(properties(vmDir.resolve("vm.properties")).getProperty("sshPort"));
        assertEquals("the last port of slot 0", controller.vmPortRangeStart() + 99, sshPort);
        assertTrue(controller.get("/vms"), controller.get("/vms").contains("ssh:127.0.0.1:" + sshPort));
        Path users = home.resolve("etc/users.properties");
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(users)));
        String password = properties(users).getProperty("karaf").split(",")[0];
        assertFalse("no default password", password.equals("karaf"));
        assertTrue("ssh listens on 127.0.0.1 only", listensOnLoopbackOnly(sshPort));

        String status = client(home, sshPort, password, "agent:status");
        assertTrue(status, status.contains("Agent " + vm + " (partition web)"));
        assertTrue(status, status.contains("Controller: registered as"));
        assertTrue(status, status.contains("Capacity:   2000m CPU, 2048 MiB"));
        assertTrue(status, status.contains("Processes:  1 (RUNNING 1)"));
        assertTrue(status, status.contains("Ports:      " + controller.vmPortRangeStart() + "-" + (controller.vmPortRangeStart() + 98) + ", 1 in use"));
        assertTrue(status, status.contains("Images:     1 cached"));
        assertTrue(status, status.contains("lxc available"));
        // a local VM sharing the host's network publishes on 127.0.0.1, for the controller on 127.0.0.1 (and itself)
        assertTrue(status, status.contains("Published:  on 127.0.0.1, for 127.0.0.1, "));
        assertTrue(status, status.contains("127.0.0.0/8") && status.contains("; 0 connection(s) from other sources refused"));
        assertFalse(status, status.contains("Problem:"));

        String processes = client(home, sshPort, password, "agent:process-list");
        Matcher row = Pattern.compile(Pattern.quote(process) + "\\s*\\|\\s*hello\\s*\\|\\s*static-httpd:[^|]+\\|\\s*lxc\\s*\\|\\s*RUNNING\\s*\\|\\s*127\\.0\\.0\\.1:(\\d+)")
                .matcher(processes);
        assertTrue(processes, row.find());
        int hostPort = Integer.parseInt(row.group(1));
        // the first VM's range: 100 ports from the controller's start, the last one the agent's own
        assertTrue(processes, hostPort >= controller.vmPortRangeStart() && hostPort <= controller.vmPortRangeStart() + 98);

        String images = client(home, sshPort, password, "agent:image-list");
        assertTrue(images, images.contains("static-httpd:1.0.0") && images.contains("sha256:") && images.contains("ago)"));

        // static-httpd's busybox httpd writes nothing while it serves: the view says so and where it looked
        String logs = client(home, sshPort, password, "agent:logs -n 5 " + process);
        assertTrue(logs, logs.contains(process + " has written nothing to its console yet; lxc: ") && logs.contains("console.log"));
        String unknown = client(home, sshPort, password, "agent:logs nope");
        assertTrue(unknown, unknown.contains("Error executing command: no container of process 'nope' on this VM"));
        assertFalse(unknown, unknown.contains("Exception"));

        String refused = client(home, sshPort, "wrong-" + password, "agent:status");
        assertFalse(refused, refused.contains("Agent " + vm));

        // The MBean, by local attach to the agent's JVM (no remote JMX connector on the VM).
        // start-agent records its pid and execs into the agent's JVM
        String pid = Files.readString(vmDir.resolve("pid")).trim();
        VirtualMachine jvm = VirtualMachine.attach(pid);
        try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(jvm.startLocalManagementAgent()))) {
            MBeanServerConnection server = connector.getMBeanServerConnection();
            ObjectName agent = new ObjectName("io.stratos.lxc:type=Agent");
            assertEquals(vm, server.getAttribute(agent, "VmId"));
            assertEquals("web", server.getAttribute(agent, "Partition"));
            assertEquals(1, server.getAttribute(agent, "Processes"));
            assertEquals(1, server.getAttribute(agent, "ProcessesRunning"));
            assertEquals(0, server.getAttribute(agent, "ProcessesFailed"));
            assertEquals(2048, server.getAttribute(agent, "CapacityMemoryMiB"));
            assertTrue((int) server.getAttribute(agent, "AllocatedMemoryMiB") > 0);
            assertEquals(1, server.getAttribute(agent, "PortsInUse"));
            assertEquals(1, server.getAttribute(agent, "ImageCount"));
            assertTrue((long) server.getAttribute(agent, "ImageCacheBytes") > 100_000);
            assertTrue((long) server.getAttribute(agent, "MemoryUsedBytes") > 0);
            assertEquals("127.0.0.1", server.getAttribute(agent, "PublishAddress"));
            assertEquals(0L, server.getAttribute(agent, "RefusedConnections"));
            assertEquals("", server.getAttribute(agent, "Problem"));
        } finally {
            jvm.detach();
        }
    }
}
