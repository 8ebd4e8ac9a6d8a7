package io.stratos.lxc.router.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Clients that hold connections without finishing a request cost the others nothing. */
class RouterSlowClientsTest {

    private static final int SLOW = 500;
    private static final int SILENT = 500;
    private static final Duration HOLD = Duration.ofSeconds(10);

    private RouterFixture fixture;
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void stop() {
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException e) {
                // the next one
            }
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    void aThousandClientsThatSendHeadersSlowlyOrNothingDoNotStopAnother() throws Exception {
        // headers may take 60 s here: the slow clients stay connected for the whole test
        fixture = new RouterFixture(s -> RouterFixture.with(s, 60, 60, 10));
        fixture.backend("shop", "a");
        List<Socket> slow = new ArrayList<>();
        for (int i = 0; i < SLOW + SILENT; i++) {
            Socket socket = new Socket("127.0.0.1", fixture.port());
            sockets.add(socket);
            if (i < SLOW) {
                socket.getOutputStream().write("GET / HTTP/1.1\r\nHost: shop.stratos.local\r\n".getBytes(StandardCharsets.ISO_8859_1));
                slow.add(socket);
            }
        }
        AtomicBoolean dripping = new AtomicBoolean(true);
        Thread dripper = new Thread(() -> {
            // a header byte per slow client every 200 ms, never the blank line that ends the headers
            while (dripping.get()) {
                for (Socket socket : slow) {
                    try {
                        socket.getOutputStream().write('x');
                    } catch (IOException e) {
                        // closed by the router: seen below
                    }
                }
                TestBackend.pause(200);
            }
        }, "dripper");
        dripper.setDaemon(true);
        dripper.start();
        try {
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fixture.port() + "/shop/"))
                    .timeout(Duration.ofSeconds(2)).build();
            long end = System.nanoTime() + HOLD.toNanos();
            int served = 0;
            for (int i = 0; i < 1000 && System.nanoTime() - end < 0; i++) {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                served++;
                TestBackend.pause(50);
            }
            assertThat(served).isGreaterThan(20);
            // and the slow ones are all still held, not dropped to make room
            for (Socket socket : sockets) {
                socket.setSoTimeout(1);
                try {
                    assertThat(socket.getInputStream().read()).as("nothing answered yet").isNotEqualTo(-1);
                } catch (java.net.SocketTimeoutException expected) {
                    // still open, still waiting
                }
            }
        } finally {
            dripping.set(false);
            dripper.join(5000);
        }
    }
}
