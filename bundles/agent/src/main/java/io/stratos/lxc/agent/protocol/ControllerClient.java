package io.stratos.lxc.agent.protocol;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratos.lxc.api.agent.AgentCredentials;
import io.stratos.lxc.api.agent.AgentRegistration;
import io.stratos.lxc.api.agent.AgentReport;
import io.stratos.lxc.api.agent.DesiredState;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * The agent's side of the agent protocol over HTTP + JSON (see docs/agent.md): the agent always calls
 * the controller, never the other way round, so agents work behind NAT and firewalls.
 */
public final class ControllerClient {

    /** The controller answered with an error status. */
    public static final class ControllerException extends IOException {
        private final int status;

        ControllerException(int status, String body) {
            super("controller answered " + status + ": " + body);
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    private final URI agentApi;
    private final HttpClient http;

    /** @param controllerUrl e.g. {@code http://127.0.0.1:8181/stratos} */
    public ControllerClient(String controllerUrl) {
        String base = controllerUrl.endsWith("/") ? controllerUrl : controllerUrl + "/";
        this.agentApi = URI.create(base + "agent/v1/");
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    public AgentCredentials register(AgentRegistration registration) throws IOException, InterruptedException {
        return send(post("register", null, registration, Duration.ofSeconds(30)), AgentCredentials.class);
    }

    /** Long-polls: returns when the desired state differs from {@code since}, or after the controller's poll time. */
    public DesiredState desired(AgentCredentials credentials, long since, Duration timeout) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(agentApi.resolve("agents/" + credentials.agentId() + "/desired?since=" + since))
                .timeout(timeout).header("Authorization", "Bearer " + credentials.secret()).GET().build();
        return send(request, DesiredState.class);
    }

    public void report(AgentCredentials credentials, AgentReport report) throws IOException, InterruptedException {
        send(post("agents/" + credentials.agentId() + "/status", credentials, report, Duration.ofSeconds(30)), null);
    }

    private HttpRequest post(String path, AgentCredentials credentials, Object body, Duration timeout) throws IOException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(agentApi.resolve(path)).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        if (credentials != null) {
            builder.header("Authorization", "Bearer " + credentials.secret());
        }
        return builder.build();
    }

    private <T> T send(HttpRequest request, Class<T> type) throws IOException, InterruptedException {
        HttpResponse<byte[]> response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        if (response.statusCode() >= 300) {
            throw new ControllerException(response.statusCode(), new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return type == null ? null : JSON.readValue(response.body(), type);
    }
}
