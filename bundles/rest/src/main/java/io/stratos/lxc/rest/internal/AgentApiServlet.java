package io.stratos.lxc.rest.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.agent.AgentRegistration;
import io.stratos.lxc.api.agent.AgentRegistry;
import io.stratos.lxc.api.agent.AgentReport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
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
 * The long poll is asynchronous ({@link ServletAnswers#longPoll}).
 */
@Component(service = Servlet.class, property = {
        "osgi.http.whiteboard.servlet.pattern=" + AgentApiServlet.PATTERN,
        "osgi.http.whiteboard.servlet.name=stratos-agent-api",
        "osgi.http.whiteboard.servlet.asyncSupported=true"})
public class AgentApiServlet extends HttpServlet {

    static final String PATTERN = "/stratos/agent/v1/*";

    private static final long serialVersionUID = 1L;

    private static final ObjectMapper JSON = RestServer.objectMapper();
    private static final ObjectReader REGISTRATION = JSON.readerFor(AgentRegistration.class);
    private static final ObjectReader REPORT = JSON.readerFor(AgentReport.class);

    @Reference
    transient AgentRegistry registry;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        try {
            if (path.equals("/register")) {
                allow(request, "POST");
                ServletAnswers.write(response, 200, registry.register(body(request, REGISTRATION, "a registration")));
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
            throw StratosException.notFound("no agent API at " + ServletAnswers.printable(path),
                    "agents use POST register, GET agents/{id}/desired and POST agents/{id}/status under /stratos/agent/v1");
        } catch (MethodNotAllowed e) {
            ServletAnswers.writeError(response, new ErrorMappers.Answer(405, new ApiError("method not allowed: " + request.getMethod()
                    + " " + ServletAnswers.printable(path), null, "use " + e.allowed)), "Allow", e.allowed);
        } catch (UnsupportedType e) {
            ServletAnswers.writeError(response, new ErrorMappers.Answer(415, new ApiError("Content-Type " + ServletAnswers.printable(e.getMessage()) + " is not JSON",
                    "Content-Type", "send Content-Type: application/json")));
        } catch (RuntimeException | IOException e) {
            ServletAnswers.writeError(response, ErrorMappers.answer(e));
        }
    }

    private void desired(HttpServletRequest request, String id) {
        ServletAnswers.longPoll(request, registry.desiredState(id, secret(request), ServletAnswers.since(request)));
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
