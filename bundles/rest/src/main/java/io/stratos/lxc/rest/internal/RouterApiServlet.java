package io.stratos.lxc.rest.internal;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.router.RouteFeed;
import io.stratos.lxc.api.security.Caller;
import io.stratos.lxc.api.security.Role;
import java.io.IOException;
import java.util.Optional;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The routers' protocol at {@code /stratos/router/v1}: {@code GET routes?since=<revision>} long-polls the changes of
 * every alias's backends after the revision a router has ({@link RouteFeed}), as agents do for their desired state. A
 * plain servlet for the same reason as the agents' ({@link AgentApiServlet}). Routers authenticate as users of the
 * realm with the {@code router} role (or {@code admin}), with HTTP Basic or a bearer token from {@code POST /tokens}.
 */
@Component(service = Servlet.class, property = {
        "osgi.http.whiteboard.servlet.pattern=" + RouterApiServlet.PATTERN,
        "osgi.http.whiteboard.servlet.name=stratos-router-api",
        "osgi.http.whiteboard.servlet.asyncSupported=true"})
public class RouterApiServlet extends HttpServlet {

    static final String PATTERN = "/stratos/router/v1/*";

    private static final long serialVersionUID = 1L;

    @Reference
    transient RouteFeed routes;

    @Reference
    transient ApiAuthentication authentication;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        try {
            if (!path.equals("/routes")) {
                throw StratosException.notFound("no router API at " + ServletAnswers.printable(path),
                        "routers use GET /stratos/router/v1/routes?since=<revision>");
            }
            if (!request.getMethod().equals("GET")) {
                ServletAnswers.writeError(response, new ErrorMappers.Answer(405, new ApiError("method not allowed: "
                        + ServletAnswers.printable(request.getMethod()) + " " + path, null, "use GET")), "Allow", "GET");
                return;
            }
            if (!permitted(request, response)) {
                return;
            }
            ServletAnswers.longPoll(request, routes.changesAfter(ServletAnswers.since(request)));
        } catch (RuntimeException | IOException e) {
            ServletAnswers.writeError(response, ErrorMappers.answer(e));
        }
    }

    /** Whether the caller is a router (or an admin); if not, the answer (401, 403 or 429) is written. */
    private boolean permitted(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<Caller> caller;
        try {
            caller = authentication.authenticate(request.getHeader("Authorization"), request.getRemoteAddr());
        } catch (ApiAuthentication.LoginThrottled throttled) {
            ServletAnswers.writeError(response, new ErrorMappers.Answer(429, new ApiError(throttled.getMessage(), null,
                    "wait " + throttled.retryAfterSeconds + " s (Retry-After) before trying a password again")),
                    "Retry-After", String.valueOf(throttled.retryAfterSeconds));
            return false;
        }
        if (caller.isEmpty()) {
            ServletAnswers.writeError(response, new ErrorMappers.Answer(401, new ApiError("authentication required: "
                    + "missing or wrong user name or password, or a token that is not valid (any more)", null,
                    "a router authenticates as a user with the router role (etc/users.properties), with HTTP Basic or a "
                    + "token from POST /stratos/api/v1/tokens")), "WWW-Authenticate", AuthenticationFilter.CHALLENGE);
            return false;
        }
        if (!caller.get().has(Role.ROUTER) && !caller.get().isAdmin()) {
            ServletAnswers.writeError(response, new ErrorMappers.Answer(403, new ApiError(caller.get().name()
                    + " may not read the routes: it needs the role router or admin", null,
                    "give the router's user the group that carries the router role (etc/users.properties)")));
            return false;
        }
        return true;
    }
}
