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

    /** A controller on a free loopback port; {@link #answer} gives it its route feed. */
    private HttpServer controller() throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        servers.add(server);
        server.start();
        return server;
    }

    private static String origin(HttpServer server) {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    /** Its route feed: one alias served by {@code process}, at once from a standby, after a short long poll otherwise. */
    private static void answer(HttpServer server, String process, String role, String active, AtomicInteger polls) {
        server.createContext("/stratos/router/v1/routes", exchange -> {
            polls.incrementAndGet();
            if (role != null) {
                exchange.getResponseHeaders().add("X-Stratos-Role", role);
            }
            if (active != null) {
                exchange.getResponseHeaders().add("X-Stratos-Active", active);
            }
            if (!"standby".equals(role) && polls.get() > 1) {
                try {
                    Thread.sleep(200); // the active one's long poll: nothing new
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] body = ("{\"revision\":" + (polls.get() + 10) + ",\"complete\":true,\"aliases\":{\"shop\":[{\"process\":\""
                    + process + "\",\"endpoint\":\"10.214.0.2:20000\"}]},\"removed\":[]}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
    }

    @Test
    void aStandbysRoutesAreServedWhileTheRouterMovesToTheActiveControllerItNames() throws Exception {
        AtomicInteger standbyPolls = new AtomicInteger();
        AtomicInteger activePolls = new AtomicInteger();
        HttpServer standby = controller();
        HttpServer active = controller();
        answer(active, "p1", "active", null, activePolls);
        answer(standby, "p1", "standby", origin(active) + "/stratos", standbyPolls);
        feed = new RouteFeedClient(List.of(URI.create(origin(standby)), URI.create(origin(active))), "Basic eDp5",
                HttpClient.newHttpClient(), System::currentTimeMillis);

        feed.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> activePolls.get() >= 3);
        assertThat(standbyPolls).hasValue(1);
        assertThat(feed.backends("shop")).extracting(Backend::toString).containsExactly("p1 at http://10.214.0.2:20000");
    }

    @Test
    void whenTheFollowedControllerIsGoneTheNextListedIsFollowedAndTheLastRoutesServeMeanwhile() throws Exception {
        AtomicInteger firstPolls = new AtomicInteger();
        AtomicInteger secondPolls = new AtomicInteger();
        HttpServer first = controller();
        HttpServer second = controller();
        answer(first, "p1", "active", null, firstPolls);
        answer(second, "p1", "standby", null, secondPolls);
        feed = new RouteFeedClient(List.of(URI.create(origin(first)), URI.create(origin(second))), "Basic eDp5",
                HttpClient.newHttpClient(), System::currentTimeMillis);
        feed.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> firstPolls.get() >= 2);

        first.stop(0); // killed

        await().atMost(Duration.ofSeconds(10)).until(() -> secondPolls.get() >= 2);
        assertThat(feed.backends("shop")).extracting(Backend::toString).containsExactly("p1 at http://10.214.0.2:20000");
    }
}
