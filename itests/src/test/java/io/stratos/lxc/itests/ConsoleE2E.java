package io.stratos.lxc.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.stratos.lxc.itests.support.Await;
import io.stratos.lxc.itests.support.Browser;
import io.stratos.lxc.itests.support.ControllerProcess;
import io.stratos.lxc.itests.support.Json;
import io.stratos.lxc.itests.support.TestUsers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.FixMethodOrder;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TestWatcher;
import org.junit.runner.Description;
import org.junit.runners.MethodSorters;
import org.openqa.selenium.support.ui.Select;

/**
 * The web console in a real browser (headless chromium) against the built controller distribution with real
 * LXC processes: an operator signs in, uploads a cartridge version, subscribes, scales and watches the processes
 * appear without reloading the page, rides out a controller crash, and unsubscribes. Bad input in its forms
 * shows the API's own message beside the input and changes nothing.
 */
@FixMethodOrder(MethodSorters.NAME_ASCENDING)
public class ConsoleE2E {

    /** The user the console signs in as: the distribution's admin from etc/users.properties. */
    private static final String USER = TestUsers.ADMIN;
    private static final String PASSWORD = TestUsers.ADMIN_PASSWORD;

    private static final Duration SHORT = Duration.ofSeconds(15);
    private static final Duration PROCESSES = Duration.ofSeconds(90);

    private static ControllerProcess controller;
    private static Browser browser;
    private static Path work;
    private static Path image;

    @Rule
    public final TestWatcher onFailure = new TestWatcher() {
        @Override
        protected void failed(Throwable e, Description description) {
            try {
                System.out.println("screenshot of the failure: " + browser.screenshot("failed-" + description.getMethodName()));
                System.out.println("browser log: " + browser.browserLog());
            } catch (Exception ignored) {
                // the browser may be what failed
            }
        }
    };

    @BeforeClass
    public static void start() throws Exception {
        assumeTrue("chromium and chromedriver are not installed (" + Browser.CHROMIUM + ", " + Browser.CHROMEDRIVER
                + "; scripts/host-setup.sh installs them): the web console's browser tests are skipped", Browser.available());
        work = Path.of(System.getProperty("stratos.work.dir"));
        image = buildSecondVersion();
        controller = ControllerProcess.create("controller-console");
        // the controller's history every second, so that a chart opened afresh has points at once
        controller.distribution().configure("io.stratos.lxc.history.cfg", "intervalSeconds", "1");
        controller.start();
        controller.awaitCartridge("static-httpd");
        controller.expect(201, "POST", "/partitions", "{\"name\":\"static\",\"cartridge\":\"static-httpd\",\"minVms\":1,\"maxVms\":1,"
                + "\"vmCapacity\":{\"cpuMillis\":2000,\"memoryMiB\":2048}}");
        browser = Browser.start(work, work.getParent().resolve("screenshots"));
    }

