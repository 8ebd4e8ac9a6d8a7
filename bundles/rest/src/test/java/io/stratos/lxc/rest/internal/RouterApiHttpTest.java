package io.stratos.lxc.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stratos.lxc.api.router.Route;
import io.stratos.lxc.api.router.RouteChanges;
import io.stratos.lxc.api.router.RouteFeed;
import io.stratos.lxc.api.router.RouterReport;
import io.stratos.lxc.api.router.RouterTrafficSink;
import java.util.concurrent.CompletionStage;
import io.stratos.lxc.api.security.Caller;
import io.stratos.lxc.api.security.Role;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The routers' protocol over real HTTP: a router user long-polls the route changes; nobody else reads them. */
class RouterApiHttpTest {

    final List<Long> asked = new CopyOnWriteArrayList<>();
    final List<String> reported = new CopyOnWriteArrayList<>();
    final CompletableFuture<RouteChanges> next = new CompletableFuture<>();
    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    ServletJetty jetty;
    String base;

    @BeforeEach
    void start() throws Exception {
        RouterApiServlet servlet = new RouterApiServlet();
        servlet.settings = new RestSettings();
        servlet.authentication = new ApiAuthentication((user, password) -> switch (user + ":" + password) {
            case "edge:r-pass" -> Optional.of(new Caller("edge", Set.of(Role.ROUTER)));
            case "alice:a-pass" -> Optional.of(Caller.tenant("alice"));
            default -> Optional.empty();
        }, System::currentTimeMillis);
        servlet.routes = new RouteFeed() {
            @Override
            public CompletionStage<RouteChanges> changesAfter(long revision) {
                asked.add(revision);
                return revision == 0
                        ? CompletableFuture.completedFuture(new RouteChanges(7, true,
                                Map.of("shop", List.of(new Route("p-1", "10.214.0.2:20000"))), List.of()))
                        : next;
            }

            @Override
            public long revision() {
                return 7;
            }
        };
        servlet.traffic = new RouterTrafficSink() {
            @Override
            public void report(String router, Map<String, Double> perAlias) {
                reported.add(router + " " + new java.util.TreeMap<>(perAlias));
            }

            @Override
            public void report(RouterReport report) {
                reported.add(report.router() + " " + new java.util.TreeMap<>(report.inFlight())
                        + (report.requested().isEmpty() ? "" : " requested " + report.requested())
                        + (report.revision() == 0 ? "" : " at " + report.revision())
                        + (report.processes().isEmpty() ? "" : " processes " + new java.util.TreeMap<>(report.processes())));
            }
        };
        servlet.scaleFromZero = alias -> alias.equals("shop");
        jetty = new ServletJetty(servlet, RouterApiServlet.PATTERN, 40);
        base = jetty.origin + "/stratos/router/v1";
    }

    @AfterEach
    void stop() throws Exception {
        jetty.close();
    }

