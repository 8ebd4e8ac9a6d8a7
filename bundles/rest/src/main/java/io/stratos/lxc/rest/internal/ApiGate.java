package io.stratos.lxc.rest.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import javax.servlet.FilterChain;
import javax.servlet.FilterConfig;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.Preprocessor;

/**
 * Answers every call to CXF's servlet ({@code /stratos}, but not the agent API or the console, which are servlets of
 * their own) with 503, the JSON error and {@code Retry-After} while the user API is not ready: before
 * {@link RestServer} has published every resource of this bundle (the controller registers its service only once
 * its state is loaded, so its resources come last), and while it republishes. Without it CXF answered the window
 * itself: HTML "No service was found." with no server published, a JSON 404 for a resource not yet published,
 * and a NullPointerException for a call that reached a server being destroyed.
 * <p>
 * A call that passed the gate holds a read lock until it is answered; {@link #close} takes the write lock, so a
 * republish waits (a bounded time) for the calls inside CXF before it destroys their server.
 */
// Named: Pax Web names an unnamed preprocessor after its interface, and a second one of the bundle then waits for ever.
@Component(service = {Preprocessor.class, ApiGate.class}, property = {"osgi.http.whiteboard.filter.name=stratos-api-gate",
        "service.ranking:Integer=100"})
public class ApiGate implements Preprocessor {

    /** CXF's servlet context (PID org.apache.cxf.osgi in the feature) and the servlets of their own under it. */
    static final String CXF_CONTEXT = "/stratos";
    private static final String[] OWN_SERVLETS = {"/stratos/agent/", "/stratos/router/", "/stratos/console"};
    /** Servlets of other bundles at one exact path (the metrics endpoint of bundles/metrics). */
    private static final String[] OWN_PATHS = {"/stratos/metrics"};
    static final int RETRY_AFTER_SECONDS = 1;
    /**
     * Set on every request the gate sees. The Jetty fragment (jetty-errors, UngatedApiGuard.GATE_SEEN, same text) turns
     * an API 404 that CXF wrote before this gate existed into the same 503 as ours.
     */
    static final String SEEN = "io.stratos.lxc.rest.gate.seen";
    /** How long a republish waits for the calls inside CXF (an upload may take longer: it then fails as before). */
    static final long DRAIN_MILLIS = 5_000;

    private static final ObjectMapper JSON = RestServer.objectMapper();

    private final ReentrantReadWriteLock inside = new ReentrantReadWriteLock();
    private volatile boolean open;

    /** Lets calls through: every resource is published. */
    void open() {
        open = true;
    }

    /** Answers 503 from now on, and waits up to {@link #DRAIN_MILLIS} for the calls already inside to be answered. */
    void close() {
        open = false;
        try {
            if (inside.writeLock().tryLock(DRAIN_MILLIS, TimeUnit.MILLISECONDS)) {
                inside.writeLock().unlock(); // nothing comes in while closed: holding it longer would gain nothing
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    boolean isOpen() {
        return open;
    }

    static boolean gated(String requestUri) {
        if (requestUri == null || !(requestUri.equals(CXF_CONTEXT) || requestUri.startsWith(CXF_CONTEXT + "/"))) {
            return false;
        }
        for (String own : OWN_PATHS) {
            if (requestUri.equals(own)) {
                return false;
            }
        }
        for (String own : OWN_SERVLETS) {
            if (requestUri.startsWith(own)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        request.setAttribute(SEEN, Boolean.TRUE);
        if (!(request instanceof HttpServletRequest http) || !(response instanceof HttpServletResponse answer)
                || !gated(http.getRequestURI())) {
            chain.doFilter(request, response);
            return;
        }
        // The read lock first, then the flag: a close() that set the flag waits for whoever holds the lock.
        if (!inside.readLock().tryLock()) {
            notReady(answer);
            return;
        }
        try {
            if (!open) {
                notReady(answer);
                return;
            }
            chain.doFilter(request, response);
        } finally {
            inside.readLock().unlock();
        }
    }

    private static void notReady(HttpServletResponse answer) throws IOException {
        ApiError error = new ApiError("the controller is starting, or one of its components is restarting: the API is not ready yet",
                null, "retry after " + RETRY_AFTER_SECONDS + " s (Retry-After); nothing was read or changed");
        byte[] body = JSON.writeValueAsBytes(error);
        answer.setStatus(503);
        answer.setHeader("Retry-After", String.valueOf(RETRY_AFTER_SECONDS));
        answer.setHeader("Cache-Control", "no-store");
        answer.setContentType("application/json");
        answer.setCharacterEncoding(StandardCharsets.UTF_8.name());
        answer.setContentLength(body.length);
        answer.getOutputStream().write(body);
    }

    @Override
    public void init(FilterConfig config) {
        // nothing to set up
    }

    @Override
    public void destroy() {
        // nothing held
    }
}
