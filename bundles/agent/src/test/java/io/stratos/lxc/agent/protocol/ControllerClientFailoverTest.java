package io.stratos.lxc.agent.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import io.stratos.lxc.api.agent.AgentCredentials;
import io.stratos.lxc.api.agent.AgentReport;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An agent given several controllers talks to the active one, over real HTTP on 127.0.0.1. */
class ControllerClientFailoverTest {

    private static final AgentCredentials CREDENTIALS = new AgentCredentials("vm-1", "secret", 5, 25);
    private static final AgentReport REPORT = new AgentReport(1, List.of(), List.of());

    private final List<HttpServer> servers = new java.util.ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(s -> s.stop(0));
    }

    /** A controller answering every agent call with {@code status}, naming {@code active} on a 503. */
    private String controller(int status, String active, AtomicInteger calls) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/stratos/agent/v1/", exchange -> {
            calls.incrementAndGet();
            exchange.getRequestBody().readAllBytes();
            if (active != null) {
                exchange.getResponseHeaders().add("X-Stratos-Active", active);
            }
            byte[] body = "{}".getBytes();
            exchange.sendResponseHeaders(status, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        servers.add(server);
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/stratos";
    }

    @Test
    void aStandbysRefusalSendsTheNextCallToTheActiveControllerItNames() throws Exception {
        AtomicInteger activeCalls = new AtomicInteger();
        AtomicInteger standbyCalls = new AtomicInteger();
        String active = controller(204, null, activeCalls);
        String standby = controller(503, active, standbyCalls);
        ControllerClient client = new ControllerClient(standby + "," + active);

        assertThatThrownBy(() -> client.report(CREDENTIALS, REPORT)).isInstanceOf(ControllerClient.ControllerException.class);
        client.report(CREDENTIALS, REPORT);
        client.report(CREDENTIALS, REPORT);

        assertThat(standbyCalls).hasValue(1);
        assertThat(activeCalls).hasValue(2);
        assertThat(client.controllerUrl()).as("where images and artifacts come from now").isEqualTo(active);
    }

    @Test
    void aControllerThatIsGoneSendsTheNextCallToTheNextOneListed() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        AtomicInteger calls = new AtomicInteger();
        String alive = controller(204, null, calls);
        ControllerClient client = new ControllerClient("http://127.0.0.1:" + closedPort + "/stratos, " + alive);

        assertThatThrownBy(() -> client.report(CREDENTIALS, REPORT)).isInstanceOf(java.io.IOException.class);
        client.report(CREDENTIALS, REPORT);

        assertThat(calls).hasValue(1);
    }

    @Test
    void itGoesRoundTheListAgainAndAgainWhileControllersComeAndGo() throws Exception {
        AtomicInteger firstCalls = new AtomicInteger();
        AtomicInteger secondCalls = new AtomicInteger();
        String first = controller(503, null, firstCalls);   // a standby that names no active controller
        String second = controller(503, null, secondCalls);
        ControllerClient client = new ControllerClient(first + "," + second);

        for (int i = 0; i < 6; i++) {
            assertThatThrownBy(() -> client.report(CREDENTIALS, REPORT)).isInstanceOf(ControllerClient.ControllerException.class);
        }

        assertThat(firstCalls).hasValue(3);
        assertThat(secondCalls).hasValue(3);
    }

    @Test
    void withOneControllerItStaysWithItWhateverItAnswers() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        ControllerClient client = new ControllerClient(controller(503, null, calls));

        assertThatThrownBy(() -> client.report(CREDENTIALS, REPORT)).isInstanceOf(ControllerClient.ControllerException.class);
        assertThatThrownBy(() -> client.report(CREDENTIALS, REPORT)).isInstanceOf(ControllerClient.ControllerException.class);

        assertThat(calls).hasValue(2);
    }
}
