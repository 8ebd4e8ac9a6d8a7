package io.stratos.lxc.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.controller.CartridgeProcess;
import io.stratos.lxc.api.controller.CloudController;
import io.stratos.lxc.api.controller.Partition;
import io.stratos.lxc.api.controller.PartitionSpec;
import io.stratos.lxc.api.controller.PartitionVm;
import io.stratos.lxc.api.controller.Subscription;
import io.stratos.lxc.api.controller.SubscriptionSpec;
import io.stratos.lxc.api.security.Caller;
import io.stratos.lxc.api.security.Role;
import io.stratos.lxc.testsupport.FakeCloudController;
import io.stratos.lxc.testsupport.MutableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The user API's authentication and authorisation over real HTTP (CXF on Jetty, 127.0.0.1): no or wrong
 * credentials are 401 with a challenge, a tenant is 403 on admin resources, sees and changes only its own
 * subscriptions, and always subscribes for itself; the OpenAPI description is public.
 */
class ApiSecurityHttpTest {

    static final Map<String, Caller> USERS = Map.of(
            "root:secret", Caller.admin("root"),
            "alice:a-pass", Caller.tenant("alice"),
            "bob:b-pass", Caller.tenant("bob"),
            "nobody:n-pass", new Caller("nobody", Set.of("viewer")));

    static TestApiServer server;
    static String base;
    static final HttpClient http = HttpClient.newHttpClient();
    static final FakeCloudController controller = new FakeCloudController();
    /** Token issue and revocation times: a revocation ends the tokens issued before its millisecond. */
    static final MutableClock clock = new MutableClock();

