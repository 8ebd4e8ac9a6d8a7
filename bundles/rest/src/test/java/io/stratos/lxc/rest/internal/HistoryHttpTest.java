package io.stratos.lxc.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratos.lxc.api.controller.SubscriptionSpec;
import io.stratos.lxc.testsupport.FakeCloudController;
import io.stratos.lxc.api.history.HistoryService;
import io.stratos.lxc.api.history.PartitionHistory;
import io.stratos.lxc.api.history.SubscriptionHistory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /subscriptions/{alias}/history} and {@code /partitions/{name}/history} over real HTTP (CXF on Jetty,
 * 127.0.0.1): a tenant reads only its own subscriptions' history (another's is 404 like an unknown one), minutes out
 * of 1..60 or not a number is a 400 naming the range, partitions are for admins, and without the history service the
 * answer is 503, not a failure of the subscription paths.
 */
class HistoryHttpTest {

    static TestApiServer server;
    static final HttpClient http = HttpClient.newHttpClient();
    static final FakeCloudController controller = new FakeCloudController();
    static final AtomicInteger askedMinutes = new AtomicInteger();
    static SubscriptionResource subscriptions;
    static PartitionResource partitions;

    static final HistoryService HISTORY = new HistoryService() {
        @Override
        public SubscriptionHistory subscription(String alias, int minutes) {
            askedMinutes.set(minutes);
            return new SubscriptionHistory(alias, 5, true, List.of(new SubscriptionHistory.Sample(1_800_000_000_000L, 2, 1.5, 12.5,
                    64L << 20)));
        }

        @Override
        public PartitionHistory partition(String name, int minutes) {
            return new PartitionHistory(name, 5, true, List.of());
        }
    };

    @BeforeAll
    static void start() throws Exception {
        ApiAuthentication authentication = new ApiAuthentication((user, password) ->
                Optional.ofNullable(ApiSecurityHttpTest.USERS.get(user + ":" + password)), System::currentTimeMillis);
        subscriptions = new SubscriptionResource();
        subscriptions.controller = controller;
        subscriptions.history = HISTORY;
        partitions = new PartitionResource();
        partitions.controller = controller;
        partitions.history = HISTORY;
        server = new TestApiServer(List.of(subscriptions, partitions), new AuthenticationFilter(authentication));
        controller.subscribe("alice", new SubscriptionSpec("alice-shop", "c", null, null, null, null, null, null));
        controller.subscribe("bob", new SubscriptionSpec("bob-shop", "c", null, null, null, null, null, null));
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static HttpResponse<String> get(String credentials, String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.base + path))
                .header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aTenantReadsItsOwnHistoryWithSixtyMinutesByDefault() throws Exception {
        HttpResponse<String> own = get("alice:a-pass", "/subscriptions/alice-shop/history");
        assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
        assertThat(own.body()).contains("\"alias\" : \"alice-shop\"").contains("\"intervalSeconds\" : 5")
                .contains("\"t\" : 1800000000000").contains("\"running\" : 2").contains("\"inFlight\" : 1.5")
                .contains("\"cpu\" : 12.5").contains("\"memoryBytes\" : 67108864");
        assertThat(askedMinutes.get()).isEqualTo(60);
        assertThat(get("alice:a-pass", "/subscriptions/alice-shop/history?minutes=1").statusCode()).isEqualTo(200);
        assertThat(askedMinutes.get()).isEqualTo(1);
        assertThat(get("root:secret", "/subscriptions/bob-shop/history?minutes=60").statusCode()).isEqualTo(200);
    }

    @Test
    void anotherTenantsOrAnUnknownAliasIsTheSame404() throws Exception {
        HttpResponse<String> others = get("alice:a-pass", "/subscriptions/bob-shop/history");
        HttpResponse<String> unknown = get("alice:a-pass", "/subscriptions/nothing/history");
        assertThat(others.statusCode()).isEqualTo(404);
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(others.body()).contains("\"error\"").contains("no subscription 'bob-shop'");
    }

    @Test
    void minutesOutsideOneToSixtyOrNotANumberIsA400NamingTheRange() throws Exception {
        for (String minutes : new String[] {"0", "61", "-5", "abc", "1.5", "", "99999999999999999999"}) {
            HttpResponse<String> bad = get("alice:a-pass", "/subscriptions/alice-shop/history?minutes=" + minutes);
            assertThat(bad.statusCode()).as(minutes).isEqualTo(400);
            assertThat(bad.body()).contains("\"field\" : \"minutes\"").contains("from 1 to 60");
        }
        HttpResponse<String> partition = get("root:secret", "/partitions/web/history?minutes=0");
        assertThat(partition.statusCode()).isEqualTo(400);
        assertThat(partition.body()).contains("from 1 to 60");
    }

    @Test
    void partitionHistoryIsForAdminsAndAnUnknownPartitionIs404() throws Exception {
        assertThat(get("alice:a-pass", "/partitions/web/history").statusCode()).isEqualTo(403);
        HttpResponse<String> unknown = get("root:secret", "/partitions/web/history");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).contains("\"error\"");
    }

    @Test
    void withoutTheHistoryServiceItIs503AndTheSubscriptionItselfStillAnswers() throws Exception {
        subscriptions.history = null;
        try {
            HttpResponse<String> away = get("alice:a-pass", "/subscriptions/alice-shop/history");
            assertThat(away.statusCode()).isEqualTo(503);
            assertThat(away.body()).contains("history is not available");
            assertThat(get("alice:a-pass", "/subscriptions/alice-shop").statusCode()).isEqualTo(200);
        } finally {
            subscriptions.history = HISTORY;
        }
    }
}