    @AfterClass
    public static void stop() throws Exception {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (controller != null) {
                controller.close();
            }
        }
    }

    /** static-httpd 1.0.1, built by its recipe into the work directory (as ControllerDistributionE2E does). */
    private static Path buildSecondVersion() throws Exception {
        Path recipe = Path.of(System.getProperty("stratos.work.dir")).getParent().getParent().getParent()
                .resolve("cartridges/static-httpd/build.sh");
        Files.createDirectories(work);
        ProcessBuilder builder = new ProcessBuilder(recipe.toString(), "1.0.1").redirectErrorStream(true);
        builder.environment().put("OUT_DIR", work.toString());
        Process build = builder.start();
        String built = new String(build.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(built, 0, build.waitFor());
        return Path.of(built.lines().filter(l -> l.endsWith(".tar.gz")).findFirst().orElseThrow());
    }

    private static String consoleUrl() {
        return "http://127.0.0.1:" + controller.httpPort() + "/stratos/console/";
    }

    /** A fresh tab state: no credentials, at the sign-in form. */
    private static void openSignedOut() {
        browser.open(consoleUrl());
        browser.script("sessionStorage.clear()");
        browser.open(consoleUrl() + "#/overview");
        browser.driver().navigate().refresh();
        browser.awaitVisible("#login-form", SHORT);
    }

    private static void signIn(String user, String password) {
        browser.find("#login-user").clear();
        browser.find("#login-user").sendKeys(user);
        browser.find("#login-password").clear();
        browser.find("#login-password").sendKeys(password);
        browser.find("#login-submit").click();
    }

    private static void go(String page) {
        browser.find("#nav a[data-page='" + page + "']").click();
    }

    /** What the API itself answers to a bad request: the console must show these words. */
    private static String apiError(int status, String method, String path, String body) throws Exception {
        HttpResponse<String> response = controller.send(method, path, body);
        assertEquals(response.body(), status, response.statusCode());
        return Json.strings(response.body(), "error").get(0);
    }

    private static long runningRows() {
        return browser.findAll("#processes tbody tr[data-state='RUNNING']").size();
    }

    @Test
    public void a_anOperatorUploadsSubscribesScalesRidesOutACrashAndUnsubscribes() throws Exception {
        // Sign in: the console keeps the credentials for this tab and sends them on every API call.
        openSignedOut();
        signIn(USER, PASSWORD);
        browser.awaitVisible("#overview-counts", SHORT);
        assertTrue(browser.visible("#nav"));
        assertEquals(USER, browser.text("#user"));
        assertFalse(browser.visible("#login-form"));
        // Overview: the partition's VM becomes READY, with its capacity as bars.
        browser.await("the partition's VM READY on the overview", PROCESSES, () ->
                browser.text("#overview-partitions [data-partition='static'] table.vms").contains("READY"));
        assertTrue(browser.text("[data-partition='static'] .totals").matches("(?s).*0 / 2000 m used · 2000 free.*"));
        browser.screenshot("01-overview");

        // Cartridges: a file that is not an image is refused with the API's words, and nothing changes.
        go("cartridges");
        browser.awaitVisible("#cartridges [data-cartridge='static-httpd']", SHORT);
        String before = controller.get("/cartridges");
        Path notAnImage = work.resolve("not-an-image.txt");
        Files.writeString(notAnImage, "this is a text file, not a cartridge image\n");
        String refused = apiError(400, "PUT", "/cartridges/static-httpd/versions/9.9.9", Files.readString(notAnImage));
        browser.find("#upload-file").sendKeys(notAnImage.toString());
        browser.find("#upload-name").sendKeys("static-httpd");
        browser.find("#upload-version").sendKeys("9.9.9");
        browser.find("#upload-submit").click();
        browser.await("the refused upload's message", SHORT, () -> browser.text("#upload-error").contains(refused));
        assertEquals(before, controller.get("/cartridges"));
        assertTrue(browser.findAll("[data-cartridge='static-httpd'] tr[data-version='9.9.9']").isEmpty());

        // A real image: name and version are read from the file name; the progress bar ends at 100 %.
        browser.find("#upload-name").clear();
        browser.find("#upload-version").clear();
        browser.find("#upload-file").sendKeys(image.toString());
        assertEquals("static-httpd", browser.find("#upload-name").getAttribute("value"));
        assertEquals("1.0.1", browser.find("#upload-version").getAttribute("value"));
        browser.find("#upload-submit").click();
        browser.await("the upload's result", SHORT, () -> browser.text("#upload-result").startsWith("Uploaded static-httpd 1.0.1"));
        assertEquals("100", browser.find("#upload-progress").getAttribute("value"));
        assertFalse(browser.visible("#upload-error"));
        browser.awaitVisible("[data-cartridge='static-httpd'] tr[data-version='1.0.1']", SHORT);
        assertEquals("1.0.1", Json.at(controller.get("/cartridges/static-httpd"), "/tags/latest"));
        browser.screenshot("02-cartridges");

        // Subscriptions: subscribe to the new version, at most 3 processes.
        go("subscriptions");
        browser.await("the new version in the form", SHORT, () ->
                !browser.findAll("#subscribe-cartridge option[value='static-httpd']").isEmpty());
        new Select(browser.find("#subscribe-cartridge")).selectByValue("static-httpd");
        browser.await("the versions in the form", SHORT, () -> !browser.findAll("#subscribe-version option[value='1.0.1']").isEmpty());
        new Select(browser.find("#subscribe-version")).selectByValue("1.0.1");
        browser.find("#subscribe-alias").sendKeys("shop");
        browser.find("#subscribe-min").sendKeys("1");
        browser.find("#subscribe-max").sendKeys("3");
        browser.find("#subscribe-submit").click();
        browser.await("the subscription in the list", SHORT, () -> browser.visible("#subscriptions tr[data-alias='shop']"));
        assertTrue(browser.text("#subscribe-result").contains("Subscribed shop to static-httpd:1.0.1 (1..3 processes)"));
        String subscription = controller.get("/subscriptions/shop");
        assertEquals(subscription, "1.0.1", Json.at(subscription, "/version"));

        // The same alias again: the API's message beside the alias field, and the subscription unchanged.
        String taken = apiError(409, "POST", "/subscriptions", "{\"alias\":\"shop\",\"cartridge\":\"static-httpd\"}");
        browser.find("#subscribe-alias").sendKeys("shop");
        browser.find("#subscribe-submit").click();
        browser.await("the taken alias's message beside the alias", SHORT, () ->
                browser.text("#subscribe-form .field-error[data-for='alias']").contains(taken));
        assertEquals("true", browser.find("#subscribe-alias").getAttribute("aria-invalid"));
        // unchanged: the same subscription (its processes may have gone from STARTING to RUNNING meanwhile)
        assertEquals(withoutProcessStates(subscription), withoutProcessStates(controller.get("/subscriptions/shop")));
        assertEquals(1, Json.strings(controller.get("/subscriptions"), "alias").size());
        browser.await("the subscription's process on the list", PROCESSES, () ->
                browser.text("#subscriptions tr[data-alias='shop']").contains("RUNNING 1"));
        browser.screenshot("03-subscriptions");

        // One subscription: scale to 3 and watch three processes appear, without the page being reloaded.
        browser.find("#subscriptions a.alias").click();
        browser.await("the subscription's page with one RUNNING process", PROCESSES, () -> runningRows() == 1);
        browser.script("window.stillTheSamePage = true");
        assertTrue(browser.find("#scale-down").getAttribute("disabled") != null);
        browser.find("#scale-up").click();
        browser.await("2 processes wanted", SHORT, () -> browser.text("#scale-desired").equals("2"));
        browser.find("#scale-to").sendKeys("3");
        browser.find("#scale-submit").click();
        browser.await("3 processes wanted", SHORT, () -> browser.text("#scale-desired").equals("3"));
        browser.await("three RUNNING processes on the page", PROCESSES, () -> runningRows() == 3);
        assertEquals(Boolean.TRUE, browser.script("return window.stillTheSamePage === true"));
        assertEquals(3, Json.count(controller.get("/subscriptions/shop/processes"), "state", "RUNNING"));
        // at the maximum, "+" is disabled; asking for more anyway gets the API's message and changes nothing
        assertTrue(browser.find("#scale-up").getAttribute("disabled") != null);
        String beyond = apiError(400, "PUT", "/subscriptions/shop/scale", "{\"processes\":4}");
        browser.find("#scale-to").sendKeys("4");
        browser.find("#scale-submit").click();
        browser.await("the scale's message beside the number", SHORT, () ->
                browser.text("#scale-form .field-error[data-for='processes']").contains(beyond));
        assertEquals("3", Json.at(controller.get("/subscriptions/shop"), "/desiredProcesses"));
        assertEquals("3", browser.text("#scale-desired"));
        // the chart has sampled a few refreshes by now
        browser.await("the live chart", SHORT, () -> !browser.findAll("#chart canvas").isEmpty());
        awaitTwoMoreChartSamples();
        browser.screenshot("04-subscription");

        // The controller crashes: the page says so and keeps its data; once it is back, the page is live again.
        controller.distribution().kill();
        browser.await("the lost connection shown", SHORT, () ->
                browser.text("#connection").startsWith("Connection to the controller lost"));
        assertEquals(3L, runningRows());
        browser.screenshot("05-connection-lost");
        controller.distribution().start();
        controller.awaitReady();
        browser.await("the connection restored", PROCESSES, () -> !browser.text("#connection").startsWith("Connection to the controller lost"));
        browser.await("three RUNNING processes after the restart", PROCESSES, () -> runningRows() == 3);
        assertEquals(Boolean.TRUE, browser.script("return window.stillTheSamePage === true"));

        // An autoscaled subscription: its policy is picked in the form; the autoscaler's decision, with its reason,
        // shows on the subscription's page (and as a mark on its chart) and in the autoscaler's log.
        controller.expect(201, "POST", "/autoscale-policies",
                "{\"name\":\"web\",\"metrics\":{\"cpuPercent\":{\"target\":50}},\"minProcesses\":2,\"maxProcesses\":3}");
        go("subscriptions");
        browser.await("the policy in the form", SHORT, () -> !browser.findAll("#subscribe-policy option[value='web']").isEmpty());
        browser.find("#subscribe-alias").clear();
        browser.find("#subscribe-alias").sendKeys("blog");
        new Select(browser.find("#subscribe-policy")).selectByValue("web");
        browser.find("#subscribe-submit").click();
        browser.awaitVisible("#subscriptions tr[data-alias='blog'] a.alias", SHORT).click();
        String reason = Await.success("the autoscaler's decision for blog", PROCESSES, () ->
                Json.strings(controller.get("/autoscaler/decisions"), "reason").get(0));
        browser.await("the decision on blog's page", SHORT, () ->
                browser.text("#subscription-decisions").contains("1 → 2") && browser.text("#subscription-decisions").contains(reason));
        browser.await("blog's two RUNNING processes", PROCESSES, () -> runningRows() == 2);
        awaitTwoMoreChartSamples();
        browser.screenshot("06-autoscaled-subscription");
        // Opened afresh (this tab's own samples gone), the chart starts from the controller's history, not from nothing.
        browser.script("Object.keys(sessionStorage).filter(k => k.startsWith('stratos.console.history.'))"
                + ".forEach(k => sessionStorage.removeItem(k))");
        browser.driver().navigate().refresh();
        browser.await("the chart drawn from the controller's history at load", SHORT, () ->
                chartPoints("historyPoints") >= 5 && chartPoints("points") >= chartPoints("historyPoints"));
        browser.screenshot("06b-chart-from-history");
        // The last hour instead of 5 minutes: the chart asks the controller for it and spans it.
        new Select(browser.find("#chart-window")).selectByValue("60");
        browser.await("the chart over the last hour", SHORT, () -> chartPoints("window") == 3600
                && chartPoints("points") >= chartPoints("historyPoints") && chartPoints("historyPoints") >= 5);
        assertFalse(browser.visible("#chart-error"));
        go("autoscaler");
        browser.await("the decision in the log", SHORT, () -> browser.text("#decisions tr.up").contains(reason));
        assertTrue(browser.text("#decisions tr.up").contains("blog"));
        assertTrue(browser.text("#policies").contains("cpuPercent 50"));
        browser.screenshot("07-autoscaler");

        // The VMs with their agents, and the overview with everything running.
        go("vms");
        browser.await("the VM with its heartbeat", SHORT, () -> browser.text("#vms tr[data-state='READY']").matches("(?s).*\\d+ s ago.*"));
        assertTrue(browser.text("#vms tr[data-state='READY']").contains("lxc"));
        // the agent's version and its image cache (the cartridge it runs)
        String agentVersion = Json.strings(controller.get("/vms"), "agentVersion").get(0);
        browser.await("the agent's version and image cache", SHORT, () -> browser.text("#vms tr[data-state='READY']").contains(agentVersion)
                && browser.text("#vms tr[data-state='READY']").contains("static-httpd:"));
        browser.screenshot("08-vms");
        go("overview");
        browser.await("five RUNNING processes on the overview", SHORT, () ->
                browser.text("#overview-counts [data-count='processes']").contains("RUNNING 5"));
        JsonNode allocated = Json.tree(controller.get("/vms")).path(0).path("allocated").path("cpuMillis");
        assertTrue(allocated.toString(), allocated.isInt());
        int used = allocated.intValue();
        browser.await("the partition's CPU bar at the API's allocation", SHORT, () ->
                browser.text("[data-partition='static'] .totals").contains(used + " / 2000 m used · " + (2000 - used) + " free"));
        browser.screenshot("09-overview-busy");

        // Unsubscribe shop: a second click confirms; its row goes, blog stays.
        go("subscriptions");
        browser.awaitVisible("#subscriptions tr[data-alias='shop'] button.unsubscribe", SHORT);
        browser.find("#subscriptions tr[data-alias='shop'] button.unsubscribe").click();
        assertTrue(Json.strings(controller.get("/subscriptions"), "alias").contains("shop"));
        browser.find("#subscriptions tr[data-alias='shop'] button.unsubscribe").click();
        browser.await("the subscription gone from the list", SHORT, () -> browser.findAll("#subscriptions tr[data-alias='shop']").isEmpty());
        assertEquals(404, controller.send("GET", "/subscriptions/shop", null).statusCode());
        assertTrue(browser.visible("#subscriptions tr[data-alias='blog']"));
        assertEquals(200, controller.send("GET", "/subscriptions/blog", null).statusCode());
    }

    @Test
    public void b_aWrongPasswordIsRefusedWithTheApiMessageAndTheFormStays() throws Exception {
        // Deliberately without credentials (ControllerProcess and Http may send the admin's): what a stranger gets.
        HttpResponse<String> stranger = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(controller.api("/subscriptions")))
                .header("X-Requested-With", "XMLHttpRequest").timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(stranger.body(), 401, stranger.statusCode());
        String refused = Json.strings(stranger.body(), "error").get(0);
        openSignedOut();
        signIn(USER, PASSWORD + "-wrong");
        browser.await("the refusal's message", SHORT, () -> browser.text("#login-error").contains(refused));
        assertTrue(browser.visible("#login-form"));
        assertFalse(browser.visible("#nav"));
        assertEquals(null, browser.script("return sessionStorage.getItem('stratos.console.credentials')"));
        // and a session whose credentials stop working goes back to the form, with the message
        signIn(USER, PASSWORD);
        browser.awaitVisible("#overview-counts", SHORT);
        browser.script("sessionStorage.setItem('stratos.console.credentials', JSON.stringify({user: 'karaf', "
                + "authorization: 'Basic ' + btoa('karaf:not-the-password')}))");
        browser.await("back at the sign-in form", SHORT, () -> browser.visible("#login-form"));
        assertTrue(browser.text("#login-error").contains(refused));
    }

    /** A number the subscription page's chart carries (data-points: drawn; data-history-points: from the controller). */
    /** Two more refreshes drawn on the live chart, for a screenshot that shows it moving. */
    private static void awaitTwoMoreChartSamples() {
        int drawn = chartPoints("points");
        browser.await("two more samples on the live chart", SHORT, () -> chartPoints("points") >= drawn + 2);
    }

    private static int chartPoints(String name) {
        Object value = browser.script("const chart = document.querySelector('#chart');"
                + " return chart && chart.dataset[arguments[0]] ? chart.dataset[arguments[0]] : '-1'", name);
        return Integer.parseInt(String.valueOf(value));
    }

    /** A subscription's JSON without its processes per state, which change on their own. */
    private static JsonNode withoutProcessStates(String subscription) {
        return ((ObjectNode) Json.tree(subscription)).without("processes");
    }
}
