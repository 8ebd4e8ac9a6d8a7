package io.stratos.lxc.rest.internal;

import io.stratos.lxc.api.security.Caller;
import io.stratos.lxc.api.security.Role;
import java.lang.reflect.Method;
import java.security.Principal;
import java.util.Arrays;
import java.util.Optional;
import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.ResourceInfo;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.SecurityContext;

/**
 * Every user API call is authenticated (HTTP Basic, {@link ApiAuthentication}) and authorised by the
 * {@link Allowed} roles of the resource method it reaches: 401 without valid credentials, 403 with a role
 * that may not call it, both as JSON saying what to do. Runs after resource matching (it needs the method's
 * roles), so unknown paths stay 404.
 */
final class AuthenticationFilter implements ContainerRequestFilter {

    static final String CHALLENGE = "Basic realm=\"Stratos LXC\", charset=\"UTF-8\"";
    /** The authentication scheme of a call made with a token ({@link SecurityContext#getAuthenticationScheme()}). */
    static final String BEARER = "Bearer";

    private final ApiAuthentication authentication;

    @Context
    ResourceInfo resource;

    @Context
    HttpServletRequest servletRequest;

    AuthenticationFilter(ApiAuthentication authentication) {
        this.authentication = authentication;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String[] allowed = allowed(resource == null ? null : resource.getResourceMethod(),
                resource == null ? null : resource.getResourceClass());
        if (Arrays.asList(allowed).contains(Allowed.PUBLIC)) {
            return;
        }
        String authorization = request.getHeaderString(HttpHeaders.AUTHORIZATION);
        Optional<Caller> caller;
        try {
            caller = authentication.authenticate(authorization, remoteAddress());
        } catch (ApiAuthentication.LoginThrottled throttled) {
            request.abortWith(Response.fromResponse(ErrorMappers.error(429, throttled.getMessage(), null,
                    "wait " + throttled.retryAfterSeconds + " s (Retry-After) before trying a password again"))
                    .header(HttpHeaders.RETRY_AFTER, throttled.retryAfterSeconds).build());
            return;
        }
        if (caller.isEmpty()) {
            // The same answer for a wrong password and a bad, forged or expired token: it tells nothing about which.
            Response.ResponseBuilder denied = Response.fromResponse(ErrorMappers.error(401, "authentication required: "
                    + "missing or wrong user name or password, or a token that is not valid (any more)", null,
                    "send HTTP Basic credentials of a user of the controller's realm (etc/users.properties), e.g. curl -u "
                    + "user:password, or a token from POST /tokens as Authorization: Bearer <token>"));
            // A browser page (the console) asks for credentials itself; the challenge would pop up the browser's own dialog.
            if (!"XMLHttpRequest".equals(request.getHeaderString("X-Requested-With"))) {
                denied.header(HttpHeaders.WWW_AUTHENTICATE, CHALLENGE);
            }
            request.abortWith(denied.build());
            return;
        }
        Caller who = caller.get();
        if (!permits(who, allowed)) {
            request.abortWith(ErrorMappers.error(403, who.name() + " may not " + request.getMethod() + " "
                    + request.getUriInfo().getPath() + ": it needs one of the roles " + String.join(", ", roles(allowed))
                    + " (it has " + (who.roles().isEmpty() ? "none" : String.join(", ", who.roles())) + ")", null,
                    "ask an operator for the role, or sign in as a user who has it"));
            return;
        }
        boolean secure = request.getSecurityContext() != null && request.getSecurityContext().isSecure();
        String scheme = ApiAuthentication.isBearer(authorization) ? BEARER : SecurityContext.BASIC_AUTH;
        request.setSecurityContext(new SecurityContext() {
            @Override
            public Principal getUserPrincipal() {
                return new CallerPrincipal(who);
            }

            @Override
            public boolean isUserInRole(String role) {
                return who.has(role);
            }

            @Override
            public boolean isSecure() {
                return secure;
            }

            @Override
            public String getAuthenticationScheme() {
                return scheme;
            }
        });
    }

    private String remoteAddress() {
        try {
            return servletRequest == null ? null : servletRequest.getRemoteAddr();
        } catch (RuntimeException e) {
            return null; // no servlet request behind this call
        }
    }

    /** The method's roles, else its class's, else admin only. */
    static String[] allowed(Method method, Class<?> type) {
        Allowed onMethod = method == null ? null : method.getAnnotation(Allowed.class);
        if (onMethod != null) {
            return onMethod.value();
        }
        Allowed onClass = type == null ? null : type.getAnnotation(Allowed.class);
        return onClass != null ? onClass.value() : new String[] {Role.ADMIN};
    }

    static boolean permits(Caller caller, String[] allowed) {
        return caller.isAdmin() || Arrays.stream(allowed).anyMatch(caller::has);
    }

    private static String[] roles(String[] allowed) {
        return Arrays.asList(allowed).contains(Role.ADMIN) ? allowed
                : java.util.stream.Stream.concat(Arrays.stream(allowed), java.util.stream.Stream.of(Role.ADMIN)).toArray(String[]::new);
    }
}
