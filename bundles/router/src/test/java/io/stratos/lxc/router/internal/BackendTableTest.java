package io.stratos.lxc.router.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BackendTableTest {

    @Test
    void concurrentFirstRequestsOfAnAliasShareOneRouteSoTheirRequestsInFlightAreCountedOnIt() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        // The controller answers only once every request has arrived, so the requests surely meet at the look-up
        // (with a slow controller alone, requests that happened to run one after the other would pass too).
        CountDownLatch arrived = new CountDownLatch(8);
        BackendTable table = new BackendTable(alias -> {
            lookups.incrementAndGet();
            try {
                assertThat(arrived.await(5, TimeUnit.SECONDS)).as("all 8 requests arrived").isTrue();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return List.of(new Backend("p1", "127.0.0.1", 20001), new Backend("p2", "127.0.0.1", 20002));
        }, 60_000, System::nanoTime);
        ExecutorService requests = Executors.newFixedThreadPool(8);
        try {
            Set<Object> routes = ConcurrentHashMap.newKeySet();
            List<Future<?>> all = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                all.add(requests.submit(() -> {
                    arrived.countDown();
                    routes.add(table.route("shop"));
                }));
            }
            for (Future<?> f : all) {
                f.get(10, TimeUnit.SECONDS);
            }
            assertThat(routes).hasSize(1);
            assertThat(lookups).hasValue(1);
            assertThat(routes.iterator().next()).isSameAs(table.cached("shop"));
        } finally {
            requests.shutdownNow();
        }
    }
}