    private HttpResponse<String> get(String path, String user) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10));
        if (user != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(user.getBytes(StandardCharsets.UTF_8)));
        }
        return http.send(request.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRouterGetsEveryAliasFirstThenWaitsForTheNextChange() throws Exception {
        HttpResponse<String> first = get("/routes", "edge:r-pass");

        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).isEqualTo("{\"revision\":7,\"complete\":true,\"aliases\":{\"shop\":[{\"process\":\"p-1\","
                + "\"endpoint\":\"10.214.0.2:20000\"}]},\"removed\":[]}");

        CompletableFuture<HttpResponse<String>> waiting = http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/routes?since=7"))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString("edge:r-pass".getBytes(StandardCharsets.UTF_8)))
                .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
        await().atMost(Duration.ofSeconds(5)).until(() -> asked.contains(7L));
        assertThat(waiting).isNotDone();

        next.complete(new RouteChanges(8, false, Map.of(), List.of("shop")));
        HttpResponse<String> changed = waiting.get();
        assertThat(changed.statusCode()).isEqualTo(200);
        assertThat(changed.body()).contains("\"revision\":8").contains("\"removed\":[\"shop\"]");
    }

    @Test
    void withoutCredentialsItIs401AndATenantIs403BothAsJson() throws Exception {
        HttpResponse<String> anonymous = get("/routes", null);
        HttpResponse<String> tenant = get("/routes", "alice:a-pass");

        assertThat(anonymous.statusCode()).isEqualTo(401);
        assertThat(anonymous.body()).startsWith("{\"error\":\"authentication required");
        assertThat(anonymous.headers().firstValue("WWW-Authenticate")).contains(AuthenticationFilter.CHALLENGE);
        assertThat(tenant.statusCode()).isEqualTo(403);
        assertThat(tenant.body()).contains("needs the role router or admin");
        assertThat(asked).isEmpty();
    }

    @Test
    void aBadRevisionAnUnknownPathAndAnotherMethodGetTheApisErrors() throws Exception {
        HttpResponse<String> bad = get("/routes?since=yesterday", "edge:r-pass");
        HttpResponse<String> unknown = get("/backends", "edge:r-pass");
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(URI.create(base + "/routes"))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());

        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("\"field\":\"since\"");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).contains("GET");
    }

    private HttpResponse<String> post(String path, String user, String json) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(user.getBytes(StandardCharsets.UTF_8)))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aRouterReportsItsRequestsInFlightAndBadReportsAreRefusedWithTheField() throws Exception {
        HttpResponse<String> ok = post("/traffic", "edge:r-pass", "{\"router\":\"edge1@10.0.0.7:8280\",\"inFlight\":{\"shop\":1.5}}");
        HttpResponse<String> badAlias = post("/traffic", "edge:r-pass", "{\"router\":\"edge1\",\"inFlight\":{\"Shop!\":1}}");
        HttpResponse<String> negative = post("/traffic", "edge:r-pass", "{\"router\":\"edge1\",\"inFlight\":{\"shop\":-1}}");
        HttpResponse<String> noName = post("/traffic", "edge:r-pass", "{\"inFlight\":{}}");
        HttpResponse<String> tenant = post("/traffic", "alice:a-pass", "{\"router\":\"edge1\",\"inFlight\":{}}");
        HttpResponse<String> get = get("/traffic", "edge:r-pass");

        assertThat(ok.statusCode()).isEqualTo(204);
        assertThat(badAlias.statusCode()).isEqualTo(400);
        assertThat(badAlias.body()).contains("\"field\":\"inFlight\"");
        assertThat(negative.statusCode()).isEqualTo(400);
        assertThat(negative.body()).contains("\"field\":\"inFlight.shop\"");
        assertThat(noName.statusCode()).isEqualTo(400);
        assertThat(noName.body()).contains("\"field\":\"router\"");
        assertThat(tenant.statusCode()).isEqualTo(403);
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(get.headers().firstValue("Allow")).contains("POST");
        assertThat(reported).containsExactly("edge1@10.0.0.7:8280 {shop=1.5}");
    }

    @Test
    void aRouterReportsTheAliasesRequestedItsRevisionAndItsRequestsPerProcessForDrains() throws Exception {
        HttpResponse<String> ok = post("/traffic", "edge:r-pass", "{\"router\":\"edge1\",\"inFlight\":{},"
                + "\"requested\":[\"shop\"],\"revision\":9,\"processes\":{\"p-1\":2}}");
        HttpResponse<String> badProcess = post("/traffic", "edge:r-pass", "{\"router\":\"edge1\",\"processes\":{\"p-1\":-2}}");
        HttpResponse<String> badRevision = post("/traffic", "edge:r-pass", "{\"router\":\"edge1\",\"revision\":-1}");
        HttpResponse<String> badRequested = post("/traffic", "edge:r-pass", "{\"router\":\"edge1\",\"requested\":[\"a b\"]}");

        assertThat(ok.statusCode()).isEqualTo(204);
        assertThat(reported).containsExactly("edge1 {} requested [shop] at 9 processes {p-1=2}");
        assertThat(badProcess.statusCode()).isEqualTo(400);
        assertThat(badProcess.body()).contains("\"field\":\"processes.p-1\"");
        assertThat(badRevision.body()).contains("\"field\":\"revision\"");
        assertThat(badRequested.body()).contains("\"field\":\"requested\"");
    }

    @Test
    void aRouterAsksToWakeASubscriptionAtZero() throws Exception {
        HttpResponse<String> woken = post("/wake", "edge:r-pass", "{\"alias\":\"shop\"}");
        HttpResponse<String> stays = post("/wake", "edge:r-pass", "{\"alias\":\"blog\"}");
        HttpResponse<String> bad = post("/wake", "edge:r-pass", "{\"alias\":\"../x\"}");
        HttpResponse<String> tenant = post("/wake", "alice:a-pass", "{\"alias\":\"shop\"}");

        assertThat(woken.statusCode()).isEqualTo(200);
        assertThat(woken.body()).contains("\"starting\":true").contains("\"alias\":\"shop\"");
        assertThat(stays.body()).contains("\"starting\":false");
        assertThat(bad.statusCode()).isEqualTo(400);
        assertThat(bad.body()).contains("\"field\":\"alias\"");
        assertThat(tenant.statusCode()).isEqualTo(403);
    }
}
