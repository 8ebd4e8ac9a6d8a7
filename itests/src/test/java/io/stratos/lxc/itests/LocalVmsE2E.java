package io.stratos.lxc.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.stratos.lxc.itests.support.Await;
import io.stratos.lxc.itests.support.ControllerProcess;
import io.stratos.lxc.itests.support.Http;
import io.stratos.lxc.itests.support.Json;
import io.stratos.lxc.itests.support.TestUsers;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The controller distribution with its embedded local IaaS adapter: a partition's VMs are real agent
 * distributions started on this host, which register and report in; they survive an adapter bundle
 * swap and a kill -9 of the controller, and a lost VM is replaced.
 */
public class LocalVmsE2E {

    private ControllerProcess controller;

    @Before
    public void startController() throws Exception {
        controller = ControllerProcess.create("controller-vms").start();
    }

    @After
    public void stopController() throws Exception {
        controller.close();
    }

    private String awaitVms(long ready) throws Exception {
        return Await.success(ready + " READY VMs", Duration.ofSeconds(60), () -> {
            String vms = controller.get("/vms");
            assertEquals(vms, ready, Json.count(vms, "state", "READY"));
            return vms;
        });
    }

    @Test
    public void partitionVmsAreRealAgentsThatSurviveAdapterSwapAndControllerCrash() throws Exception {
        controller.expect(201, "POST", "/partitions",
                "{\"name\":\"web\",\"cartridge\":\"static-httpd\",\"minVms\":2,\"maxVms\":3,\"vmCapacity\":{\"cpuMillis\":1000,\"memoryMiB\":512}}");
        List<String> ids = Json.strings(awaitVms(2), "id");
        assertEquals(2, controller.agents().size());
        assertEquals(2, Await.success("the partition's MBean", Duration.ofSeconds(30), () -> {
            JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + controller.jmxPort() + "/karaf-root");
            try (JMXConnector jmx = JMXConnectorFactory.connect(url, Map.of(JMXConnector.CREDENTIALS, new String[] {TestUsers.ADMIN, TestUsers.ADMIN_PASSWORD}))) {
                return jmx.getMBeanServerConnection().getAttribute(new ObjectName("io.stratos.lxc:type=Partition,name=\"web\""), "ReadyVms");
            }
        }));

        // Hot swap: the adapter bundle goes away; VMs keep running, the partition says so; it comes back.
        controller.distribution().client(controller.sshPort(), "bundle:stop stratos-iaas-local");
        Await.success("ADAPTER_UNAVAILABLE", Duration.ofSeconds(10), () -> {
            assertEquals("ADAPTER_UNAVAILABLE", Json.at(controller.get("/partitions/web"), "/state"));
            return null;
        });
        assertEquals(2, controller.agents().size());
        controller.distribution().client(controller.sshPort(), "bundle:start stratos-iaas-local");
        Await.success("ACTIVE", Duration.ofSeconds(10), () -> {
            assertEquals("ACTIVE", Json.at(controller.get("/partitions/web"), "/state"));
            return null;
        });

        // kill -9 of the controller: the agents live on, and after a restart the same VMs are READY.
        controller.distribution().kill();
        assertEquals(2, controller.agents().size());
        controller.start();
        assertEquals(ids, Json.strings(awaitVms(2), "id"));
        assertEquals(2, controller.agents().size());
    }

    @Test
    public void aVmWhoseAgentDiesIsLostAfterTheGracePeriodAndReplaced() throws Exception {
        controller.expect(201, "POST", "/partitions", "{\"name\":\"web\",\"cartridge\":\"static-httpd\",\"minVms\":1,\"maxVms\":2}");
        String victim = Json.strings(awaitVms(1), "id").get(0);

        controller.agents().forEach(ProcessHandle::destroyForcibly);

        Await.success("a new VM replacing " + victim, Duration.ofSeconds(60), () -> {
            String vms = Http.get(controller.api("/vms")).body();
            assertEquals(vms, "LOST", Json.element(vms, "id", victim).path("state").asText());
            assertEquals(vms, 1, Json.count(vms, "state", "READY"));
            return null;
        });
    }
}
