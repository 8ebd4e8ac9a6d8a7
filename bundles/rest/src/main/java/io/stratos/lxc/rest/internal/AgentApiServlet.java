package io.stratos.lxc.rest.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.agent.AgentRegistration;
import io.stratos.lxc.api.agent.AgentRegistry;
import io.stratos.lxc.api.agent.AgentReport;
import java.io.IOException;
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
    transient RestSettings settings;

    @Reference
    transient AgentRegistry registry;

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo() == null ? "" : request.getPathInfo();
        try {
            if (path.equals("/register")) {
                ServletAnswers.allow(request, "POST");
                ServletAnswers.write(response, 200, registry.register(ServletAnswers.body(request, REGISTRATION, "a registration", settings.maxJsonBytes())));
                return;
            }
            String[] parts = path.split("/", -1); // "", "agents", id, what
            if (parts.length == 4 && parts[1].equals("agents") && !parts[2].isEmpty()) {
                String id = parts[2];
                if (parts[3].equals("desired")) {
                    ServletAnswers.allow(request, "GET");
                    desired(request, id);
                    return;
                }
                if (parts[3].equals("status")) {
                    ServletAnswers.allow(request, "POST");
                    registry.report(id, secret(request), ServletAnswers.body(request, REPORT, "a status report", settings.maxJsonBytes()));
                    response.setStatus(204);
                    response.setHeader("Date", HttpDate.now());
                    return;
                }
            }
            throw StratosException.notFound("no agent API at " + ServletAnswers.printable(path),
                    "agents use POST register, GET agents/{id}/desired and POST agents/{id}/status under /stratos/agent/v1");
        } catch (RuntimeException | IOException e) {
            ServletAnswers.fail(request, response, path, e);
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
}
