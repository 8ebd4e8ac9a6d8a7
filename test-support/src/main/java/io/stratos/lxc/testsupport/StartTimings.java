package io.stratos.lxc.testsupport;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the start benchmarks (the agent's StartBurstBenchmark, agent-docker's StartLatencyBenchmark) share: a started
 * process's first HTTP 200, polled every 2 ms because the poll is the measurement's resolution, and the figures they
 * print, rounded to hundredths.
 */
public final class StartTimings {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofMillis(200)).build();

    private StartTimings() {
    }

    /** Returns once {@code uri} answers 200; throws after {@code within}. */
    public static void firstOk(URI uri, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<Void> response = HTTP.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(2)).build(),
                        HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            }
            Thread.sleep(2);
        }
        throw new IllegalStateException("no HTTP 200 from " + uri);
    }

    /** The upper median. */
    public static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return round(sorted.get(sorted.size() / 2));
    }

    /** The nearest-rank 90th percentile. */
    public static double p90(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return round(sorted.get((int) Math.ceil(sorted.size() * 0.9) - 1));
    }

    public static double round(double value) {
        return Math.round(value * 100) / 100.0;
    }
}
