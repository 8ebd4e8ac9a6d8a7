package io.stratos.lxc.metrics.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.prometheus.metrics.config.PrometheusProperties;
import io.prometheus.metrics.exporter.common.PrometheusScrapeHandler;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.stratos.lxc.api.autoscaler.Autoscaler;
import io.stratos.lxc.api.controller.CloudController;
import io.stratos.lxc.api.router.RouterMetrics;
import io.stratos.lxc.api.security.Authenticator;
import io.stratos.lxc.api.security.Caller;
import io.stratos.lxc.api.security.LoginThrottledException;
import io.stratos.lxc.api.security.Role;
import io.stratos.lxc.api.store.CartridgeStore;
import java.io.IOException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/**
 * {@code GET /stratos/metrics}: the fleet in the Prometheus text format, or OpenMetrics when the Accept header asks
 * for it (the Prometheus client's scrape handler chooses, and honours {@code name[]=} filters). Callers need the
 * {@code metrics} role (which reads nothing else) or {@code admin}, checked by the REST API's {@link Authenticator}:
 * 401 without valid credentials, 403 with another role, 429 while logins are throttled, each as the API's JSON error.
 * <p>
 * {@link MetricsSettings} caps the per-process series. The controller, router, autoscaler and store are optional: a missing one leaves its series out.
 */
@Component(service = Servlet.class, property = {
            "osgi.http.whiteboard.servlet.pattern=" + MetricsServlet.PATH,
            "osgi.http.whiteboard.servlet.name=stratos-metrics"})
public class MetricsServlet extends HttpServlet {

    static final String PATH = "/stratos/metrics";
    static final String CHALLENGE = "Basic realm=\"Stratos LXC\", charset=\"UTF-8\"";

    private static final long serialVersionUID = 1L;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Reference
    transient Authenticator authenticator;

    @Reference
    transient MetricsSettings settings;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    transient volatile CloudController controller;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    transient volatile RouterMetrics router;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    transient volatile Autoscaler autoscaler;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    transient volatile CartridgeStore store;

    private transient PrometheusScrapeHandler handler;

    @Activate
    void activate() {
        PrometheusRegistry registry = new PrometheusRegistry();
        MetricsSettings current = settings;
        registry.register(new FleetCollector(() -> controller, () -> router, () -> autoscaler, () -> store,
                current::maxProcessSeries, Clock.systemUTC()));
        // built, not loaded: PrometheusProperties.get() would read system properties and files meant for someone else
        handler = new PrometheusScrapeHandler(PrometheusProperties.builder().build(), registry);
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String method = request.getMethod();
        if (!"GET".equals(method) && !"HEAD".equals(method)) {
            response.setHeader("Allow", "GET, HEAD");
            error(response, 405, method + " is not supported here", "read the metrics with GET " + PATH);
            return;
        }
        if (!permitted(request, response)) {
            return;
        }
        handler.handleRequest(new ServletExchange(request, response));
    }

    /** Whether the caller may read the metrics; if not, the answer (401, 403 or 429) is written. */
    private boolean permitted(HttpServletRequest request, HttpServletResponse response) throws IOException {
        Optional<Caller> caller;
        try {
            caller = authenticator.authenticate(request.getHeader("Authorization"), request.getRemoteAddr());
        } catch (LoginThrottledException throttled) {
            response.setHeader("Retry-After", String.valueOf(throttled.retryAfterSeconds()));
            error(response, 429, throttled.getMessage(),
                    "wait " + throttled.retryAfterSeconds() + " s (Retry-After) before trying a password again");
            return false;
        }
        if (caller.isEmpty()) {
            response.setHeader("WWW-Authenticate", CHALLENGE);
            error(response, 401, "authentication required: missing or wrong user name or password, or a token that is not "
                    + "valid (any more)", "scrape as a user with the metrics role (etc/users.properties, group metricsgroup), "
                    + "e.g. basic_auth in Prometheus's scrape config or curl -u user:password");
            return false;
        }
        Caller who = caller.get();
        if (!who.has(Role.METRICS) && !who.isAdmin()) {
            error(response, 403, who.name() + " may not read the metrics: it needs the role metrics or admin (it has "
                    + (who.roles().isEmpty() ? "none" : String.join(", ", who.roles())) + ")",
                    "give the scraper's user the group that carries the metrics role (etc/users.properties)");
            return false;
        }
        return true;
    }

    /** The REST API's error body, {@code {"error", "hint"}}. */
    private static void error(HttpServletResponse response, int status, String error, String hint) throws IOException {
        Map<String, String> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("hint", hint);
        byte[] bytes = JSON.writeValueAsBytes(body);
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setContentType("application/json");
        response.setCharacterEncoding("UTF-8");
        response.setContentLength(bytes.length);
        response.getOutputStream().write(bytes);
    }
}
