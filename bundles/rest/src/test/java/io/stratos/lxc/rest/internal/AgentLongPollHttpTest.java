package io.stratos.lxc.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

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

/** The agent protocol's long poll over real HTTP (CXF on Jetty): waiting polls hold no request threads. */
class AgentLongPollHttpTest {

    /** More than the web server's request threads (200): blocking polls would leave none for anything else. */
    static final int POLLS = 300;

    final CompletableFuture<DesiredState> change = new CompletableFuture<>();
    final List<CompletableFuture<DesiredState>> waiting = new CopyOnWriteArrayList<>();
    final AtomicInteger reports = new AtomicInteger();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    TestApiServer server;

    @BeforeEach
    void start() throws Exception {
        AgentResource resource = new AgentResource();
        resource.registry = new AgentRegistry() {
            @Override
            public AgentCredentials register(AgentRegistration registration) {
                throw new UnsupportedOperationException();
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
        server = new TestApiServer(List.of(resource));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(server.base + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer s3cret");
    }

    @Test
    void manyWaitingPollsLeaveTheServerFreeForStatusReportsAndAllGetTheChange() throws Exception {
        List<CompletableFuture<HttpResponse<String>>> polls = new ArrayList<>();
        for (int i = 0; i < POLLS; i++) {
            polls.add(http.sendAsync(request("/agents/vm-" + i + "/desired?since=1").GET().build(), HttpResponse.BodyHandlers.ofString()));
        }
        long deadline = System.currentTimeMillis() + 20_000;
        while (waiting.size() < POLLS && System.currentTimeMillis() < deadline) {
            Thread.sleep(20);
        }
        assertThat(waiting).hasSize(POLLS);

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
            assertThat(answer.body()).contains("\"revision\" : 2");
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
        long deadline = System.currentTimeMillis() + 10_000;
        while (waiting.isEmpty() && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        change.completeExceptionally(StratosException.notFound("unknown agent or wrong credentials", null));
        HttpResponse<String> answer = poll.get(10, TimeUnit.SECONDS);
        assertThat(answer.statusCode()).isEqualTo(404);
        assertThat(answer.body()).contains("unknown agent");
    }
}
