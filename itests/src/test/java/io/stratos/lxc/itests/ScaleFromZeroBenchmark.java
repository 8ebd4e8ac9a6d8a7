package io.stratos.lxc.itests;

import static org.junit.Assert.assertEquals;

import io.stratos.lxc.itests.support.Percentiles;
import io.stratos.lxc.itests.support.ScaleToZeroFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import org.junit.After;
import org.junit.Test;

/**
 * Benchmark (run by benchmarks/run.sh, not by the test suite): a cold request, the first into a subscription at zero
 * processes (warm image, VM up), through the router until the process that starts for it answers, beside warm requests
 * to the same subscription in the same run. Each cycle waits for the autoscaler to take the subscription back to zero
 * (scaleToZeroAfterSeconds 1), then sends one cold request and then warm ones. One cycle first warms the path up
 * (the JIT, the controller's and agent's first placement and start of this cartridge) and is not counted, as a warm
 * request's first would not be; its cold time is written apart ({@code warmup_cold_ms}).
 * <p>
 * Writes {@code scale-from-zero.json} to {@code stratos.benchmark.out}; {@code stratos.benchmark.quick}: fewer cycles.
 */
public class ScaleFromZeroBenchmark {

    private final Path out = Path.of(System.getProperty("stratos.benchmark.out", "target/benchmark"));
    private final boolean quick = !System.getProperty("stratos.benchmark.quick", "").isEmpty();
    private ScaleToZeroFixture fixture;

    @After
    public void stop() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    @Test
    public void coldRequestBesideWarm() throws Exception {
        Files.createDirectories(out);
        fixture = ScaleToZeroFixture.start("controller-scale-from-zero-bench", 1);
        int cycles = quick ? 5 : 30;
        List<Double> cold = new ArrayList<>();
        List<Double> warm = new ArrayList<>();
        fixture.awaitZero(Duration.ofSeconds(60));
        long[] warmup = fixture.request();
        assertEquals("the warm-up cycle's cold request is served", 200, warmup[0]);
        for (int i = 0; i < cycles; i++) {
            fixture.awaitZero(Duration.ofSeconds(60));
            long[] first = fixture.request();
            assertEquals("a cold request is served", 200, first[0]);
            cold.add(first[1] / 1e6);
            for (int w = 0; w < 5; w++) {
                long[] next = fixture.request();
                assertEquals(200, next[0]);
                warm.add(next[1] / 1e6);
            }
        }
        String json = String.format(Locale.ROOT, "{\"cycles\":%d,\"warmup_cold_ms\":%.1f,\"cold_p50_ms\":%.1f,\"cold_p99_ms\":%.1f,\"cold_max_ms\":%.1f,"
                        + "\"warm_p50_ms\":%.2f,\"warm_p99_ms\":%.2f,\"cold_ms\":%s}%n", cycles, warmup[1] / 1e6, Percentiles.of(cold, 0.5),
                Percentiles.of(cold, 0.99), Collections.max(cold), Percentiles.of(warm, 0.5), Percentiles.of(warm, 0.99),
                cold.stream().map(v -> String.format(Locale.ROOT, "%.1f", v)).toList());
        Files.writeString(out.resolve("scale-from-zero.json"), json);
        System.out.print("scale from zero: " + json);
    }
}
