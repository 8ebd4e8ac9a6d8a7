package io.stratos.lxc.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.stratos.lxc.api.event.StratosEvents;
import io.stratos.lxc.itests.support.Http;
import io.stratos.lxc.itests.support.Json;
import io.stratos.lxc.itests.support.StratosKarafTestSupport;
import io.stratos.lxc.itests.support.TarBuilder;
import io.stratos.lxc.itests.support.VmPortRanges;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.karaf.options.KarafDistributionOption;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.event.EventConstants;
import org.osgi.service.event.EventHandler;

/**
 * The events of {@code stratos-lxc} on EventAdmin, as a plain EventHandler on {@code io/stratos/lxc/*} gets them (and so
 * Karaf Decanter's EventAdmin collector): a subscription on a partition without VMs makes the autoscaler scale the
 * partition up (scaling/UP), a real local VM boots (vm/REQUESTED, BOOTING, READY), the processes go PENDING, STARTING,
 * RUNNING as an LXC container each, a manual scale adds one more, and an uploaded artifact rolls out (rollout/STARTED ...
 * FINISHED). Every event is flat: type, a Long timestamp, and String, Number or Boolean values only.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class EventsIT extends StratosKarafTestSupport {

    private final List<Map<String, Object>> events = new CopyOnWriteArrayList<>();
    private ServiceRegistration<EventHandler> handler;

    @Override
    @org.ops4j.pax.exam.Configuration
    public Option[] config() {
        Option[] base = super.config();
        Option[] options = Arrays.copyOf(base, base.length + 2);
        // the local VM's published ports: a range no other controller of this run is given
        options[base.length] = KarafDistributionOption.editConfigurationFilePut("etc/io.stratos.lxc.iaas.local.cfg",
                "portRangeStart", String.valueOf(VmPortRanges.next()));
        options[base.length + 1] = KarafDistributionOption.editConfigurationFilePut("etc/io.stratos.lxc.iaas.local.cfg",
                "maxVms", "2");
        return options;
    }

    @Before
    public void listen() {
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(EventConstants.EVENT_TOPIC, StratosEvents.ALL);
        handler = bundleContext.registerService(EventHandler.class, event -> {
            Map<String, Object> copy = new HashMap<>();
            for (String name : event.getPropertyNames()) {
                copy.put(name, event.getProperty(name));
            }
            copy.put("topic", event.getTopic());
            events.add(copy);
        }, properties);
    }

    @After
    public void cleanUp() throws Exception {
        // the local VM's agent and its containers must not outlive this Karaf
        send("DELETE", "/subscriptions/evt", null);
        send("DELETE", "/partitions/evt", null);
        await("the local VM destroyed", () -> {
            try {
                return Json.strings(Http.get(api("/vms")).body(), "id").isEmpty();
            } catch (Exception e) {
                return false;
            }
        }, Duration.ofSeconds(60));
        handler.unregister();
    }

    private static HttpResponse<String> send(String method, String path, String json) throws Exception {
        HttpRequest.Builder request = Http.request(api(path)).timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json");
        request.method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return Http.send(request);
    }

    private List<Map<String, Object>> on(String topic) {
        List<Map<String, Object>> found = new ArrayList<>();
        for (Map<String, Object> e : events) {
            if (e.get("topic").equals(topic)) {
                found.add(e);
            }
        }
        return found;
    }

    private List<Map<String, Object>> awaitEvents(String topic, Predicate<List<Map<String, Object>>> enough, Duration timeout)
            throws InterruptedException {
        try {
            await(topic, () -> enough.test(on(topic)), timeout);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; events so far: " + topics(), e);
        }
        return on(topic);
    }

    private List<Object> topics() {
        return events.stream().map(e -> e.get("topic")).toList();
    }

    private static void flat(Map<String, Object> event) {
        assertTrue(event.toString(), event.get(StratosEvents.TIMESTAMP) instanceof Long);
        assertTrue(event.toString(), event.get(StratosEvents.TYPE) instanceof String);
        for (Object value : event.values()) {
            assertTrue(event.toString(), value instanceof String || value instanceof Number || value instanceof Boolean);
        }
    }

    @Test
    public void aScaleAndARolloutPostTheirEvents() throws Exception {
        awaitApiWithSampleCartridge();
        HttpResponse<String> partition = send("POST", "/partitions", "{\"name\":\"evt\",\"cartridge\":\"static-httpd\",\"minVms\":0,\"maxVms\":1}");
        assertEquals(partition.body(), 201, partition.statusCode());
        HttpResponse<String> subscribed = send("POST", "/subscriptions", "{\"alias\":\"evt\",\"cartridge\":\"static-httpd\",\"maxProcesses\":3}");
        assertEquals(subscribed.body(), 201, subscribed.statusCode());

        // level 2 of the autoscaler: a PENDING process and no VM: the partition scales up
        Map<String, Object> up = awaitEvents(StratosEvents.SCALING_UP,
                l -> l.stream().anyMatch(e -> "evt".equals(e.get("partition"))), Duration.ofSeconds(30)).get(0);
        assertEquals(up.toString(), "stratos-scaling", up.get("type"));
        assertEquals(up.toString(), "up", up.get("direction"));
        assertEquals(up.toString(), "partition", up.get("level"));
        assertEquals(up.toString(), 0, up.get("from"));
        assertEquals(up.toString(), 1, up.get("to"));
        assertEquals(up.toString(), Boolean.TRUE, up.get("applied"));
        flat(up);

        // the VM boots and its agent registers
        Map<String, Object> ready = awaitEvents("io/stratos/lxc/vm/READY", l -> !l.isEmpty(), Duration.ofSeconds(60)).get(0);
        assertEquals(ready.toString(), "evt", ready.get("partition"));
        assertEquals(ready.toString(), "stratos-vm", ready.get("type"));
        flat(ready);
        String vmId = (String) ready.get("vmId");
        assertEquals(List.of("io/stratos/lxc/vm/REQUESTED", "io/stratos/lxc/vm/BOOTING", "io/stratos/lxc/vm/READY"),
                events.stream().filter(e -> vmId.equals(e.get("vmId")) && ((String) e.get("topic")).startsWith(StratosEvents.VM_PREFIX))
                        .map(e -> e.get("topic")).toList());

        // its process runs; a manual scale adds a second
        awaitEvents("io/stratos/lxc/process/RUNNING", l -> l.size() == 1, Duration.ofSeconds(60));
        assertEquals(200, send("PUT", "/subscriptions/evt/scale", "{\"processes\":2}").statusCode());
        List<Map<String, Object>> running = awaitEvents("io/stratos/lxc/process/RUNNING", l -> l.size() == 2, Duration.ofSeconds(60));
        for (Map<String, Object> e : running) {
            assertEquals(e.toString(), "stratos-process", e.get("type"));
            assertEquals(e.toString(), "evt", e.get("alias"));
            assertEquals(e.toString(), "static-httpd", e.get("cartridge"));
            assertEquals(e.toString(), vmId, e.get("vmId"));
            assertEquals(e.toString(), "evt", e.get("partition"));
            flat(e);
            // PENDING, placed (STARTING), then what its agent reports (FETCHING the image, STARTING) until RUNNING
            String processId = (String) e.get("processId");
            List<Object> path = events.stream().filter(x -> processId.equals(x.get("processId"))).map(x -> x.get("topic")).toList();
            assertEquals(path.toString(), List.of("io/stratos/lxc/process/PENDING", "io/stratos/lxc/process/STARTING"), path.subList(0, 2));
            assertTrue(path.toString(), path.indexOf("io/stratos/lxc/process/RUNNING") > 1);
            assertTrue(e.toString(), List.of("STARTING", "FETCHING").contains(e.get("previousState")));
        }

        // an artifact rolls out over both processes
        byte[] app = new TarBuilder().dir("./").file("./index.html", "events v1".getBytes(StandardCharsets.UTF_8)).gzip();
        HttpResponse<String> deployed = Http.send(Http.request(api("/subscriptions/evt/artifact"))
                .header("Content-Type", "application/gzip").timeout(Duration.ofSeconds(60))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(app)));
        assertTrue(deployed.body(), deployed.statusCode() / 100 == 2);
        Map<String, Object> started = awaitEvents(StratosEvents.ROLLOUT_STARTED, l -> !l.isEmpty(), Duration.ofSeconds(10)).get(0);
        assertEquals(started.toString(), 1, started.get("artifactVersion"));
        assertEquals(started.toString(), 0, started.get("previousArtifactVersion"));
        assertEquals(started.toString(), "stratos-rollout", started.get("type"));
        Map<String, Object> finished = awaitEvents(StratosEvents.ROLLOUT_FINISHED, l -> !l.isEmpty(), Duration.ofSeconds(120)).get(0);
        assertEquals(finished.toString(), 1, finished.get("artifactVersion"));
        flat(finished);
        assertTrue(topics().toString(), !on(StratosEvents.ROLLOUT_PROGRESS).isEmpty());
        assertTrue(topics().toString(), on(StratosEvents.ROLLOUT_ROLLED_BACK).isEmpty());
        // the old processes went out through STOPPING
        assertTrue(topics().toString(), on("io/stratos/lxc/process/STOPPING").size() >= 2);
    }
}
