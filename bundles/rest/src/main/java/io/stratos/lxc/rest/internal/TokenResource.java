package io.stratos.lxc.rest.internal;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.security.Caller;
import io.stratos.lxc.api.security.Role;
import java.time.Instant;
import java.util.List;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.SecurityContext;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code POST /tokens}: a short-lived bearer token for the caller, who signs in with HTTP Basic. A token does not
 * make another token: it could otherwise be renewed for ever without the password.
 */
@Component(service = RestResource.class)
@Path("/tokens")
@Produces(MediaType.APPLICATION_JSON)
public class TokenResource implements RestResource {

    /** What {@code POST /tokens} answers. */
    public record Token(String token, String type, long expiresInSeconds, String expiresAt, String user, List<String> roles) {
    }

    @Reference
    ApiAuthentication authentication;

    @Context
    SecurityContext security;

    @Allowed({Role.TENANT})
    @POST
    public Token issue() {
        if (AuthenticationFilter.BEARER.equals(security.getAuthenticationScheme())) {
            throw StratosException.forbidden("a token cannot be exchanged for another token",
                    "sign in with HTTP Basic (curl -u user:password) to get a new one");
        }
        Caller caller = CallerPrincipal.of(security);
        ApiTokens.Issued issued = authentication.issueToken(caller);
        return new Token(issued.token(), "Bearer", issued.seconds(), Instant.ofEpochMilli(issued.expiresAtMillis()).toString(), caller.name(),
                caller.roles().stream().sorted().toList());
    }
}
