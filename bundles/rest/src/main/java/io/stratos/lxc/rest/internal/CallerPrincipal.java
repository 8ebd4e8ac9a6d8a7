package io.stratos.lxc.rest.internal;

import io.stratos.lxc.api.security.Caller;
import java.security.Principal;
import javax.ws.rs.core.SecurityContext;

/** The authenticated {@link Caller} as JAX-RS sees it ({@code SecurityContext.getUserPrincipal()}). */
record CallerPrincipal(Caller caller) implements Principal {

    @Override
    public String getName() {
        return caller.name();
    }

    /** The caller of the current request; resources behind {@link AuthenticationFilter} always have one. */
    static Caller of(SecurityContext security) {
        if (security != null && security.getUserPrincipal() instanceof CallerPrincipal principal) {
            return principal.caller();
        }
        throw new IllegalStateException("no authenticated caller: the resource is not behind the authentication filter");
    }
}