    @BeforeAll
    static void start() throws Exception {
        ApiAuthentication authentication = new ApiAuthentication((user, password) ->
                Optional.ofNullable(USERS.get(user + ":" + password)), clock::millis);
        SubscriptionResource subscriptions = new SubscriptionResource();
        subscriptions.controller = controller;
        PartitionResource partitions = new PartitionResource();
        partitions.controller = controller;
        TokenResource tokens = new TokenResource();
        tokens.authentication = authentication;
        StatusResource status = new StatusResource();
        status.statusService = () -> new io.stratos.lxc.api.status.SystemStatus("1.2.3", "2026-01-01T00:00:00Z", 5,
                io.stratos.lxc.api.status.ComponentState.ACTIVE, List.of(
                        new io.stratos.lxc.api.status.ComponentStatus("controller", io.stratos.lxc.api.status.ComponentState.ACTIVE,
                                "3 partitions, 12 VMs, 40 processes"),
                        new io.stratos.lxc.api.status.ComponentStatus("store", io.stratos.lxc.api.status.ComponentState.ACTIVE,
                                "7 images in /opt/stratos/data/store")));
        server = new TestApiServer(List.of(subscriptions, partitions, tokens, status, new OpenApiResource()),
                new AuthenticationFilter(authentication));
        base = server.base;
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void aTenantSeesVersionAndStatesInTheStatusButNoFleetCountsOrPathsAndAnAdminSeesAll() throws Exception {
        HttpResponse<String> tenant = call("alice:a-pass", "GET", "/status", null);
        assertThat(tenant.statusCode()).isEqualTo(200);
        assertThat(tenant.body()).contains("\"1.2.3\"").contains("\"controller\"").contains("\"store\"").contains("ACTIVE")
                .doesNotContain("partitions").doesNotContain("VMs").doesNotContain("/opt/stratos");
        HttpResponse<String> admin = call("root:secret", "GET", "/status", null);
        assertThat(admin.body()).contains("3 partitions, 12 VMs, 40 processes").contains("/opt/stratos/data/store");
    }

    static HttpResponse<String> call(String credentials, String method, String path, String json, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (credentials != null) {
            request.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
        }
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withoutOrWithWrongCredentialsTheApiAnswers401WithAChallengeAndAHint() throws Exception {
        HttpResponse<String> none = call(null, "GET", "/subscriptions", null);
        assertThat(none.statusCode()).isEqualTo(401);
        assertThat(none.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(v -> assertThat(v).startsWith("Basic realm="));
        assertThat(none.body()).contains("\"error\"").contains("authentication required").contains("curl -u");

        assertThat(call("alice:wrong", "GET", "/subscriptions", null).statusCode()).isEqualTo(401);
        assertThat(call(null, "GET", "/partitions", null).statusCode()).isEqualTo(401);
    }

    static HttpResponse<String> callWithToken(String token, String method, String path, String json) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String tokenOf(String credentials) throws Exception {
        HttpResponse<String> issued = call(credentials, "POST", "/tokens", null);
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
        return issued.body().replaceAll("(?s).*\"token\" : \"([^\"]+)\".*", "$1");
    }

    @Test
    void aTokenFromBasicCredentialsActsWithTheUsersRolesAndNothingMore() throws Exception {
        HttpResponse<String> issued = call("alice:a-pass", "POST", "/tokens", null);
        assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
        assertThat(issued.body()).contains("\"type\" : \"Bearer\"").contains("\"user\" : \"alice\"").contains("\"tenant\"")
                .contains("\"expiresInSeconds\" : 3600");
        String token = tokenOf("alice:a-pass");

        HttpResponse<String> created = callWithToken(token, "POST", "/subscriptions", "{\"alias\":\"alice-token\",\"cartridge\":\"c\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).contains("\"tenant\" : \"alice\"");
        assertThat(callWithToken(token, "GET", "/subscriptions", null).body()).contains("alice-token");
        // still a tenant: no partitions, and no token from a token
        assertThat(callWithToken(token, "GET", "/partitions", null).statusCode()).isEqualTo(403);
        HttpResponse<String> again = callWithToken(token, "POST", "/tokens", null);
        assertThat(again.statusCode()).isEqualTo(403);
        assertThat(again.body()).contains("\"error\"").contains("Basic");
        // an admin's token is an admin's
        assertThat(callWithToken(tokenOf("root:secret"), "GET", "/partitions", null).statusCode()).isEqualTo(200);
    }

    @Test
    void revokingEndsTheTokensIssuedSoFarToThatUserOnlyAndOnlyAnAdminRevokesAnothers() throws Exception {
        String alice = tokenOf("alice:a-pass");
        String bob = tokenOf("bob:b-pass");
        clock.millis += 5; // a revocation ends tokens issued before its millisecond

        HttpResponse<String> others = call("alice:a-pass", "DELETE", "/tokens?user=bob", null);
        assertThat(others.statusCode()).as(others.body()).isEqualTo(403);
        assertThat(others.body()).contains("only an admin");
        HttpResponse<String> own = callWithToken(alice, "DELETE", "/tokens", null);
        assertThat(own.statusCode()).as(own.body()).isEqualTo(200);
        assertThat(own.body()).contains("\"user\" : \"alice\"").contains("\"revokedBefore\"");

        assertThat(callWithToken(alice, "GET", "/subscriptions", null).statusCode()).isEqualTo(401);
        assertThat(callWithToken(bob, "GET", "/subscriptions", null).statusCode()).as("another user's token").isEqualTo(200);
        assertThat(callWithToken(tokenOf("alice:a-pass"), "GET", "/subscriptions", null).statusCode()).as("a new one").isEqualTo(200);
        assertThat(call("alice:a-pass", "GET", "/subscriptions", null).statusCode()).as("Basic is unaffected").isEqualTo(200);

        clock.millis += 5;
        assertThat(call("root:secret", "DELETE", "/tokens?user=bob", null).statusCode()).isEqualTo(200);
        assertThat(callWithToken(bob, "GET", "/subscriptions", null).statusCode()).isEqualTo(401);
        assertThat(call("root:secret", "DELETE", "/tokens?user=%0Abob", null).statusCode()).as("not a user name").isEqualTo(400);
    }

    @Test
    void aTamperedOrForeignTokenGetsTheSame401AsAWrongPassword() throws Exception {
        String token = tokenOf("alice:a-pass");
        String wrongPassword = call("alice:wrong", "GET", "/subscriptions", null).body();
        for (String bad : List.of(token.substring(0, token.length() - 2) + "xx", token + "x", "st1.bm9ib2R5.YWRtaW4.9999999999.AAAA",
                "an-agent-secret", "")) {
            HttpResponse<String> denied = callWithToken(bad, "GET", "/subscriptions", null);
            assertThat(denied.statusCode()).as(bad).isEqualTo(401);
            assertThat(denied.body()).isEqualTo(wrongPassword);
        }
        assertThat(call(null, "POST", "/tokens", null).statusCode()).isEqualTo(401);
        assertThat(call("nobody:n-pass", "POST", "/tokens", null).statusCode()).as("neither role").isEqualTo(403);
    }

    @Test
    void guessingPasswordsIsSlowedDownWith429AndRetryAfterWhileKnownGoodCredentialsStillWork() throws Exception {
        assertThat(call("bob:b-pass", "GET", "/subscriptions", null).statusCode()).isEqualTo(200); // now cached as good
        for (int i = 0; i < 5; i++) {
            assertThat(call("bob:guess" + i, "GET", "/subscriptions", null).statusCode()).isEqualTo(401);
        }
        assertThat(call("bob:guess5", "GET", "/subscriptions", null).statusCode()).isEqualTo(401);
        HttpResponse<String> throttled = call("bob:guess6", "GET", "/subscriptions", null);
        assertThat(throttled.statusCode()).isEqualTo(429);
        assertThat(throttled.headers().firstValue("Retry-After")).hasValueSatisfying(v -> assertThat(Long.parseLong(v)).isBetween(1L, 60L));
        assertThat(throttled.body()).contains("\"error\"").contains("too many failed logins").contains("\"hint\"");
        // any password not already known to be good waits: the guesser learns nothing from it
        assertThat(call("bob:another-guess", "GET", "/subscriptions", null).statusCode()).isEqualTo(429);
        // bob's session already known to be good, and other users, go on
        assertThat(call("bob:b-pass", "GET", "/subscriptions", null).statusCode()).isEqualTo(200);
        assertThat(call("root:secret", "GET", "/subscriptions", null).statusCode()).isEqualTo(200);
    }

    @Test
    void aBrowserPageGets401WithoutTheChallengeSoItCanAskForCredentialsItself() throws Exception {
        HttpResponse<String> page = call(null, "GET", "/subscriptions", null, "X-Requested-With", "XMLHttpRequest");
        assertThat(page.statusCode()).isEqualTo(401);
        assertThat(page.headers().firstValue("WWW-Authenticate")).isEmpty();
    }

    @Test
    void theOpenApiDescriptionIsPublic() throws Exception {
        assertThat(call(null, "GET", "/openapi.json", null).statusCode()).isEqualTo(200);
    }

    @Test
    void aTenantMayNotManagePartitionsOrVms() throws Exception {
        HttpResponse<String> denied = call("alice:a-pass", "GET", "/partitions", null);
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.body()).contains("alice may not GET").contains("admin");
        assertThat(call("alice:a-pass", "POST", "/partitions", "{\"name\":\"p\"}").statusCode()).isEqualTo(403);
        assertThat(call("alice:a-pass", "GET", "/vms", null).statusCode()).isEqualTo(403);
        assertThat(call("root:secret", "GET", "/partitions", null).statusCode()).isEqualTo(200);
    }

    @Test
    void aUserWithNeitherRoleMayNotSubscribe() throws Exception {
        HttpResponse<String> denied = call("nobody:n-pass", "POST", "/subscriptions", "{\"alias\":\"x\",\"cartridge\":\"c\"}");
        assertThat(denied.statusCode()).isEqualTo(403);
        assertThat(denied.body()).contains("tenant");
    }

    @Test
    void tenantsSeeAndChangeOnlyTheirOwnSubscriptions() throws Exception {
        // alice asks to subscribe for bob: she subscribes for herself.
        HttpResponse<String> created = call("alice:a-pass", "POST", "/subscriptions", "{\"alias\":\"alice-web\",\"cartridge\":\"c\"}");
        assertThat(created.statusCode()).as(created.body()).isEqualTo(201);
        assertThat(created.body()).contains("\"tenant\" : \"alice\"");
        assertThat(call("bob:b-pass", "POST", "/subscriptions", "{\"alias\":\"bob-web\",\"cartridge\":\"c\"}").statusCode()).isEqualTo(201);

        assertThat(call("alice:a-pass", "GET", "/subscriptions", null).body()).contains("alice-web").doesNotContain("bob-web");
        assertThat(call("root:secret", "GET", "/subscriptions", null).body()).contains("alice-web").contains("bob-web");

        // bob's subscription does not exist for alice: not readable, not scalable, not deletable.
        assertThat(call("alice:a-pass", "GET", "/subscriptions/bob-web", null).statusCode()).isEqualTo(404);
        assertThat(call("alice:a-pass", "PUT", "/subscriptions/bob-web/scale", "{\"processes\":3}").statusCode()).isEqualTo(404);
        assertThat(call("alice:a-pass", "GET", "/subscriptions/bob-web/processes", null).statusCode()).isEqualTo(404);
        assertThat(call("alice:a-pass", "DELETE", "/subscriptions/bob-web", null).statusCode()).isEqualTo(404);
        assertThat(controller.subscriptions.get("bob-web").desiredProcesses()).isEqualTo(1);
        assertThat(controller.subscriptions).containsKey("bob-web");

        // her own she may scale and delete; an admin may delete anyone's.
        assertThat(call("alice:a-pass", "PUT", "/subscriptions/alice-web/scale", "{\"processes\":3}").statusCode()).isEqualTo(200);
        assertThat(call("alice:a-pass", "DELETE", "/subscriptions/alice-web", null).statusCode()).isEqualTo(204);
        assertThat(call("root:secret", "DELETE", "/subscriptions/bob-web", null).statusCode()).isEqualTo(204);
        assertThat(controller.subscriptions).isEmpty();
    }

    /** Subscriptions in a map; partitions an empty list. */
    static {
        // Role names are what the realm gives; keep the test's in step with the API's.
        assertThat(Role.TENANT).isEqualTo("tenant");
    }
}
