package io.stratos.lxc.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import io.stratos.lxc.itests.support.Await;
import io.stratos.lxc.itests.support.ControllerProcess;
import io.stratos.lxc.itests.support.Json;
import io.stratos.lxc.itests.support.RawHttp;
import io.stratos.lxc.itests.support.TestUsers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;

/**
 * The built controller's API security, for real: users and roles from the distribution's JAAS realm
 * (etc/users.properties), tenants confined to their own subscriptions whose processes really run (so the
 * agents' authenticated image downloads work), and a loud warning while karaf/karaf is accepted.
 */
public class SecurityE2E {

    private ControllerProcess controller;

    @Before
    public void startController() throws Exception {
        controller = ControllerProcess.create("controller-security");
        controller.distribution().configure("io.stratos.lxc.security.cfg", "defaultPasswordCheckSeconds", "1");
        controller.start();
        controller.awaitCartridge("static-httpd");
    }

    @After
    public void stopController() throws Exception {
        controller.close();
    }

    private HttpResponse<String> as(String user, String password, String method, String path, String json) throws Exception {
        return controller.sendAs(user, password, method, path, json);
    }

    private HttpResponse<String> alice(String method, String path, String json) throws Exception {
        return as(TestUsers.ALICE, TestUsers.ALICE_PASSWORD, method, path, json);
    }

    private HttpResponse<String> bob(String method, String path, String json) throws Exception {
        return as(TestUsers.BOB, TestUsers.BOB_PASSWORD, method, path, json);
    }

    @Test
    public void usersNeedCredentialsAndTenantsSeeOnlyTheirOwnSubscriptions() throws Exception {
        HttpResponse<String> anonymous = as(null, null, "GET", "/subscriptions", null);
        assertEquals(anonymous.body(), 401, anonymous.statusCode());
        assertTrue(anonymous.headers().firstValue("WWW-Authenticate").orElse("").startsWith("Basic"));
        assertTrue(anonymous.body(), Json.hasStrings(anonymous.body(), "error", "hint"));
        assertEquals(401, as(TestUsers.ALICE, "wrong", "GET", "/subscriptions", null).statusCode());
        assertEquals(200, as(null, null, "GET", "/openapi.json", null).statusCode());

        // Infrastructure is the admin's.
        assertEquals(403, alice("GET", "/partitions", null).statusCode());
        assertEquals(403, alice("POST", "/partitions", "{\"name\":\"mine\",\"cartridge\":\"static-httpd\"}").statusCode());
        assertEquals(403, alice("DELETE", "/cartridges/static-httpd/versions/1.0.0", null).statusCode());
        assertEquals(403, alice("GET", "/autoscaler/decisions", null).statusCode());
        String digest = Json.strings(controller.get("/cartridges/static-httpd"), "digest").get(0);
        assertEquals("tenants do not download images", 403, alice("GET", "/images/" + digest, null).statusCode());
        assertEquals(200, alice("GET", "/cartridges", null).statusCode());
        controller.expect(201, "POST", "/partitions", "{\"name\":\"web\",\"cartridge\":\"static-httpd\",\"minVms\":1,\"maxVms\":1}");

        // alice subscribes (asking to do it for bob: it is hers all the same) and her process runs.
        HttpResponse<String> subscribed = alice("POST", "/subscriptions", "{\"alias\":\"alice-shop\",\"cartridge\":\"static-httpd\"}");
        assertEquals(subscribed.body(), 201, subscribed.statusCode());
        assertEquals(subscribed.body(), "alice", Json.at(subscribed.body(), "/tenant"));
        assertEquals(201, bob("POST", "/subscriptions", "{\"alias\":\"bob-blog\",\"cartridge\":\"static-httpd\"}").statusCode());
        Await.success("alice's process RUNNING (its agent fetched the image with its own credentials)", Duration.ofSeconds(120), () -> {
            HttpResponse<String> processes = alice("GET", "/subscriptions/alice-shop/processes", null);
            assertEquals(processes.body(), 200, processes.statusCode());
            assertEquals(processes.body(), 1, Json.count(processes.body(), "state", "RUNNING"));
            return null;
        });

        assertEquals(java.util.List.of("alice-shop"), Json.strings(alice("GET", "/subscriptions", null).body(), "alias"));
        assertEquals(java.util.List.of("bob-blog"), Json.strings(bob("GET", "/subscriptions", null).body(), "alias"));
        assertTrue(Json.strings(controller.get("/subscriptions"), "alias").containsAll(java.util.List.of("alice-shop", "bob-blog")));

        // bob cannot see, scale or delete alice's subscription: to him it does not exist.
        assertEquals(404, bob("GET", "/subscriptions/alice-shop", null).statusCode());
        assertEquals(404, bob("PUT", "/subscriptions/alice-shop/scale", "{\"processes\":2}").statusCode());
        assertEquals(404, bob("DELETE", "/subscriptions/alice-shop", null).statusCode());
        String aliceShop = controller.get("/subscriptions/alice-shop");
        assertEquals(aliceShop, "1", Json.at(aliceShop, "/desiredProcesses"));
        // but the alias stays taken: aliases are unique across the controller
        assertEquals(409, bob("POST", "/subscriptions", "{\"alias\":\"alice-shop\",\"cartridge\":\"static-httpd\"}").statusCode());

        assertEquals(200, alice("PUT", "/subscriptions/alice-shop/scale", "{\"processes\":2}").statusCode());
        assertEquals(204, alice("DELETE", "/subscriptions/alice-shop", null).statusCode());
        assertFalse(controller.get("/subscriptions").contains("alice-shop"));
    }

