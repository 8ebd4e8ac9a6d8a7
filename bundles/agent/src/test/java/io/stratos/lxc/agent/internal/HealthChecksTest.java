package io.stratos.lxc.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class HealthChecksTest {

    private HttpServer server;
    private final CountDownLatch release = new CountDownLatch(1);
    private final AtomicInteger inServer = new AtomicInteger();
    private final AtomicInteger mostInServer = new AtomicInteger();
    private HealthChecks checks;

    @BeforeEach
    void setUp() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/slow", exchange -> {
            mostInServer.accumulateAndGet(inServer.incrementAndGet(), Math::max);
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            inServer.decrementAndGet();
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.createContext("/broken", exchange -> {
            exchange.sendResponseHeaders(503, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void tearDown() {
        release.countDown();
        if (checks != null) {
            checks.close();
        }
        server.stop(0);
    }

    private URI uri(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    @Test
    void checksBeyondTheBoundWaitForOthersToFinishAndAllAreAnswered() throws Exception {
        checks = new HealthChecks(2);
        List<CompletableFuture<Integer>> answers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            answers.add(checks.check(uri("/slow")));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (inServer.get() < 2 && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(inServer.get()).as("two checks reached the server").isEqualTo(2);
        assertThat(checks.outstanding()).as("the other four wait their turn").isEqualTo(6);
        assertThat(answers).noneMatch(CompletableFuture::isDone);

        release.countDown();
        for (CompletableFuture<Integer> answer : answers) {
            assertThat(answer.get(5, TimeUnit.SECONDS)).isEqualTo(200);
        }
        assertThat(mostInServer.get()).as("never more than the bound at once").isEqualTo(2);
        assertThat(checks.outstanding()).isZero();
    }

    @Test
    void aStatusIsPassedOnAndNothingListeningIsMinusOne() throws Exception {
        checks = new HealthChecks(4);
        int closed;
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = probe.getLocalPort();
        }
        assertThat(checks.check(uri("/broken")).get(5, TimeUnit.SECONDS)).isEqualTo(503);
        assertThat(checks.check(URI.create("http://127.0.0.1:" + closed + "/")).get(5, TimeUnit.SECONDS)).isEqualTo(-1);
    }
}
