package io.stratos.lxc.agent.internal;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The reconciler's HTTP health checks, asynchronous with a bound on how many are in flight: a pass over 2,000
 * processes must not wait for them one after the other (a slow answer held up every check behind it, and processes
 * flapped), nor open 2,000 connections at once. Checks beyond the bound queue and start as others finish.
 * The JDK's client is asynchronous already; only the bound is ours (it has none of its own).
 */
final class HealthChecks implements AutoCloseable {

    /** The status of one check: the HTTP status, or -1 when nothing answered. */
    private record Pending(URI uri, CompletableFuture<Integer> result) {
    }

    private final int maxInFlight;
    private final ExecutorService callbacks = Executors.newFixedThreadPool(2, r -> {
        Thread thread = new Thread(r, "stratos-agent-health");
        thread.setDaemon(true);
        return thread;
    });
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).executor(callbacks).build();
    private final Queue<Pending> queued = new ConcurrentLinkedQueue<>();
    private final AtomicInteger inFlight = new AtomicInteger();

    HealthChecks(int maxInFlight) {
        this.maxInFlight = maxInFlight;
    }

    /** GET uri; completes with its status, or -1 when it did not answer within 2 s. Never completes exceptionally. */
    CompletableFuture<Integer> check(URI uri) {
        Pending pending = new Pending(uri, new CompletableFuture<>());
        queued.add(pending);
        drain();
        return pending.result();
    }

    /** Checks queued or in flight now (for tests and views). */
    int outstanding() {
        return inFlight.get() + queued.size();
    }

    private void drain() {
        while (true) {
            int now = inFlight.get();
            if (now >= maxInFlight || queued.isEmpty()) {
                return;
            }
            if (!inFlight.compareAndSet(now, now + 1)) {
                continue;
            }
            Pending next = queued.poll();
            if (next == null) {
                inFlight.decrementAndGet();
                continue;
            }
            send(next);
        }
    }

    private void send(Pending pending) {
        CompletableFuture<HttpResponse<Void>> sent;
        try {
            sent = http.sendAsync(HttpRequest.newBuilder(pending.uri()).timeout(Duration.ofSeconds(2)).GET().build(),
                    HttpResponse.BodyHandlers.discarding());
        } catch (RuntimeException e) {
            finish(pending, -1);
            return;
        }
        sent.whenComplete((response, error) -> finish(pending, error == null ? response.statusCode() : -1));
    }

    private void finish(Pending pending, int status) {
        inFlight.decrementAndGet();
        try {
            pending.result().complete(status);
        } finally {
            drain();
        }
    }

    @Override
    public void close() {
        callbacks.shutdownNow();
        Pending left;
        while ((left = queued.poll()) != null) {
            left.result().complete(-1);
        }
    }
}