    private RawHttp.Response withToken(String token, String method, String path, String json) throws Exception {
        return controller.raw(method, path, Map.of("Authorization", "Bearer " + token, "Content-Type", "application/json"),
                json == null ? null : json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    public void aBearerTokenActsAsItsUserUntilTamperedWithAndSurvivesARestart() throws Exception {
        HttpResponse<String> issued = alice("POST", "/tokens", null);
        assertEquals(issued.body(), 200, issued.statusCode());
        assertEquals(issued.body(), "alice", Json.at(issued.body(), "/user"));
        assertEquals(issued.body(), "Bearer", Json.at(issued.body(), "/type"));
        String token = Json.strings(issued.body(), "token").get(0);

        // alice's roles and alice's subscriptions, nothing more
        RawHttp.Response created = withToken(token, "POST", "/subscriptions", "{\"alias\":\"alice-token\",\"cartridge\":\"static-httpd\"}");
        assertEquals(created.text(), 201, created.status());
        assertEquals(created.text(), "alice", Json.at(created.text(), "/tenant"));
        assertEquals(201, bob("POST", "/subscriptions", "{\"alias\":\"bob-token\",\"cartridge\":\"static-httpd\"}").statusCode());
        assertEquals(java.util.List.of("alice-token"), Json.strings(withToken(token, "GET", "/subscriptions", null).text(), "alias"));
        assertEquals(403, withToken(token, "GET", "/partitions", null).status());
        assertEquals(404, withToken(token, "DELETE", "/subscriptions/bob-token", null).status());
        RawHttp.Response again = withToken(token, "POST", "/tokens", null);
        assertEquals("a token does not make a token: " + again.text(), 403, again.status());

        // changed, forged or foreign: the same 401 as a wrong password
        String wrongPassword = as(TestUsers.ALICE, "wrong", "GET", "/subscriptions", null).body();
        String[] parts = token.split("\\.");
        String adminRole = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("admin".getBytes(StandardCharsets.UTF_8));
        for (String bad : java.util.List.of(String.join(".", parts[0], parts[1], adminRole, parts[3], parts[4], parts[5]),
                token.substring(0, token.length() - 3) + "abc", "not-a-token")) {
            RawHttp.Response denied = withToken(bad, "GET", "/subscriptions", null);
            assertEquals(bad, 401, denied.status());
            assertEquals(wrongPassword, denied.text());
        }

        // the key is kept (owner-only) in the data directory: a restarted controller still takes the token
        Path key = controller.distribution().home().resolve("data/security/api-token.key");
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(key)));
        controller.distribution().close();
        controller.start();
        assertEquals(java.util.List.of("alice-token"), Json.strings(withToken(token, "GET", "/subscriptions", null).text(), "alias"));
        assertTrue(Json.tree(controller.get("/openapi.json")).path("paths").has("/tokens"));

        // after a password change: alice ends her tokens; the revocation is kept across a restart, new tokens work
        RawHttp.Response revoked = withToken(token, "DELETE", "/tokens", null);
        assertEquals(revoked.text(), 200, revoked.status());
        assertEquals(401, withToken(token, "GET", "/subscriptions", null).status());
        controller.distribution().close();
        controller.start();
        assertEquals(401, withToken(token, "GET", "/subscriptions", null).status());
        HttpResponse<String> fresh = alice("POST", "/tokens", null);
        assertEquals(fresh.body(), 200, fresh.statusCode());
        assertEquals(200, withToken(Json.strings(fresh.body(), "token").get(0), "GET", "/subscriptions", null).status());
    }

