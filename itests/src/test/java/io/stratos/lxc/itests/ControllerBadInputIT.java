package io.stratos.lxc.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.stratos.lxc.itests.support.Http;
import io.stratos.lxc.itests.support.Json;
import io.stratos.lxc.itests.support.StratosKarafTestSupport;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Bad input to the controller's REST API, each case a clear 4xx JSON error naming the field, and the
 * controller's state unchanged afterwards.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ControllerBadInputIT extends StratosKarafTestSupport {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /**
     * The partition here has no VM on purpose (the pending process is part of the specification); the autoscaler's
     * level 2 would otherwise start a local VM for it, whose agent outlives this test's Karaf.
     */
    @Override
    @org.ops4j.pax.exam.Configuration
    public org.ops4j.pax.exam.Option[] config() {
        org.ops4j.pax.exam.Option[] base = super.config();
        org.ops4j.pax.exam.Option[] options = java.util.Arrays.copyOf(base, base.length + 1);
        options[base.length] = org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut(
                "etc/io.stratos.lxc.autoscaler.cfg", "vmScalingEnabled", "false");
        return options;
    }

    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = Http.request(api(path)).timeout(Duration.ofSeconds(30))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sends, checks status, error text and field, and that partitions and subscriptions did not change. */
    private static void refused(int status, String method, String path, String body, String error, String field) throws Exception {
        String partitions = names("/partitions", "name");
        String subscriptions = names("/subscriptions", "alias");
        HttpResponse<String> response = send(method, path, body);
        assertEquals(response.body(), status, response.statusCode());
        assertTrue(response.body(), response.body().contains(error));
        if (field != null) {
            assertEquals(response.body(), field, Json.at(response.body(), "/field"));
        }
        assertTrue("no stack trace: " + response.body(), !response.body().contains("Exception"));
        assertEquals(partitions, names("/partitions", "name"));
        assertEquals(subscriptions, names("/subscriptions", "alias"));
    }

    private static String names(String path, String field) throws Exception {
        return String.join(",", Json.strings(Http.get(api(path)).body(), field));
    }

    @Before
    public void aCartridgeAndAPartitionWithoutVms() throws Exception {
        awaitApiWithSampleCartridge();
        if (send("GET", "/partitions/web", null).statusCode() == 404) {
            assertEquals(201, send("POST", "/partitions", "{\"name\":\"web\",\"cartridge\":\"static-httpd\",\"minVms\":0,\"maxVms\":2}").statusCode());
        }
        if (send("GET", "/subscriptions/hello", null).statusCode() == 404) {
            assertEquals(201, send("POST", "/subscriptions", "{\"alias\":\"hello\",\"cartridge\":\"static-httpd\",\"maxProcesses\":3}").statusCode());
        }
    }

    @Test
    public void malformedJsonAndWrongTypesAreRefusedNamingTheField() throws Exception {
        refused(400, "POST", "/partitions", "{\"name\":", "not valid JSON", null);
        refused(400, "POST", "/partitions", "{\"name\":\"other\",\"cartridge\":\"php\",\"minVms\":\"two\"}", "wrong type", "minVms");
        refused(400, "POST", "/subscriptions", "{\"alias\":\"x\",\"cartridge\":\"static-httpd\",\"colour\":\"red\"}", "unknown field 'colour'", "colour");
        refused(400, "PUT", "/subscriptions/hello/scale", "{\"processes\":\"many\"}", "wrong type", "processes");
        refused(400, "PUT", "/subscriptions/hello/scale", "{}", "the number of processes is required", "processes");
    }

    @Test
    public void partitionsRefuseDuplicatesUnknownAdaptersAndDeletionWhileInUse() throws Exception {
        refused(409, "POST", "/partitions", "{\"name\":\"web\",\"cartridge\":\"php\"}", "partition 'web' exists", "name");
        refused(409, "POST", "/partitions", "{\"name\":\"web2\",\"cartridge\":\"static-httpd\"}", "already serves cartridge", "cartridge");
        refused(400, "POST", "/partitions", "{\"name\":\"other\",\"cartridge\":\"php\",\"adapter\":\"openstack\"}",
                "no IaaS adapter 'openstack' is available", "adapter");
        refused(400, "POST", "/partitions", "{\"name\":\"Not_A_Label\",\"cartridge\":\"php\"}", "is not a DNS label", "name");
        refused(400, "POST", "/partitions", "{\"name\":\"other\",\"cartridge\":\"php\",\"minVms\":3,\"maxVms\":2}", "maxVms must be", "maxVms");
        refused(400, "POST", "/partitions", "{\"name\":\"other\",\"cartridge\":\"php\",\"template\":{\"network\":\"10.0.0.0/33\"}}",
                "the prefix length must be 0 to 32", "template.network");
        refused(400, "POST", "/partitions", "{\"name\":\"other\",\"cartridge\":\"php\",\"template\":{\"network\":\"vpc-main\"}}",
                "is not an IP address or CIDR range", "template.network");
        refused(409, "DELETE", "/partitions/web", null, "still serves subscriptions [hello]", "name");
        refused(404, "DELETE", "/partitions/nope", null, "no partition 'nope'", null);
    }

    @Test
    public void subscriptionsRefuseTakenOrInvalidAliasesUnknownCartridgesAndScalesOutOfRange() throws Exception {
        refused(409, "POST", "/subscriptions", "{\"alias\":\"hello\",\"cartridge\":\"static-httpd\"}", "alias 'hello' is taken", "alias");
        refused(400, "POST", "/subscriptions", "{\"alias\":\"Hello World\",\"cartridge\":\"static-httpd\"}", "is not a DNS label", "alias");
        refused(400, "POST", "/subscriptions", "{\"alias\":\"" + "a".repeat(64) + "\",\"cartridge\":\"static-httpd\"}", "is not a DNS label", "alias");
        refused(400, "POST", "/subscriptions", "{\"cartridge\":\"static-httpd\"}", "alias is required", "alias");
        refused(404, "POST", "/subscriptions", "{\"alias\":\"other\",\"cartridge\":\"nginx\"}", "nginx", null);
        refused(404, "POST", "/subscriptions", "{\"alias\":\"other\",\"cartridge\":\"static-httpd\",\"version\":\"9.9.9\"}", "9.9.9", null);
        refused(400, "PUT", "/subscriptions/hello/scale", "{\"processes\":4}", "can have 1 to 3 processes, not 4", "processes");
        refused(400, "PUT", "/subscriptions/hello/scale", "{\"processes\":0}", "can have 1 to 3 processes, not 0", "processes");
        refused(404, "PUT", "/subscriptions/nope/scale", "{\"processes\":1}", "no subscription 'nope'", null);
        List<String> states = Json.strings(Http.get(api("/subscriptions/hello/processes")).body(), "state");
        assertEquals("one process, waiting for a VM (the partition has none)", List.of("PENDING"), states);
    }

    /** Sends, checks status, error text and field, and that the policies (names and bodies) did not change. */
    private static void refusedPolicy(int status, String method, String path, String body, String error, String field)
            throws Exception {
        String policies = Http.get(api("/autoscale-policies")).body();
        refused(status, method, path, body, error, field);
        assertEquals(policies, Http.get(api("/autoscale-policies")).body());
    }

    @Test
    public void autoscalePoliciesRefuseBadBoundsWindowsAndMetricsAndDeletionWhileInUse() throws Exception {
        if (send("GET", "/autoscale-policies/steady", null).statusCode() == 404) {
            assertEquals(201, send("POST", "/autoscale-policies", "{\"name\":\"steady\",\"metrics\":{\"cpuPercent\":{\"target\":60}},"
                    + "\"minProcesses\":1,\"maxProcesses\":3}").statusCode());
        }
        if (send("GET", "/subscriptions/auto", null).statusCode() == 404) {
            assertEquals(201, send("POST", "/subscriptions", "{\"alias\":\"auto\",\"cartridge\":\"static-httpd\",\"policy\":\"steady\"}")
                    .statusCode());
        }
        try {
            refusedPolicies();
        } finally {
            // the other tests here expect only their own subscription
            send("DELETE", "/subscriptions/auto", null);
            send("DELETE", "/autoscale-policies/steady", null);
        }
    }

    private static void refusedPolicies() throws Exception {
        String cpu = "\"metrics\":{\"cpuPercent\":{\"target\":60}}";
        refusedPolicy(400, "POST", "/autoscale-policies", "{\"name\":\"p\"," + cpu + ",\"minProcesses\":5,\"maxProcesses\":3}",
                "must be at least minProcesses", "maxProcesses");
        refusedPolicy(400, "POST", "/autoscale-policies", "{\"name\":\"p\"," + cpu + ",\"scaleUpCooldownSeconds\":-1}",
                "scaleUpCooldownSeconds must be from 0", "scaleUpCooldownSeconds");
        refusedPolicy(400, "POST", "/autoscale-policies", "{\"name\":\"p\"," + cpu + ",\"scaleDownStabilizationSeconds\":-30}",
                "scaleDownStabilizationSeconds must be from 0", "scaleDownStabilizationSeconds");
        refusedPolicy(400, "POST", "/autoscale-policies", "{\"name\":\"p\"," + cpu + ",\"scaleUpStep\":0}", "scaleUpStep", "scaleUpStep");
        refusedPolicy(400, "POST", "/autoscale-policies", "{\"name\":\"p\",\"metrics\":{\"cpuPercent\":{\"target\":0}}}",
                "target", "metrics.cpuPercent.target");
        refusedPolicy(400, "POST", "/autoscale-policies", "{\"name\":\"p\",\"metrics\":{\"9 bad\":{\"target\":1}}}",
                "9 bad", "metrics.9 bad");
        refusedPolicy(400, "POST", "/autoscale-policies", "{\"name\":\"p\",\"metrics\":{}}", "metric", "metrics");
        refusedPolicy(400, "POST", "/autoscale-policies", "{\"name\":\"p\"," + cpu + ",\"window\":5}", "unknown field 'window'", "window");
        // a change of a policy in use that is wrong changes nothing; deleting it is refused while a subscription uses it
        refusedPolicy(400, "PUT", "/autoscale-policies/steady", "{" + cpu + ",\"minProcesses\":4,\"maxProcesses\":2}",
                "must be at least minProcesses", "maxProcesses");
        refusedPolicy(409, "DELETE", "/autoscale-policies/steady", null, "used by subscriptions [auto]", "name");
        refusedPolicy(400, "POST", "/subscriptions", "{\"alias\":\"other\",\"cartridge\":\"static-httpd\",\"policy\":\"nope\"}",
                "no autoscale policy 'nope'", "policy");
        refusedPolicy(404, "DELETE", "/autoscale-policies/nope", null, "no autoscale policy 'nope'", null);
        assertEquals("steady", Json.at(Http.get(api("/subscriptions/auto")).body(), "/policy"));
    }
}
