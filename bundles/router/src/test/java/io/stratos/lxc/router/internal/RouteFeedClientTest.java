package io.stratos.lxc.router.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
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
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A router apart from the controller follows its route feed, and keeps serving what it knows when it is gone. */
class RouteFeedClientTest {

    /** The controller's answers, in order: status and body; a poll waits until the test offers one. */
    private final BlockingQueue<String[]> answers = new LinkedBlockingQueue<>();
    private final List<String> asked = new CopyOnWriteArrayList<>();
    private final List<String> traffic = new CopyOnWriteArrayList<>();
    private HttpServer controller;
    private RouteFeedClient feed;

    @BeforeEach
    void start() throws IOException {
        controller = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        controller.createContext("/stratos/router/v1/routes", exchange -> {
            asked.add(exchange.getRequestURI().getQuery() + " as " + exchange.getRequestHeaders().getFirst("Authorization"));
            String[] answer;
            try {
                answer = answers.poll(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                answer = null;
            }
            if (answer == null) {
                answer = new String[] {"503", "{\"error\":\"no answer\"}"};
            }
            byte[] body = answer[1].getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(Integer.parseInt(answer[0]), body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        controller.createContext("/stratos/router/v1/traffic", exchange -> {
            traffic.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8) + " as "
                    + exchange.getRequestHeaders().getFirst("Authorization"));
            exchange.sendResponseHeaders(204, -1);
            exchange.close();
        });
        controller.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        controller.start();
        feed = new RouteFeedClient(URI.create("http://127.0.0.1:" + controller.getAddress().getPort()), "Basic ZWRnZTE6cHc=",
                HttpClient.newHttpClient(), System::currentTimeMillis);
    }

    @AfterEach
    void stop() {
        feed.close();
        controller.stop(0);
    }

    @Test
    void beforeTheFirstAnswerNoAliasIsServedAndTheLookUpSaysWhy() {
        assertThatThrownBy(() -> feed.backends("shop"))
                .isInstanceOf(BackendSource.SourceUnavailableException.class)
                .hasMessageContaining("no routes from the controller at http://127.0.0.1:");
    }

    @Test
    void followsEveryAliasThenEachChangeAsTheRouterUser() {
        answers.add(new String[] {"200", "{\"revision\":5,\"complete\":true,\"aliases\":{\"shop\":[{\"process\":\"p1\","
                + "\"endpoint\":\"10.214.0.2:20000\"}],\"blog\":[]},\"removed\":[]}"});
        feed.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> feed.revision() == 5);

        assertThat(feed.backends("shop")).extracting(Backend::toString).containsExactly("p1 at http://10.214.0.2:20000");
        assertThat(feed.backends("blog")).isEmpty();
        assertThat(feed.backends("nope")).as("an alias the controller does not have").isNull();

        answers.add(new String[] {"200", "{\"revision\":6,\"complete\":false,\"aliases\":{\"shop\":[{\"process\":\"p1\","
                + "\"endpoint\":\"10.214.0.2:20000\"},{\"process\":\"p2\",\"endpoint\":\"[fd00::3]:20001\"}]},\"removed\":[\"blog\"]}"});
        await().atMost(Duration.ofSeconds(5)).until(() -> feed.revision() == 6);

        assertThat(feed.backends("shop")).hasSize(2);
        assertThat(feed.backends("blog")).isNull();
        assertThat(asked).startsWith("since=0 as Basic ZWRnZTE6cHc=", "since=5 as Basic ZWRnZTE6cHc=");
        assertThat(feed.problem()).isEmpty();
    }

    @Test
    void theAliasesThatChangedAreToldBeforeTheRevisionMoves() {
        java.util.List<String> told = new java.util.concurrent.CopyOnWriteArrayList<>();
        feed.onChange(aliases -> told.add(new java.util.TreeSet<>(aliases) + " at " + feed.revision()));
        feed.apply(new io.stratos.lxc.api.router.RouteChanges(5, true, java.util.Map.of("shop", java.util.List.of(),
                "blog", java.util.List.of()), java.util.List.of()));
        feed.apply(new io.stratos.lxc.api.router.RouteChanges(6, false, java.util.Map.of("shop", java.util.List.of()),
                java.util.List.of("blog")));
        feed.apply(new io.stratos.lxc.api.router.RouteChanges(7, true, java.util.Map.of("wiki", java.util.List.of()),
                java.util.List.of()));

        assertThat(told).containsExactly("[blog, shop] at 0", "[blog, shop] at 5", "[shop, wiki] at 6");
        assertThat(feed.revision()).isEqualTo(7);
    }

    @Test
    void whileTheControllerIsGoneTheLastBackendsStayAndTheProblemIsSaid() {
        answers.add(new String[] {"200", "{\"revision\":5,\"complete\":true,\"aliases\":{\"shop\":[{\"process\":\"p1\","
                + "\"endpoint\":\"10.214.0.2:20000\"}]},\"removed\":[]}"});
        feed.start();
        await().atMost(Duration.ofSeconds(5)).until(() -> feed.revision() == 5);

        controller.stop(0);

        await().atMost(Duration.ofSeconds(15)).until(() -> !feed.problem().isEmpty());
        assertThat(feed.backends("shop")).hasSize(1);
        assertThat(feed.revision()).isEqualTo(5);
    }

    @Test
    void aRefusedLoginIsAProblemThatNamesTheAnswer() {
        answers.add(new String[] {"401", "{\"error\":\"authentication required\"}"});
        feed.start();

        await().atMost(Duration.ofSeconds(5)).until(() -> !feed.problem().isEmpty());
        assertThat(feed.problem()).contains("401").contains("authentication required");
        assertThatThrownBy(() -> feed.backends("shop")).hasMessageContaining("401");
    }

    @Test
    void theRoutersRequestsInFlightArePostedAsItsUser() {
        feed.report(new io.stratos.lxc.api.router.RouterReport("router-1@127.0.0.1:8280", java.util.Map.of("shop", 2.5),
                java.util.List.of("shop", "blog"), 42, java.util.Map.of("p-1", 3)));

        assertThat(traffic).hasSize(1);
        assertThat(traffic.get(0)).contains("\"router\":\"router-1@127.0.0.1:8280\"").contains("\"inFlight\":{\"shop\":2.5}")
                .contains("\"requested\":[\"shop\",\"blog\"]").contains("\"revision\":42")
                .contains("\"processes\":{\"p-1\":3}")
                .endsWith(" as Basic ZWRnZTE6cHc=");
    }
}
