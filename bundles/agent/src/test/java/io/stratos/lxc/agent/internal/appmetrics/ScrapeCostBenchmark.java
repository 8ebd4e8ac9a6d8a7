package io.stratos.lxc.agent.internal.appmetrics;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/**
 * Benchmark, not a test (run with -Dstratos.benchmark.out=<file>): what one application metrics scrape costs the
 * agent, a bounded GET of a realistic Prometheus text (400 samples, ~24 KiB, like a JVM client's default output)
 * read whole and parsed for one name, beside the same bounded GET without the parse (the transport alone), to the
 * same local server. (A JDK client GET with the body discarded took ~43 ms here, a delayed ACK of that exchange, so
 * it is no fair baseline.) Prints medians and p90 and writes them as JSON.
 */
class ScrapeCostBenchmark {

    private static final int RUNS = Integer.getInteger("stratos.benchmark.runs", 3000);

    static String body() {
        StringBuilder text = new StringBuilder();
        for (int family = 0; family < 40; family++) {
            text.append("# HELP app_metric_").append(family).append(" A metric of the application, number ").append(family)
                    .append(".\n# TYPE app_metric_").append(family).append(" gauge\n");
            for (int series = 0; series < 10; series++) {
                text.append("app_metric_").append(family).append("{pool=\"pool-").append(series)
                        .append("\",instance=\"process-1\",area=\"heap\"} ").append(family * 1000.5 + series).append('\n');
            }
        }
        text.append("# TYPE queue_depth gauge\nqueue_depth 7\n");
        return text.toString();
    }

    @Test
    void scrapeBesideTheGetAlone() throws Exception {
        String out = System.getProperty("stratos.benchmark.out");
        assumeTrue(out != null, "a benchmark: run it with -Dstratos.benchmark.out=<file>");
        byte[] bytes = body().getBytes(StandardCharsets.UTF_8);
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setExecutor(Executors.newFixedThreadPool(2));
        server.createContext("/", x -> {
            x.sendResponseHeaders(200, bytes.length);
            try (OutputStream o = x.getResponseBody()) {
                o.write(bytes);
            }
        });
        server.start();
        try {
            URI uri = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/metrics");
            BoundedScrape scrape = new BoundedScrape(ApplicationMetrics.MAX_BYTES, ApplicationMetrics.TIMEOUT);
            long[] scrapeNanos = new long[RUNS];
            long[] healthNanos = new long[RUNS];
            long[] parseNanos = new long[RUNS];
            String text = body();
            for (int warm = 0; warm < 2; warm++) {
                for (int i = 0; i < RUNS; i++) {
                    long t0 = System.nanoTime();
                    scrape.get(uri).get();
                    long t1 = System.nanoTime();
                    String answer = scrape.get(uri).get();
                    double value = OpenMetricsText.values(answer, List.of("queue_depth")).get("queue_depth");
                    long t2 = System.nanoTime();
                    OpenMetricsText.values(text, List.of("queue_depth"));
                    long t3 = System.nanoTime();
                    if (value != 7) {
                        throw new AssertionError("read " + value);
                    }
                    healthNanos[i] = t1 - t0;
                    scrapeNanos[i] = t2 - t1;
                    parseNanos[i] = t3 - t2;
                }
            }
            String json = String.format(Locale.ROOT, "{\"runs\": %d, \"bodyBytes\": %d, \"samples\": 401,%n"
                            + " \"scrapeMedianMicros\": %.1f, \"scrapeP90Micros\": %.1f,%n"
                            + " \"getOnlyMedianMicros\": %.1f, \"getOnlyP90Micros\": %.1f,%n"
                            + " \"parseOnlyMedianMicros\": %.1f,%n \"ratioScrapeToGetOnly\": %.2f}%n",
                    RUNS, bytes.length, micros(scrapeNanos, 50), micros(scrapeNanos, 90), micros(healthNanos, 50),
                    micros(healthNanos, 90), micros(parseNanos, 50), micros(scrapeNanos, 50) / micros(healthNanos, 50));
            System.out.print(json);
            Files.writeString(Path.of(out), json);
        } finally {
            server.stop(0);
        }
    }

    private static double micros(long[] nanos, int percentile) {
        long[] sorted = nanos.clone();
        Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, sorted.length * percentile / 100)] / 1000.0;
    }
}
