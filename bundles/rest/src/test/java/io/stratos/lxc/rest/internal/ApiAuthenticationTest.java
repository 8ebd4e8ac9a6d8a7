package io.stratos.lxc.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratos.lxc.api.agent.AgentCredentials;
import io.stratos.lxc.api.agent.AgentRegistration;
import io.stratos.lxc.api.agent.AgentRegistry;
import io.stratos.lxc.api.agent.AgentReport;
import io.stratos.lxc.api.agent.DesiredState;
import io.stratos.lxc.api.security.Caller;
import io.stratos.lxc.api.security.Role;
import io.stratos.lxc.api.status.ComponentState;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** How credentials become a caller: Basic parsing, the login cache, agents, and the default-password warning. */
class ApiAuthenticationTest {

    final AtomicLong now = new AtomicLong(1_000_000);
    final AtomicInteger logins = new AtomicInteger();
    volatile String alicePassword = "a-pass";

    final ApiAuthentication authentication = new ApiAuthentication((user, password) -> {
        logins.incrementAndGet();
        return user.equals("alice") && password.equals(alicePassword) ? Optional.of(Caller.tenant("alice"))
                : user.equals("karaf") && password.equals("karaf") ? Optional.of(Caller.admin("karaf")) : Optional.empty();
    }, now::get);

    static String basic(String userAndPassword) {
        return "Basic " + Base64.getEncoder().encodeToString(userAndPassword.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void basicCredentialsAreSplitAtTheFirstColonAndAnythingElseIsNoCredentials() {
        assertThat(ApiAuthentication.basic(basic("alice:pa:ss"))).hasValueSatisfying(p -> assertThat(p).containsExactly("alice", "pa:ss"));
        assertThat(ApiAuthentication.basic("basic " + basic("a:b").substring(6))).isPresent();
        assertThat(ApiAuthentication.basic(null)).isEmpty();
        assertThat(ApiAuthentication.basic("Bearer abc")).isEmpty();
        assertThat(ApiAuthentication.basic("Basic !!!not-base64")).isEmpty();
        assertThat(ApiAuthentication.basic(basic("no-colon"))).isEmpty();
        assertThat(ApiAuthentication.basic(basic(":empty-user"))).isEmpty();
    }

    @Test
    void manyFailedNamesFromOneRemoteAddressPauseItButLoopbackIsEveryonesAndNotCounted() {
        for (int i = 0; i < 5 * LoginThrottle.ADDRESS_FACTOR + 1; i++) {
            assertThat(authentication.authenticate(basic("user" + i + ":x"), "192.0.2.7")).isEmpty();
            assertThat(authentication.authenticate(basic("user" + i + ":x"), "127.0.0.1")).isEmpty();
        }
        assertThatThrownBy(() -> authentication.authenticate(basic("alice:a-pass"), "192.0.2.7"))
                .isInstanceOf(ApiAuthentication.LoginThrottled.class);
        assertThat(authentication.authenticate(basic("alice:a-pass"), "127.0.0.1")).contains(Caller.tenant("alice"));
        assertThat(authentication.authenticate(basic("alice:a-pass"), "::1")).contains(Caller.tenant("alice"));
    }

    @Test
    void aSuccessfulLoginIsRememberedForTheCacheTimeAndAWrongOneNever() {
        assertThat(authentication.authenticate(basic("alice:a-pass"))).contains(Caller.tenant("alice"));
        assertThat(authentication.authenticate(basic("alice:a-pass"))).contains(Caller.tenant("alice"));
        assertThat(logins).hasValue(1);

        assertThat(authentication.authenticate(basic("alice:wrong"))).isEmpty();
        assertThat(authentication.authenticate(basic("alice:wrong"))).isEmpty();
        assertThat(logins).hasValue(3);

        // The password changes: the old one works until the cache time (30 s by default) has passed.
        alicePassword = "new-pass";
        now.addAndGet(29_000);
        assertThat(authentication.authenticate(basic("alice:a-pass"))).isPresent();
        now.addAndGet(2_000);
        assertThat(authentication.authenticate(basic("alice:a-pass"))).isEmpty();
        assertThat(authentication.authenticate(basic("alice:new-pass"))).isPresent();
    }

    @Test
    void aRegisteredAgentAuthenticatesWithItsVmIdAndSecret() {
        authentication.agents = new AgentRegistry() {
            @Override
            public AgentCredentials register(AgentRegistration registration) {
                throw new UnsupportedOperationException();
            }

            @Override
            public CompletionStage<DesiredState> desiredState(String agentId, String secret, long since) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void report(String agentId, String secret, AgentReport report) {
                throw new UnsupportedOperationException();
            }

            @Override
            public boolean authenticates(String agentId, String secret) {
                return agentId.equals("vm-1") && secret.equals("s3cret");
            }
        };
        assertThat(authentication.authenticate(basic("vm-1:s3cret"))).hasValueSatisfying(c -> {
            assertThat(c.name()).isEqualTo("vm-1");
            assertThat(c.roles()).containsExactly(Role.AGENT);
        });
        assertThat(authentication.authenticate(basic("vm-1:guess"))).isEmpty();
    }

    @Test
    void theStatusIsDegradedWhileTheDefaultPasswordWorks() {
        authentication.checkDefaultCredentials();
        assertThat(authentication.componentStatus().state()).isEqualTo(ComponentState.DEGRADED);
        assertThat(authentication.componentStatus().detail()).contains("karaf/karaf").contains("etc/users.properties");
    }

    @Test
    void theFilterLetsAdminsDoEverythingAndOthersWhatTheMethodAllows() throws Exception {
        String[] tenantOk = AuthenticationFilter.allowed(SubscriptionResource.class.getMethod("list"), SubscriptionResource.class);
        assertThat(AuthenticationFilter.permits(Caller.tenant("alice"), tenantOk)).isTrue();
        assertThat(AuthenticationFilter.permits(Caller.agent("vm-1"), tenantOk)).isFalse();
        // no annotation anywhere: admins only
        String[] adminOnly = AuthenticationFilter.allowed(PartitionResource.class.getMethod("list"), PartitionResource.class);
        assertThat(adminOnly).containsExactly(Role.ADMIN);
        assertThat(AuthenticationFilter.permits(Caller.tenant("alice"), adminOnly)).isFalse();
        assertThat(AuthenticationFilter.permits(Caller.admin("root"), adminOnly)).isTrue();
    }
}
