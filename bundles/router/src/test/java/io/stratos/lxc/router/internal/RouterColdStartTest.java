package io.stratos.lxc.router.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stratos.lxc.api.controller.ProcessState;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Scale from zero, the router's part: a request for a subscription without a RUNNING process is held while the
 * subscription is woken, and served by the process that starts; held requests are bounded in count and time.
 */
class RouterColdStartTest {

    private final FakeController controller = new FakeController();
    private final List<String> woken = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final ExecutorService clients = Executors.newCachedThreadPool();
    private RouterServer router;

    /** A router whose waker answers {@code starting} and, when it does, starts a backend after {@code startMillis}. */
    private void start(boolean starting, long startMillis, int maxHeld, int holdTimeoutSeconds) throws IOException {
        RouterSettings s = RouterServerTest.settings();
        RouterSettings settings = new RouterSettings(s.port(), s.bindAddress(), s.domain(), s.connectTimeoutMillis(),
                s.requestTimeoutSeconds(), s.ioThreads(), s.backendCacheMillis(), s.backendDownMillis(),
                s.headerTimeoutSeconds(), s.idleTimeoutSeconds(), s.maxHeaderBytes(), s.trustedProxies(),
                s.drainTimeoutSeconds(), null, null, maxHeld, holdTimeoutSeconds);
        BackendTable table = new BackendTable(new ControllerBackendSource(controller::service), 60_000, System::nanoTime);
        router = new RouterServer(settings, table, new TrafficMetrics(), AccessLog.to(line -> { }), alias -> {
            woken.add(alias);
            if (starting && startMillis >= 0) {
                clients.submit(() -> {
                    Thread.sleep(startMillis); // the point: a process that takes this long to start
                    TestBackend backend = new TestBackend("cold");
                    closeables.add(backend);
                    controller.process(alias, ProcessState.RUNNING, backend.port());
                    return null;
                });
            }
            return starting;
        });
        router.start();
    }

    @AfterEach
    void stop() throws Exception {
        if (router != null) {
            router.stop(0);
        }
        clients.shutdownNow();
        for (AutoCloseable c : closeables) {
            c.close();
        }
    }

    @Test
    void aRequestAtZeroIsHeldWhileAProcessStartsAndThenServedByIt() throws Exception {
        controller.subscribed("shop");
        start(true, 300, 100, 10);

        long begin = System.nanoTime();
        RawHttp.Response response = RawHttp.send(router.port(), "GET", "/shop/cart");
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin);

        assertThat(response.status()).isEqualTo(200);
        assertThat(response.echo("backend")).isEqualTo("cold");
        assertThat(millis).as("held until the process ran, not answered 503 at once").isGreaterThanOrEqualTo(250);
        assertThat(woken).containsExactly("shop");
        assertThat(router.held()).isZero();
    }

    @Test
    void manyRequestsAtOnceWakeTheSubscriptionOnceAndAreAllServed() throws Exception {
        controller.subscribed("shop");
        start(true, 200, 100, 10);

        List<Future<RawHttp.Response>> answers = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            answers.add(clients.submit(() -> RawHttp.send(router.port(), "GET", "/shop/")));
        }
        for (Future<RawHttp.Response> answer : answers) {
            assertThat(answer.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
        }
        assertThat(woken).containsExactly("shop");
    }

    @Test
    void aSubscriptionThatDoesNotWakeIsA503AtOnce() throws Exception {
        controller.subscribed("shop");
        start(false, -1, 100, 10);

        long begin = System.nanoTime();
        RawHttp.Response response = RawHttp.send(router.port(), "GET", "/shop/");

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.header("Retry-After")).isEqualTo(String.valueOf(JsonErrors.RETRY_AFTER_SECONDS));
        assertThat(response.body()).contains("has no RUNNING process and none is starting");
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - begin)).isLessThan(2_000);
    }

    @Test
    void aProcessThatNeverStartsEndsTheHoldWithA503AfterHoldTimeout() throws Exception {
        controller.subscribed("shop");
        start(true, -1, 100, 1);

        RawHttp.Response response = RawHttp.send(router.port(), "GET", "/shop/");

        assertThat(response.status()).isEqualTo(503);
        assertThat(response.header("Retry-After")).isEqualTo(String.valueOf(JsonErrors.RETRY_AFTER_SECONDS));
        assertThat(response.body()).contains("started within 1 s");
        assertThat(router.held()).isZero();
    }

    @Test
    void beyondMaxHeldRequestsTheAnswerIsA503WithRetryAfter() throws Exception {
        controller.subscribed("shop");
        start(true, -1, 2, 3);

        List<Future<RawHttp.Response>> held = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            held.add(clients.submit(() -> RawHttp.send(router.port(), "GET", "/shop/")));
        }
        await("both requests held").atMost(Duration.ofSeconds(5)).until(() -> router.held() == 2);
        RawHttp.Response over = RawHttp.send(router.port(), "GET", "/shop/");

        assertThat(over.status()).isEqualTo(503);
        assertThat(over.body()).contains("maxHeldRequests 2");
        for (Future<RawHttp.Response> answer : held) {
            assertThat(answer.get(10, TimeUnit.SECONDS).status()).as("held until the timeout").isEqualTo(503);
        }
    }
}
