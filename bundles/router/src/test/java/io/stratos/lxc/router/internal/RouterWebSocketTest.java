package io.stratos.lxc.router.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratos.lxc.api.controller.ProcessState;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** WebSocket through the router: the upgrade is forwarded, a 101 turns both connections into a raw relay. */
class RouterWebSocketTest {

    private RouterFixture fixture;
    private WebSocketEchoBackend echo;
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void start() throws Exception {
        // drainTimeoutSeconds 1: an upgraded connection to a draining process is closed after a second
        fixture = new RouterFixture(s -> new RouterSettings(s.port(), s.bindAddress(), s.domain(), s.connectTimeoutMillis(),
                s.requestTimeoutSeconds(), s.ioThreads(), s.backendCacheMillis(), s.backendDownMillis(), s.headerTimeoutSeconds(),
                s.idleTimeoutSeconds(), s.maxHeaderBytes(), s.trustedProxies(), 1, null, null));
        echo = new WebSocketEchoBackend();
        fixture.controller.subscribed("chat").process("chat", ProcessState.RUNNING, echo.port());
    }

    @AfterEach
    void stop() {
        fixture.close();
        echo.close();
    }

    /** Collects what the server sends, and how the socket ended. */
    private static final class Collector implements WebSocket.Listener {
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<String> ended = new CompletableFuture<>();
        private final StringBuilder parts = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
            parts.append(data);
            if (last) {
                messages.add(parts.toString());
                parts.setLength(0);
            }
            socket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
            ended.complete("closed " + status);
            return null;
        }

        @Override
        public void onError(WebSocket socket, Throwable error) {
            ended.complete("error " + error);
        }
    }

    private WebSocket open(String url, Collector collector) throws Exception {
        return http.newWebSocketBuilder().buildAsync(URI.create(url), collector).get(10, TimeUnit.SECONDS);
    }

    @Test
    void echoesThroughTheRouterAndHoldsItsProcessInFlightWhileOpen() throws Exception {
        Collector collector = new Collector();
        WebSocket socket = open("ws://127.0.0.1:" + fixture.port() + "/chat/ws", collector);
        for (int i = 0; i < 50; i++) {
            socket.sendText("hello " + i, true).get(5, TimeUnit.SECONDS);
            assertThat(collector.messages.poll(5, TimeUnit.SECONDS)).isEqualTo("echo:hello " + i);
        }
        String big = "x".repeat(300_000); // more than the sockets buffer: the relay streams it with backpressure
        socket.sendText(big, true).get(5, TimeUnit.SECONDS);
        String echoed = collector.messages.poll(5, TimeUnit.SECONDS);
        assertThat(echoed).isNotNull();
        assertThat(echoed.length()).isEqualTo(big.length() + 5);
        assertThat(echoed.equals("echo:" + big)).isTrue();
        assertThat(fixture.table.cached("chat").backends().get(0).inFlight()).as("held while open").isEqualTo(1);
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        assertThat(collector.ended.get(5, TimeUnit.SECONDS)).startsWith("closed");
        RouterServerTest.await(() -> fixture.table.cached("chat").backends().get(0).inFlight() == 0);
        RouterServerTest.await(() -> fixture.metrics.requestsInFlight("chat") == 0);
        assertThat(fixture.metrics.traffic("chat", fixture.table).errors()).isZero();
    }

    @Test
    void aBackendThatDoesNotUpgradeHasItsAnswerRelayed() throws Exception {
        try (RawClient client = new RawClient(fixture.port())) {
            client.send("GET /chat/elsewhere HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n");
            RawHttp.Response response = client.read();
            assertThat(response.status()).isEqualTo(404);
            assertThat(response.body()).isEqualTo("not a websocket path\n");
            assertThat(response.header("Upgrade")).isNull();
        }
    }

    @Test
    void aDrainClosesUpgradedConnectionsAfterDrainTimeoutSecondsAndTakesNoNewOnes() throws Exception {
        Collector collector = new Collector();
        WebSocket socket = open("ws://127.0.0.1:" + fixture.port() + "/chat/ws", collector);
        socket.sendText("before", true).get(5, TimeUnit.SECONDS);
        assertThat(collector.messages.poll(5, TimeUnit.SECONDS)).isEqualTo("echo:before");

        String leaving = fixture.controller.processes.get("chat").get(0).id();
        fixture.controller.stopping("chat", leaving);
        assertThat(fixture.table.drained("chat", leaving)).isFalse();
        // the upgraded connection holds the process in flight, but only for drainTimeoutSeconds
        assertThat(collector.ended.get(10, TimeUnit.SECONDS)).isNotNull();
        RouterServerTest.await(() -> fixture.table.drained("chat", leaving));
        RouterServerTest.await(() -> echo.open.get() == 0);
        // and a new upgrade does not reach the leaving process
        assertThatThrownBy(() -> open("ws://127.0.0.1:" + fixture.port() + "/chat/ws", new Collector()))
                .isInstanceOf(ExecutionException.class);
    }
}
