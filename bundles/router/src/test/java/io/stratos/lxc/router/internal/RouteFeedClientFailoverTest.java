package io.stratos.lxc.router.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A router apart given several controllers that share one database follows the active one, over real HTTP. */
class RouteFeedClientFailoverTest {

    private final List<HttpServer> servers = new java.util.ArrayList<>();
    private RouteFeedClient feed;

    @AfterEach
    void stop() {
        if (feed != null) {
            feed.close();
        }
        servers.forEach(s -> s.stop(0));
    }

    /** A controller on a free loopback port answering the route feed, and how often it was asked. */
    private record Controller(HttpServer server, AtomicInteger polls) {
        URI origin() {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
        }
    }

    /**
     * A controller whose route feed has one alias served by p1: at once from a standby, after a short long poll
     * otherwise. {@code names} is the active controller a standby points the router to (X-Stratos-Active), or null.
     */
    private Controller controller(String role, Controller names) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        servers.add(server);
        AtomicInteger polls = new AtomicInteger();
        server.createContext("/stratos/router/v1/routes", exchange -> {
            polls.incrementAndGet();
            exchange.getResponseHeaders().add("X-Stratos-Role", role);
            if (names != null) {
                exchange.getResponseHeaders().add("X-Stratos-Active", names.origin() + "/stratos");
            }
            if (!"standby".equals(role) && polls.get() > 1) {
                try {
                    Thread.sleep(200); // the point: the active one's long poll, holding the answer when nothing is new
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = ("{\"revision\":" + (polls.get() + 10) + ",\"complete\":true,\"aliases\":{\"shop\":[{\"process\":\"p1\","
                    + "\"endpoint\":\"10.214.0.2:20000\"}]},\"removed\":[]}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        return new Controller(server, polls);
    }

    /** The router's feed, given the controllers in this order, started. */
    private void follow(Controller... controllers) {
        feed = new RouteFeedClient(java.util.Arrays.stream(controllers).map(Controller::origin).toList(), "Basic eDp5",
                HttpClient.newHttpClient(), System::currentTimeMillis);
        feed.start();
    }

    @Test
    void aStandbysRoutesAreServedWhileTheRouterMovesToTheActiveControllerItNames() throws Exception {
        Controller active = controller("active", null);
        Controller standby = controller("standby", active);

        follow(standby, active);

        await().atMost(Duration.ofSeconds(5)).until(() -> active.polls().get() >= 3);
        assertThat(standby.polls()).hasValue(1);
        assertThat(feed.backends("shop")).extracting(Backend::toString).containsExactly("p1 at http://10.214.0.2:20000");
    }

    @Test
    void whenTheFollowedControllerIsGoneTheNextListedIsFollowedAndTheLastRoutesServeMeanwhile() throws Exception {
        Controller first = controller("active", null);
        Controller second = controller("standby", null);
        follow(first, second);
        await().atMost(Duration.ofSeconds(5)).until(() -> first.polls().get() >= 2);

        first.server().stop(0); // killed

        await().atMost(Duration.ofSeconds(10)).until(() -> second.polls().get() >= 2);
        assertThat(feed.backends("shop")).extracting(Backend::toString).containsExactly("p1 at http://10.214.0.2:20000");
    }
}
