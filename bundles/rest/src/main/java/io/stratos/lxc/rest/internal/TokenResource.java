package io.stratos.lxc.rest.internal;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.security.Caller;
import io.stratos.lxc.api.security.Role;
import java.time.Instant;
import java.util.List;
import javax.ws.rs.DELETE;
import javax.ws.rs.POST;
import javax.ws.rs.Path;
import javax.ws.rs.Produces;
import javax.ws.rs.QueryParam;
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

    /** What {@code DELETE /tokens} answers: whose tokens, and from when new ones work. */
    public record Revoked(String user, String revokedBefore) {
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

    /**
     * {@code DELETE /tokens[?user=name]}: ends every bearer token issued so far to the caller, or (admins only) to the
     * named user; tokens issued afterwards work. For a changed or leaked password: the realm cannot tell us of one.
     */
    @Allowed({Role.TENANT})
    @DELETE
    public Revoked revoke(@QueryParam("user") String user) {
        Caller caller = CallerPrincipal.of(security);
        if (user != null && (user.length() > 256 || user.chars().anyMatch(Character::isISOControl))) {
            throw StratosException.invalid("user", "'user' is not a user name", "send the name a user signs in with");
        }
        String whose = user == null || user.isBlank() ? caller.name() : user.trim();
        if (!whose.equals(caller.name()) && !caller.has(Role.ADMIN)) {
            throw StratosException.forbidden("only an admin may revoke another user's tokens",
                    "leave out ?user= to revoke your own");
        }
        return new Revoked(whose, Instant.ofEpochMilli(authentication.revokeTokens(whose)).toString());
    }
}
