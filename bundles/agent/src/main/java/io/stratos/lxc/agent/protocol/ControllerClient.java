package io.stratos.lxc.agent.protocol;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratos.lxc.api.agent.AgentCredentials;
import io.stratos.lxc.api.agent.AgentRegistration;
import io.stratos.lxc.api.agent.AgentReport;
import io.stratos.lxc.api.agent.DesiredState;
import io.stratos.lxc.net.Controllers;
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

    /** Each controller's agent API; the agent talks to one at a time and moves on when it stands by or is gone. */
    private final Controllers agentApis;
    private final HttpClient http;

    /**
     * @param controllerUrls one controller's URL, e.g. {@code http://127.0.0.1:8181/stratos}, or several separated by
     *                       commas: controllers sharing one database, of which one is active at a time
     */
    public ControllerClient(String controllerUrls) {
        java.util.List<URI> apis = new java.util.ArrayList<>();
        for (String url : controllerUrls.split(",")) {
            String trimmed = url.trim();
            if (!trimmed.isEmpty()) {
                apis.add(agentApiOf(trimmed));
            }
        }
        if (apis.isEmpty()) {
            throw new IllegalArgumentException("no controller URL in '" + controllerUrls + "'");
        }
        this.agentApis = new Controllers(apis, ControllerClient::agentApiOf);
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    /** The agent API of the controller at {@code controllerUrl} (e.g. {@code http://127.0.0.1:8181/stratos}). */
    private static URI agentApiOf(String controllerUrl) {
        return URI.create((controllerUrl.endsWith("/") ? controllerUrl : controllerUrl + "/") + "agent/v1/");
    }

    /** The base URL of the controller this client talks to now, e.g. {@code http://127.0.0.1:8181/stratos}. */
    public String controllerUrl() {
        String api = agentApi().toString();
        return api.substring(0, api.length() - "/agent/v1/".length());
    }

    /** The agent API of the controller this client talks to now. */
    private URI agentApi() {
        return agentApis.current();
    }

    /** The controller asked did not take the call (it is gone, or a standby: 503): the next call goes elsewhere. */
    private void moveOn(URI asked, String activeUrl) {
        agentApis.moveOn(asked, activeUrl);
    }

    public AgentCredentials register(AgentRegistration registration) throws IOException, InterruptedException {
        return send(post("register", null, registration, Duration.ofSeconds(30)), AgentCredentials.class);
    }

    /** Long-polls: returns when the desired state differs from {@code since}, or after the controller's poll time. */
    public DesiredState desired(AgentCredentials credentials, long since, Duration timeout) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(agentApi().resolve("agents/" + credentials.agentId() + "/desired?since=" + since))
                .timeout(timeout).header("Authorization", "Bearer " + credentials.secret()).GET().build();
        return send(request, DesiredState.class);
    }

    public void report(AgentCredentials credentials, AgentReport report) throws IOException, InterruptedException {
        send(post("agents/" + credentials.agentId() + "/status", credentials, report, Duration.ofSeconds(30)), null);
    }

    private HttpRequest post(String path, AgentCredentials credentials, Object body, Duration timeout) throws IOException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(agentApi().resolve(path)).timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(JSON.writeValueAsBytes(body)));
        if (credentials != null) {
            builder.header("Authorization", "Bearer " + credentials.secret());
        }
        return builder.build();
    }

    private <T> T send(HttpRequest request, Class<T> type) throws IOException, InterruptedException {
        String uri = request.uri().toString();
        URI asked = agentApis.all().size() < 2 ? null
                : agentApis.all().stream().filter(api -> uri.startsWith(api.toString())).findFirst().orElse(null);
        HttpResponse<byte[]> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            // refused, reset or closed: gone, or reached through a relay whose controller is gone
            if (asked != null) {
                moveOn(asked, null);
            }
            throw e;
        }
        if (response.statusCode() == 503 && asked != null) {
            moveOn(asked, response.headers().firstValue("X-Stratos-Active").orElse(null));
        }
        if (response.statusCode() >= 300) {
            throw new ControllerException(response.statusCode(), new String(response.body(), java.nio.charset.StandardCharsets.UTF_8));
        }
        return type == null ? null : JSON.readValue(response.body(), type);
    }
}
