package io.stratos.lxc.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.agent.AgentCredentials;
import io.stratos.lxc.api.agent.AgentRegistration;
import io.stratos.lxc.api.agent.AgentRegistry;
import io.stratos.lxc.api.agent.AgentReport;
import io.stratos.lxc.api.agent.DesiredState;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agent protocol over real HTTP (the servlet on Jetty): waiting polls hold no request threads; bad input gets JSON. */
class AgentLongPollHttpTest {

    /** More than the web server's request threads (200): blocking polls would leave none for anything else. */
    static final int POLLS = 300;

    final CompletableFuture<DesiredState> change = new CompletableFuture<>();
    final List<CompletableFuture<DesiredState>> waiting = new CopyOnWriteArrayList<>();
    final RestSettings settings = new RestSettings();
    final AtomicInteger reports = new AtomicInteger();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    ServletJetty jetty;
    String base;

    @BeforeEach
    void start() throws Exception {
        AgentApiServlet servlet = new AgentApiServlet();
        servlet.settings = settings;
        servlet.registry = new AgentRegistry() {
            @Override
            public AgentCredentials register(AgentRegistration registration) {
                if (!"join".equals(registration.joinToken())) {
                    throw StratosException.notFound("unknown join token", null);
                }
                return new AgentCredentials("vm-1", "s3cret", 5, 20);
            }

            @Override
            public CompletionStage<DesiredState> desiredState(String agentId, String secret, long since) {
                if (!secret.equals("s3cret")) {
                    throw StratosException.notFound("unknown agent or wrong credentials", null);
                }
                CompletableFuture<DesiredState> poll = change.thenApply(s -> s);
                waiting.add(poll);
                return poll;
            }

            @Override
            public void report(String agentId, String secret, AgentReport report) {
                reports.incrementAndGet();
            }

            @Override
            public boolean authenticates(String agentId, String secret) {
                return true;
            }
        };
        // fewer request threads than waiting polls (the production server has 200, the test sends 300 polls)
        jetty = new ServletJetty(servlet, AgentApiServlet.PATTERN, 40);
        base = jetty.origin + "/stratos/agent/v1";
    }

    @AfterEach
    void stop() throws Exception {
        jetty.close();
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer s3cret");
    }

    @Test
    void manyWaitingPollsLeaveTheServerFreeForStatusReportsAndAllGetTheChange() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
        for (int i = 0; i < POLLS; i++) {
            polls.add(http.sendAsync(request("/agents/vm-" + i + "/desired?since=1").GET().build(), HttpResponse.BodyHandlers.ofString()));
        }
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> assertThat(waiting).hasSize(POLLS));

        HttpResponse<String> status = http.send(request("/agents/vm-0/status").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"revision\":1,\"processes\":[],\"cachedImages\":[]}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(status.statusCode()).isEqualTo(204);
        assertThat(reports).hasValue(1);
        assertThat(polls).noneMatch(CompletableFuture::isDone);

        change.complete(new DesiredState(2, List.of()));
        for (CompletableFuture<HttpResponse<String>> poll : polls) {
            HttpResponse<String> answer = poll.get(20, TimeUnit.SECONDS);
            assertThat(answer.statusCode()).isEqualTo(200);
            assertThat(answer.body()).contains("\"revision\":2");
        }
    }

    @Test
    void aPollWithWrongCredentialsIsRefusedAsJson() throws Exception {
        HttpResponse<String> answer = http.send(request("/agents/vm-0/desired?since=1").setHeader("Authorization", "Bearer wrong").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).isEqualTo(404);
        assertThat(answer.body()).contains("\"error\"");
    }

    @Test
    void aPollThatFailsLaterAnswersWithTheMappedError() throws Exception {
        CompletableFuture<HttpResponse<String>> poll = http.sendAsync(request("/agents/vm-0/desired?since=1").GET().build(),
                HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(10)).until(() -> !waiting.isEmpty());
        change.completeExceptionally(StratosException.notFound("unknown agent or wrong credentials", null));
        HttpResponse<String> answer = poll.get(10, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(404);
        assertThat(answer.body()).contains("unknown agent");
    }

    @Test
    void registersAndAnswersCompactJson() throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(base + "/register")).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"joinToken\":\"join\",\"runtimes\":[],\"capacity\":{\"cpuMillis\":1000,\"memoryMiB\":512}}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
        assertThat(answer.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        assertThat(answer.body()).startsWith("{\"").contains("\"agentId\":\"vm-1\"").doesNotContain("\n");
    }

    @Test
    void badRequestsGetTheApisJsonErrorsAndReachNoService() throws Exception {
        record Case(HttpRequest request, int status, String says) {
        }
        List<Case> cases = List.of(
                new Case(request("/agents/vm-0/status").header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"revision\":")).build(), 400, "not valid JSON"),
                new Case(request("/agents/vm-0/status").header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"revision\":1,\"colour\":\"red\"}")).build(), 400, "unknown field 'colour'"),
                new Case(request("/agents/vm-0/status").header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.noBody()).build(), 400, "needs a JSON body"),
                new Case(request("/agents/vm-0/status").header("Content-Type", "text/plain")
                        .POST(HttpRequest.BodyPublishers.ofString("hello")).build(), 415, "is not JSON"),
                new Case(request("/agents/vm-0/status").header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("[" + "1,".repeat(1_000) + "1]")).build(), 413, "limit"),
                new Case(request("/agents/vm-0/status").GET().build(), 405, "method not allowed"),
                new Case(request("/agents/vm-0/desired?since=abc").GET().build(), 400, "revision number"),
                new Case(request("/agents/vm-0/elsewhere").GET().build(), 404, "no agent API"),
                new Case(request("/agents/vm-0/status").setHeader("Authorization", "Basic eDp5").header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString("{\"revision\":1,\"processes\":[],\"cachedImages\":[]}")).build(), 404,
                        "wrong credentials"));
        // A small limit for the test (the least there is), so that the refused body fits in the socket's buffers: the client has sent all of
        // it before the server answers 413 and closes (a large one could meet a reset while still being sent).
        settings.configure(java.util.Map.of("maxJsonBytes", "1024"));
        try {
            for (Case c : cases) {
                // a client of its own for each: the server closes a connection whose body it refused unread (413),
                // and a shared client could send the next request on it as it closes
                HttpResponse<String> answer = HttpClient.newHttpClient().send(c.request, HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).as(c.request + ": " + answer.body()).isEqualTo(c.status);
                ApiError error = RestServer.objectMapper().readValue(answer.body(), ApiError.class);
                assertThat(error.error()).as(c.request.toString()).contains(c.says);
                if (c.status == 405) {
                    assertThat(answer.headers().firstValue("Allow")).as("405 says what is allowed").contains("POST");
                }
            }
        } finally {
            settings.configure(java.util.Map.of());
        }
        // what java.net.URI refuses to build, sent as bytes: a query that is not validly percent-encoded
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", URI.create(base).getPort())) {
            socket.getOutputStream().write(("GET /stratos/agent/v1/agents/vm-0/desired?since=1&%=% HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Authorization: Bearer s3cret\r\nConnection: close\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 400").contains("not validly percent-encoded");
        }
        assertThat(reports).hasValue(0);
        assertThat(waiting).isEmpty();
    }
}
