package io.stratos.lxc.router.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratos.lxc.api.controller.ProcessState;
import io.stratos.lxc.api.router.RouterStats;
import io.stratos.lxc.api.status.ComponentState;
import io.stratos.lxc.api.status.ComponentStatus;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The DS component: configuration, status, figures, a port that is taken. */
class RouterComponentTest {

    static {
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    private final FakeController controller = new FakeController();
    private final RouterComponent component = new RouterComponent();
    private TestBackend backend;

    @BeforeEach
    void start() throws Exception {
        backend = new TestBackend("a");
        controller.process("shop", ProcessState.RUNNING, backend.port()).subscribed("blog");
        component.controller = controller.service();
    }

    @AfterEach
    void stop() {
        component.deactivate();
        backend.close();
    }

    private static Map<String, Object> config(Object... keysAndValues) {
        Map<String, Object> map = new HashMap<>();
        for (int i = 0; i < keysAndValues.length; i += 2) {
            map.put((String) keysAndValues[i], keysAndValues[i + 1]);
        }
        return map;
    }

    @Test
    void listensOnItsPortAndSaysSo() throws Exception {
        int port = RouterServerTest.deadPort();
        component.activate(config("port", String.valueOf(port), "domain", "apps.example"));
        ComponentStatus status = component.componentStatus();
        assertThat(status.name()).isEqualTo("router");
        assertThat(status.state()).isEqualTo(ComponentState.ACTIVE);
        assertThat(status.detail()).isEqualTo("listening on 127.0.0.1:" + port + ", 2 aliases");

        RawHttp.Response response = RawHttp.send(port, "GET", "/x", "Host: shop.apps.example");
        assertThat(response.status()).isEqualTo(200);
        RouterServerTest.await(() -> component.traffic("shop").requests() == 1);
        assertThat(component.requestsInFlight("shop")).isZero();
        RouterStats stats = component.stats();
        assertThat(stats.port()).isEqualTo(port);
        assertThat(stats.bindAddress()).isEqualTo("127.0.0.1");
        assertThat(stats.domain()).isEqualTo("apps.example");
        assertThat(stats.listening()).isTrue();
        assertThat(stats.aliases()).hasSize(1);
        assertThat(stats.aliases().get(0).backends()).isEqualTo(1);
        assertThat(new RouterMBeanImplProbe(component).aliases()).containsExactly(
                RouterMBeanImpl.line(stats.aliases().get(0)));
    }

    @Test
    void aBadValueShowsUnconfiguredNamingTheKeyAndKeepsTheLastGoodSettings() throws Exception {
        int port = RouterServerTest.deadPort();
        component.activate(config("port", String.valueOf(port)));
        component.configure(config("port", "eighty", "requestTimeoutSeconds", "-1"));
        ComponentStatus status = component.componentStatus();
        assertThat(status.state()).isEqualTo(ComponentState.UNCONFIGURED);
        assertThat(status.detail()).contains("'port'").contains("eighty").contains("requestTimeoutSeconds")
                .contains("listening on 127.0.0.1:" + port);
        assertThat(RawHttp.send(port, "GET", "/shop/").status()).isEqualTo(200);

        component.configure(config("port", String.valueOf(port)));
        assertThat(component.componentStatus().state()).isEqualTo(ComponentState.ACTIVE);
    }

    @Test
    void aBadValueAtFirstStartUsesTheDefaultForThatKey() throws Exception {
        int port = RouterServerTest.deadPort();
        component.activate(config("port", String.valueOf(port), "ioThreads", "lots", "bindAddress", "not an address"));
        ComponentStatus status = component.componentStatus();
        assertThat(status.state()).isEqualTo(ComponentState.UNCONFIGURED);
        assertThat(status.detail()).contains("ioThreads").contains("bindAddress");
        assertThat(RawHttp.send(port, "GET", "/shop/").status()).isEqualTo(200);
    }

    @Test
    void aNewPortMovesTheRouter() throws Exception {
        int first = RouterServerTest.deadPort();
        component.activate(config("port", String.valueOf(first)));
        int second = RouterServerTest.deadPort();
        component.configure(config("port", String.valueOf(second)));
        assertThat(RawHttp.send(second, "GET", "/shop/").status()).isEqualTo(200);
        assertThat(component.stats().port()).isEqualTo(second);
        assertThat(component.componentStatus().detail()).contains(":" + second);
    }

    @Test
    void aTakenPortIsUnavailableAndRetriedUntilFree() throws Exception {
        ServerSocket taken = new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1"));
        int port = taken.getLocalPort();
        component.activate(config("port", String.valueOf(port)));
        ComponentStatus status = component.componentStatus();
        assertThat(status.state()).isEqualTo(ComponentState.UNAVAILABLE);
        assertThat(status.detail()).contains("cannot listen on 127.0.0.1:" + port);
        assertThat(component.stats().listening()).isFalse();
        taken.close();
        RouterServerTest.await(() -> component.componentStatus().state() == ComponentState.ACTIVE);
        assertThat(RawHttp.send(port, "GET", "/shop/").status()).isEqualTo(200);
    }

    @Test
    void withoutTheControllerItWaitsAtBootAndIsDegradedWhenItLeaves() throws Exception {
        int port = RouterServerTest.deadPort();
        component.controller = null;
        component.activate(config("port", String.valueOf(port)));
        assertThat(component.componentStatus().state()).isEqualTo(ComponentState.ACTIVE);
        assertThat(component.componentStatus().detail()).endsWith("waiting for the cloud controller");
        component.controller = controller.service();
        assertThat(component.componentStatus().state()).isEqualTo(ComponentState.ACTIVE);
        component.controller = null;
        ComponentStatus status = component.componentStatus();
        assertThat(status.state()).isEqualTo(ComponentState.DEGRADED);
        assertThat(status.detail()).contains("cloud controller is not available");
        assertThat(RawHttp.send(port, "GET", "/shop/").status()).isEqualTo(503);
    }

    @Test
    void tellsTheAutoscalerRequestsInFlightPerRunningProcess() throws Exception {
        TestBackend second = new TestBackend("b");
        try {
            controller.process("shop", ProcessState.RUNNING, second.port());
            int port = RouterServerTest.deadPort();
            component.activate(config("port", String.valueOf(port)));
            assertThat(component.value("shop", "requestsInFlight")).hasValue(0);
            assertThat(component.value("shop", "cpuPercent")).isEmpty();
            var client = java.net.http.HttpClient.newHttpClient();
            var slow = new java.util.ArrayList<java.util.concurrent.CompletableFuture<?>>();
            for (int i = 0; i < 3; i++) {
                slow.add(client.sendAsync(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + "/shop/slow")).build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding()));
            }
            RouterServerTest.await(() -> component.requestsInFlight("shop") == 3);
            assertThat(component.value("shop", "requestsInFlight")).hasValue(1.5);
            backend.release.countDown();
            second.release.countDown();
            for (var response : slow) {
                response.get();
            }
            RouterServerTest.await(() -> component.value("shop", "requestsInFlight").orElse(-1) == 0);
        } finally {
            second.close();
        }
    }

    /** The MBean over a component, without OSGi. */
    private record RouterMBeanImplProbe(RouterComponent component) {
        String[] aliases() throws Exception {
            RouterMBeanImpl mbean = new RouterMBeanImpl();
            mbean.metrics = component;
            assertThat(mbean.getPort()).isEqualTo(component.stats().port());
            assertThat(mbean.requests("shop")).isEqualTo(1);
            assertThat(mbean.getRequests()).isEqualTo(1);
            assertThat(mbean.getRequestsInFlight()).isZero();
            return mbean.getAliases();
        }
    }
}
