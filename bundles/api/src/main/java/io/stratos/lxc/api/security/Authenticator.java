package io.stratos.lxc.api.security;

import java.util.Optional;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Who is calling, from an HTTP {@code Authorization} header: the user API's authentication (HTTP Basic against the
 * controller's realm, a bearer token from {@code POST /tokens}, a registered agent's secret), offered as a service so
 * that servlets outside the REST bundle (the metrics endpoint) check credentials the same way, with the same login
 * cache and throttle.
 */
@ProviderType
public interface Authenticator {

    /**
     * The caller these credentials belong to, or empty when they are missing or wrong.
     *
     * @param authorization the {@code Authorization} header, or null
     * @param remoteAddress the caller's address, or null if unknown (failed logins are counted per remote address)
     * @throws LoginThrottledException when the password would have to be checked for a user (or from an address) that
     *                                 failed too often lately: answer 429 with {@code Retry-After}
     */
    Optional<Caller> authenticate(String authorization, String remoteAddress);
}
