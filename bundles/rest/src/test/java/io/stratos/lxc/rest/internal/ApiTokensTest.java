package io.stratos.lxc.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratos.lxc.api.security.Caller;
import io.stratos.lxc.api.security.Role;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ApiTokensTest {

    final AtomicLong now = new AtomicLong(1_800_000_000_000L);
    final byte[] key = ApiTokens.randomKey();
    final ApiTokens tokens = new ApiTokens(key, now::get);
    final Caller alice = new Caller("alice", Set.of(Role.TENANT, "viewer"));

    @Test
    void aTokenNamesItsUserAndRolesUntilItExpires() {
        ApiTokens.Issued issued = tokens.issue(alice, 600);

        assertThat(issued.expiresAtMillis()).isEqualTo(now.get() + 600_000);
        assertThat(tokens.verify(issued.token())).contains(alice);
        now.addAndGet(599_000);
        assertThat(tokens.verify(issued.token())).contains(alice);
        now.addAndGet(1_000);
        assertThat(tokens.verify(issued.token())).isEmpty();
    }

    @Test
    void aTokenChangedAnywhereOrSignedWithAnotherKeyIsRefused() {
        String token = tokens.issue(alice, 600).token();
        String[] parts = token.split("\\.");
        String admin = Base64.getUrlEncoder().withoutPadding().encodeToString("admin".getBytes(StandardCharsets.UTF_8));

        assertThat(tokens.verify(String.join(".", parts[0], parts[1], admin, parts[3], parts[4], parts[5]))).as("roles raised").isEmpty();
        assertThat(tokens.verify(String.join(".", parts[0], admin, parts[2], parts[3], parts[4], parts[5]))).as("another user").isEmpty();
        assertThat(tokens.verify(String.join(".", parts[0], parts[1], parts[2], "9999999999999", parts[4], parts[5]))).as("issue time moved").isEmpty();
        assertThat(tokens.verify(String.join(".", parts[0], parts[1], parts[2], parts[3], "9999999999", parts[5]))).as("expiry pushed").isEmpty();
        assertThat(tokens.verify(String.join(".", parts[0], parts[1], parts[2], parts[3], parts[4], parts[5].substring(1) + "A")))
                .as("signature changed").isEmpty();
        assertThat(tokens.verify(String.join(".", "st1", parts[1], parts[2], parts[4], parts[5]))).as("the old format").isEmpty();
        assertThat(tokens.verify(String.join(".", "st3", parts[1], parts[2], parts[3], parts[4], parts[5]))).as("version").isEmpty();
        assertThat(new ApiTokens(ApiTokens.randomKey(), now::get).verify(token)).as("another key").isEmpty();
        for (String junk : new String[] {"", ".", "....", "st2.....", "st2.a.b.c.d.e", "x".repeat(5000), token + ".", token.replace('.', ',')}) {
            assertThat(tokens.verify(junk)).as(junk).isEmpty();
        }
    }

    @Test
    void agentsGetNoTokenAndAForgedAgentRoleIsDropped() {
        assertThatThrownBy(() -> tokens.issue(Caller.agent("vm-1"), 600)).isInstanceOf(IllegalArgumentException.class);
        String token = tokens.issue(new Caller("carol", Set.of(Role.TENANT, Role.AGENT + "x")), 600).token();
        assertThat(tokens.verify(token).orElseThrow().roles()).containsExactlyInAnyOrder(Role.TENANT, "agentx");
    }

    @Test
    void theKeyIsMadeOnceKeptPrivateAndReadAgainAfterARestart(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("security/api-token.key");
        byte[] first = ApiTokens.loadOrCreateKey(file);

        assertThat(first).hasSize(ApiTokens.KEY_BYTES);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(ApiTokens.loadOrCreateKey(file)).isEqualTo(first);
        String token = new ApiTokens(first, now::get).issue(alice, 600).token();
        assertThat(new ApiTokens(ApiTokens.loadOrCreateKey(file), now::get).verify(token)).contains(alice);

        // a file that holds no key (cut short) is replaced, which ends the old tokens
        Files.write(file, new byte[] {1, 2, 3});
        byte[] replaced = ApiTokens.loadOrCreateKey(file);
        assertThat(replaced).hasSize(ApiTokens.KEY_BYTES).isNotEqualTo(first);
        assertThat(new ApiTokens(replaced, now::get).verify(token)).isEmpty();
    }

    @Test
    void revokingAUsersTokensEndsThoseIssuedBeforeAndNotLaterOnesOrOtherUsers() {
        Caller bob = new Caller("bob", Set.of(Role.TENANT));
        String aliceBefore = tokens.issue(alice, 600).token();
        String bobBefore = tokens.issue(bob, 600).token();
        now.addAndGet(1);

        long from = tokens.revoke("alice");

        assertThat(from).isEqualTo(now.get());
        assertThat(tokens.verify(aliceBefore)).as("issued before the revocation").isEmpty();
        assertThat(tokens.verify(bobBefore)).as("another user's").contains(bob);
        assertThat(tokens.verify(tokens.issue(alice, 600).token())).as("issued after it").contains(alice);
    }

    @Test
    void revocationsAreKeptPrivateAndSurviveARestart(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("security/api-token-revocations.properties");
        ApiTokens first = new ApiTokens(key, now::get, file);
        String before = first.issue(alice, 600).token();
        now.addAndGet(1);
        first.revoke("alice");
        now.addAndGet(1);
        String after = first.issue(alice, 600).token();

        ApiTokens restarted = new ApiTokens(key, now::get, file);

        assertThat(restarted.verify(before)).isEmpty();
        assertThat(restarted.verify(after)).contains(alice);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var files = Files.list(file.getParent())) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("api-token-revocations.properties");
        }
    }

    @Test
    void aRevocationThatCannotBeKeptIsRefusedAndChangesNothing(@TempDir Path dir) throws Exception {
        Path blocker = dir.resolve("not-a-directory");
        Files.writeString(blocker, "a file where the directory should be");
        ApiTokens tokens = new ApiTokens(key, now::get, blocker.resolve("api-token-revocations.properties"));
        String token = tokens.issue(alice, 600).token();
        now.addAndGet(1);

        assertThatThrownBy(() -> tokens.revoke("alice")).isInstanceOf(io.stratos.lxc.api.StratosException.class)
                .hasMessageContaining("cannot record the revocation");
        assertThat(tokens.verify(token)).as("not revoked in memory either: a restart would disagree").contains(alice);
    }
}
