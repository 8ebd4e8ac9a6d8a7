package io.stratos.lxc.rest.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.agent.AgentRegistration;
import io.stratos.lxc.api.agent.AgentRegistry;
import io.stratos.lxc.api.agent.AgentReport;
import io.stratos.lxc.api.agent.DesiredState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.servlet.AsyncContext;
import javax.servlet.AsyncEvent;
import javax.servlet.AsyncListener;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The agent protocol at {@code /stratos/agent/v1} (register, long-poll the desired state, report status): a plain
 * servlet over the {@link AgentRegistry}, the same thin adapter the JAX-RS resource was. At 10,000 VMs the agents send
 * about 2,000 requests a second, and CXF's per-request machinery (interceptor chain, provider selection, resource
 * matching) cost twice the controller's own work for them; three fixed paths need none of it. Answers are the API's:
 * the same JSON types, the same error bodies ({@link ErrorMappers#answer}), the same body limit, compact JSON.
 * <p>
 * The long poll is asynchronous (a waiting agent holds a connection, not a thread), and its answer is written on a
 * container thread, never on the controller's thread that completed the poll.
 */
@Component(service = Servlet.class, property = {
        "osgi.http.whiteboard.servlet.pattern=" + AgentApiServlet.PATTERN,
        "osgi.http.whiteboard.servlet.name=stratos-agent-api",
        "osgi.http.whiteboard.servlet.asyncSupported=true"})
public class AgentApiServlet extends HttpServlet {

    static final String PATTERN = "/stratos/agent/v1/*";

    private static final long serialVersionUID = 1L;

    /** A poll the registry never answers (it answers within its long-poll seconds) is ended after this. */
    static final long POLL_TIMEOUT_MILLIS = 10 * 60 * 1000L;

    private static final ObjectMapper JSON = RestServer.objectMapper().disable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectReader REGISTRATION = JSON.readerFor(AgentRegistration.class);
    private static final ObjectReader REPORT = JSON.readerFor(AgentReport.class);
    private static final ObjectWriter WRITER = JSON.writer();

    @Reference
    transient AgentRegistry registry;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        try {
            if (path.equals("/register")) {
                allow(request, "POST");
                write(response, 200, registry.register(body(request, REGISTRATION, "a registration")));
                return;
            }
            String[] parts = path.split("/", -1); // "", "agents", id, what
            if (parts.length == 4 && parts[1].equals("agents") && !parts[2].isEmpty()) {
                String id = parts[2];
                if (parts[3].equals("desired")) {
                    allow(request, "GET");
                    desired(request, id);
                    return;
                }
                if (parts[3].equals("status")) {
                    allow(request, "POST");
                    registry.report(id, secret(request), body(request, REPORT, "a status report"));
                    response.setStatus(204);
                    response.setHeader("Date", HttpDate.now());
                    return;
                }
            }
            throw StratosException.notFound("no agent API at " + printable(path),
                    "agents use POST register, GET agents/{id}/desired and POST agents/{id}/status under /stratos/agent/v1");
        } catch (MethodNotAllowed e) {
            response.setHeader("Allow", e.allowed);
            writeError(response, new ErrorMappers.Answer(405, new ApiError("method not allowed: " + request.getMethod()
                    + " " + printable(path), null, "use " + e.allowed)));
        } catch (UnsupportedType e) {
            writeError(response, new ErrorMappers.Answer(415, new ApiError("Content-Type " + printable(e.getMessage()) + " is not JSON",
                    "Content-Type", "send Content-Type: application/json")));
        } catch (RuntimeException | IOException e) {
            writeError(response, ErrorMappers.answer(e));
        }
    }

    /** What of the user's input goes back into an error message: no control characters, not too long. */
    private static String printable(String s) {
        String clean = s == null ? "" : s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 200 ? clean.substring(0, 200) + "..." : clean;
    }

    private void desired(HttpServletRequest request, String id) {
        String sinceParameter;
        try {
            sinceParameter = request.getParameter("since");
        } catch (RuntimeException e) {
            // Jetty decodes the query only now, and says so with its BadMessageException
            throw StratosException.invalid("url", "the request's query is not validly percent-encoded", "encode '%' as %25");
        }
        long since = since(sinceParameter);
        CompletionStage<DesiredState> poll = registry.desiredState(id, secret(request), since);
        AsyncContext async = request.startAsync();
        async.setTimeout(POLL_TIMEOUT_MILLIS);
        AtomicBoolean answered = new AtomicBoolean();
        async.addListener(new AsyncListener() {
            @Override
            public void onTimeout(AsyncEvent event) throws IOException {
                answer(async, answered, () -> writeError((HttpServletResponse) async.getResponse(),
                        ErrorMappers.domain(StratosException.unavailable("the desired state was not ready in time", "poll again"))));
            }

            @Override
            public void onError(AsyncEvent event) {
                answered.set(true); // the connection broke: nothing to answer
            }

            @Override
            public void onComplete(AsyncEvent event) {
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
            }
        });
        // completed on the controller's thread, inside its lock: the answer is written on one of the container's threads
        poll.whenComplete((state, failure) -> {
            if (answered.get()) {
                return; // timed out or broken meanwhile
            }
            async.start(() -> answer(async, answered, () -> {
                HttpServletResponse response = (HttpServletResponse) async.getResponse();
                if (failure == null) {
                    write(response, 200, state);
                } else {
                    writeError(response, ErrorMappers.answer(failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure));
                }
            }));
        });
    }

    private interface Answering {
        void run() throws IOException;
    }

    private static void answer(AsyncContext async, AtomicBoolean answered, Answering answering) {
        if (!answered.compareAndSet(false, true)) {
            return;
        }
        try {
            answering.run();
        } catch (IOException | RuntimeException e) {
            // the agent went away while it waited: it polls again
        } finally {
            try {
                async.complete();
            } catch (IllegalStateException ignored) {
                // already completed by the container (timeout or broken connection)
            }
        }
    }

    private static long since(String value) {
        if (value == null || value.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw StratosException.invalid("since", "'since' must be a revision number, not '" + printable(value) + "'",
                    "send the revision of the last desired state received, or 0");
        }
    }

    private static String secret(HttpServletRequest request) {
        String authorization = request.getHeader("Authorization");
        if (authorization == null || !authorization.startsWith("Bearer ")) {
            throw StratosException.notFound("unknown agent or wrong credentials", "send Authorization: Bearer <secret>");
        }
        return authorization.substring("Bearer ".length()).trim();
    }

    /** Reads a JSON body within the API's limit (maxJsonBytes), refusing what is not JSON before reading it. */
    private static <T> T body(HttpServletRequest request, ObjectReader reader, String what) throws IOException {
        String contentType = request.getContentType();
        if (contentType != null && !contentType.isBlank() && !contentType.startsWith("*/*") && !BodyLimit.isJson(contentType)) {
            throw new UnsupportedType(contentType);
        }
        long max = BodyLimit.MAX_JSON_BYTES.get();
        long declared = request.getContentLengthLong();
        if (declared > max) {
            throw BodyLimit.declaredTooLarge(declared, max);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(declared > 0 ? (int) declared : 4096);
        try (InputStream in = new BodyLimit.Limited(request.getInputStream(), max)) {
            in.transferTo(bytes);
        }
        if (bytes.size() == 0) {
            throw StratosException.invalid(null, what + " needs a JSON body", "send a JSON object as described in the API reference");
        }
        return reader.readValue(bytes.toByteArray());
    }

    private static void allow(HttpServletRequest request, String method) {
        if (!request.getMethod().equals(method)) {
            throw new MethodNotAllowed(method);
        }
    }

    private static void write(HttpServletResponse response, int status, Object body) throws IOException {
        byte[] json = WRITER.writeValueAsBytes(body);
        response.setStatus(status);
        response.setHeader("Date", HttpDate.now());
        response.setContentType("application/json");
        response.setContentLength(json.length);
        response.getOutputStream().write(json);
    }

    private static void writeError(HttpServletResponse response, ErrorMappers.Answer answer) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.reset();
        write(response, answer.status(), answer.body());
    }

    private static final class MethodNotAllowed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String allowed;

        MethodNotAllowed(String allowed) {
            super(null, null, false, false);
            this.allowed = allowed;
        }
    }

    /** 415, like the JAX-RS API's answer to a body it has no reader for. */
    private static final class UnsupportedType extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnsupportedType(String contentType) {
            super(contentType, null, false, false);
        }
    }
}
