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

        assertThat(tokens.verify(String.join(".", parts[0], parts[1], admin, parts[3], parts[4]))).as("roles raised").isEmpty();
        assertThat(tokens.verify(String.join(".", parts[0], admin, parts[2], parts[3], parts[4]))).as("another user").isEmpty();
        assertThat(tokens.verify(String.join(".", parts[0], parts[1], parts[2], "9999999999", parts[4]))).as("expiry pushed").isEmpty();
        assertThat(tokens.verify(String.join(".", parts[0], parts[1], parts[2], parts[3], parts[4].substring(1) + "A")))
                .as("signature changed").isEmpty();
        assertThat(tokens.verify(String.join(".", "st2", parts[1], parts[2], parts[3], parts[4]))).as("version").isEmpty();
        assertThat(new ApiTokens(ApiTokens.randomKey(), now::get).verify(token)).as("another key").isEmpty();
        for (String junk : new String[] {"", ".", "....", "st1....", "st1.a.b.c.d", "x".repeat(5000), token + ".", token.replace('.', ',')}) {
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
}
