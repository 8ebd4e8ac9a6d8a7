package io.stratos.lxc.rest.internal;

import io.stratos.lxc.api.ha.ControllerRole;
import io.stratos.lxc.api.ha.LeaseStatus;
import io.stratos.lxc.api.ha.Leadership;

import io.stratos.lxc.api.StratosException;
import com.fasterxml.jackson.databind.ObjectReader;
import io.stratos.lxc.api.autoscaler.ScaleFromZero;
import io.stratos.lxc.api.router.RouteFeed;
import io.stratos.lxc.api.router.RouterReport;
import io.stratos.lxc.api.router.RouterTrafficSink;
import io.stratos.lxc.api.security.Caller;
import io.stratos.lxc.api.security.Role;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * The routers' protocol at {@code /stratos/router/v1}, for routers that run apart from the controller:
 * <ul>
 *   <li>{@code GET routes?since=<revision>} long-polls the changes of every alias's backends after the revision a router
 *       has ({@link RouteFeed}), as agents do for their desired state;</li>
 *   <li>{@code POST traffic} {@code {"router": "<name>", "inFlight": {"<alias>": <per process>}}} reports the router's
 *       requests in flight every second ({@link RouterTrafficSink}), so that they reach the autoscaler.</li>
 * </ul>
 * A plain servlet for the same reason as the agents' ({@link AgentApiServlet}). Routers authenticate as users of the
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
    transient RestSettings settings;

    @Reference
    transient RouteFeed routes;

    @Reference
    transient ApiAuthentication authentication;

    @Reference
    transient RouterTrafficSink traffic;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    transient volatile ScaleFromZero scaleFromZero;

    /** Optional: the leader lease. A standby serves the routes it knows, and sends reports and wakes to the active one. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    transient volatile Leadership leadership;

    private static final ObjectReader REPORT = RestServer.objectMapper().readerFor(TrafficReport.class);
    private static final ObjectReader WAKE = RestServer.objectMapper().readerFor(Wake.class);
    private static final Pattern ALIAS = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final Pattern ROUTER = Pattern.compile("[\\x21-\\x7e]{1,200}");

    /** A router's report: its name, and its requests in flight per process of each alias it has any for. */
    record TrafficReport(String router, Map<String, Double> inFlight, List<String> requested, Long revision,
                         Map<String, Integer> processes) {
    }

    /** A router holds a request for this alias, which has no RUNNING process. */
    record Wake(String alias) {
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        try {
            boolean standby = markRole(response);
            if (standby && (path.equals("/traffic") || path.equals("/wake"))) {
                LeaseStatus lease = leadership.lease();
                throw StratosException.unavailable("this controller is a standby: its autoscaler does not act",
                        "report to the active controller" + (lease.holderUrl().isEmpty() ? "" : " at " + lease.holderUrl())
                        + " (X-Stratos-Active)");
            }
            if (path.equals("/routes")) {
                ServletAnswers.allow(request, "GET");
                if (permitted(request, response)) {
                    ServletAnswers.longPoll(request, routes.changesAfter(ServletAnswers.since(request)));
                }
                return;
            }
            if (path.equals("/traffic")) {
                ServletAnswers.allow(request, "POST");
                if (permitted(request, response)) {
                    TrafficReport report = ServletAnswers.body(request, REPORT, "a traffic report", settings.maxJsonBytes());
                    traffic.report(new RouterReport(checkedRouter(report.router()), checked(report.inFlight()),
                            checked(report.requested()), checkedRevision(report.revision()), checkedProcesses(report.processes())));
                    response.setStatus(204);
                    response.setHeader("Date", HttpDate.now());
                }
                return;
            }
            if (path.equals("/wake")) {
                ServletAnswers.allow(request, "POST");
                if (permitted(request, response)) {
                    Wake wake = ServletAnswers.body(request, WAKE, "a wake request", settings.maxJsonBytes());
                    String alias = wake.alias();
                    if (alias == null || !ALIAS.matcher(alias).matches()) {
                        throw StratosException.invalid("alias", "'alias' must be a subscription alias, not '"
                                + ServletAnswers.printable(alias) + "'", "send {\"alias\": \"<alias>\"}");
                    }
                    ScaleFromZero autoscaler = scaleFromZero;
                    boolean starting = autoscaler != null && autoscaler.wake(alias);
                    ServletAnswers.write(response, 200, Map.of("alias", alias, "starting", starting));
                }
                return;
            }
            throw StratosException.notFound("no router API at " + ServletAnswers.printable(path),
                    "routers use GET /stratos/router/v1/routes?since=<revision>, POST /stratos/router/v1/traffic and "
                    + "POST /stratos/router/v1/wake");
        } catch (RuntimeException | IOException e) {
            ServletAnswers.fail(request, response, path, e);
        }
    }

    /** The role headers a router follows (as on the REST API); returns whether this controller stands by. */
    private boolean markRole(HttpServletResponse response) {
        Leadership current = leadership;
        if (current == null) {
            return false;
        }
        LeaseStatus lease = current.lease();
        response.setHeader("X-Stratos-Role", lease.role().label());
        if (lease.role() != ControllerRole.STANDBY) {
            return false;
        }
        if (!lease.holderUrl().isEmpty()) {
            response.setHeader("X-Stratos-Active", lease.holderUrl());
        }
        return true;
    }

    private static String checkedRouter(String router) {
        if (router == null || !ROUTER.matcher(router).matches()) {
            throw StratosException.invalid("router", "'router' must be 1 to 200 printable characters without spaces, not '"
                    + ServletAnswers.printable(router) + "'", "name the router, e.g. edge1@10.0.0.7:8280");
        }
        return router;
    }

    private static long checkedRevision(Long revision) {
        if (revision != null && revision < 0) {
            throw StratosException.invalid("revision", "'revision' must be at least 0, not " + revision,
                    "send the revision of the route feed the router's routes are at");
        }
        return revision == null ? 0 : revision;
    }

    private static final Pattern PROCESS_ID = Pattern.compile("[\\x21-\\x7e]{1,200}");

    private static Map<String, Integer> checkedProcesses(Map<String, Integer> processes) {
        if (processes == null) {
            return Map.of();
        }
        for (Map.Entry<String, Integer> entry : processes.entrySet()) {
            if (!PROCESS_ID.matcher(entry.getKey()).matches()) {
                throw StratosException.invalid("processes", "'" + ServletAnswers.printable(entry.getKey())
                        + "' is not a process id", "send process ids as the route feed names them");
            }
            if (entry.getValue() == null || entry.getValue() < 0) {
                throw StratosException.invalid("processes." + entry.getKey(), "requests in flight must be a whole number "
                        + "of at least 0, not " + entry.getValue(), "send the router's requests in flight to the process");
            }
        }
        return processes;
    }

    private static List<String> checked(List<String> requested) {
        if (requested == null) {
            return List.of();
        }
        for (String alias : requested) {
            if (alias == null || !ALIAS.matcher(alias).matches()) {
                throw StratosException.invalid("requested", "'" + ServletAnswers.printable(alias)
                        + "' is not a subscription alias", "send aliases as the route feed names them");
            }
        }
        return requested;
    }

    private static Map<String, Double> checked(Map<String, Double> inFlight) {
        if (inFlight == null) {
            return Map.of();
        }
        for (Map.Entry<String, Double> entry : inFlight.entrySet()) {
            if (!ALIAS.matcher(entry.getKey()).matches()) {
                throw StratosException.invalid("inFlight", "'" + ServletAnswers.printable(entry.getKey())
                        + "' is not a subscription alias", "send aliases as the route feed names them");
            }
            Double value = entry.getValue();
            if (value == null || !Double.isFinite(value) || value < 0) {
                throw StratosException.invalid("inFlight." + entry.getKey(), "requests in flight per process must be a "
                        + "number of at least 0, not " + value, "send the router's requests in flight divided by the alias's backends");
            }
        }
        return inFlight;
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