    @Test
    public void guessingAPasswordIsSlowedDownWith429AndRetryAfter() throws Exception {
        HttpResponse<String> last = null;
        for (int i = 0; i < 10 && (last == null || last.statusCode() == 401); i++) {
            last = as(TestUsers.BOB, "guess-" + i, "GET", "/subscriptions", null);
        }
        assertEquals(last.body(), 429, last.statusCode());
        long retryAfter = Long.parseLong(last.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(String.valueOf(retryAfter), retryAfter >= 1 && retryAfter <= 60);
        assertTrue(last.body(), Json.hasStrings(last.body(), "error", "hint") && Json.at(last.body(), "/error").contains("too many failed logins"));
        // others are not held up, and once the pause is over bob's password works
        assertEquals(200, alice("GET", "/subscriptions", null).statusCode());
        Thread.sleep(retryAfter * 1000 + 200); // the point: a client that honours Retry-After, and no longer
        assertEquals(200, bob("GET", "/subscriptions", null).statusCode());
        assertTrue(Files.readString(controller.distribution().log()).contains("Failed login for user 'bob'"));
    }

    @Test
    public void theShippedDefaultPasswordIsReportedLoudlyUntilItIsChanged() throws Exception {
        String status = controller.get("/status");
        assertEquals(status, "ACTIVE", Json.componentState(status, "security"));

        // An operator puts karaf/karaf back: status and log say so within the check interval.
        Path users = controller.distribution().home().resolve("etc/users.properties");
        String changed = Files.readString(users);
        Files.writeString(users, changed + "\nkaraf = karaf,_g_:admingroup\n");
        try {
            Await.success("security DEGRADED", Duration.ofSeconds(60), () -> {
                String degraded = as(TestUsers.ADMIN, "karaf", "GET", "/status", null).body();
                assertEquals(degraded, "DEGRADED", Json.componentState(degraded, "security"));
                assertTrue(degraded, degraded.contains("karaf/karaf"));
                return null;
            });
            String log = Files.readString(controller.distribution().home().resolve("data/log/karaf.log"));
            assertTrue("a warning in the log", log.contains("SECURITY: the 'karaf' realm accepts the default user karaf with password karaf"));
        } finally {
            Files.writeString(users, changed);
        }
        Await.success("security ACTIVE again", Duration.ofSeconds(60), () -> {
            String again = controller.get("/status");
            assertEquals(again, "ACTIVE", Json.componentState(again, "security"));
            return null;
        });
    }
}
