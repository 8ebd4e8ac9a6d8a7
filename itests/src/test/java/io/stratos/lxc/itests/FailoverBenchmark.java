package io.stratos.lxc.itests;

import static org.junit.Assert.assertEquals;

import io.stratos.lxc.itests.support.Await;
import io.stratos.lxc.itests.support.ControllerPair;
import io.stratos.lxc.itests.support.ControllerProcess;
import io.stratos.lxc.itests.support.Percentiles;
import java.net.http.HttpResponse;
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
 * Benchmark (run by benchmarks/run.sh with FAILOVER=1, not by the test suite): the time from kill -9 of the active
 * controller to the first write the standby accepts, over repeated kills (each killed controller restarted as the
 * standby), beside the baseline measured in the same run: one controller alone, killed and restarted, to its first
 * accepted write. Two built controller distributions on the tests' PostgreSQL ({@link ControllerPair}).
 * <p>
 * Writes {@code failover.json} to {@code stratos.benchmark.out}; {@code stratos.benchmark.quick}: fewer kills.
 */
public class FailoverBenchmark {

    private final Path out = Path.of(System.getProperty("stratos.benchmark.out", "target/benchmark"));
    private final boolean quick = !System.getProperty("stratos.benchmark.quick", "").isEmpty();
    private ControllerPair pair;

    @After
    public void stop() throws Exception {
        if (pair != null) {
            pair.close();
        }
    }

    @Test
    public void killToFirstAcceptedWriteBesideARestart() throws Exception {
        Files.createDirectories(out);
        pair = ControllerPair.create("controller-failover-bench");
        pair.a.start();
        pair.b.start();
        pair.a.expect(201, "POST", "/partitions", "{\"name\":\"fo\",\"cartridge\":\"static-httpd\",\"minVms\":0,\"maxVms\":1}");
        pair.a.expect(201, "POST", "/subscriptions", "{\"alias\":\"fo1\",\"cartridge\":\"static-httpd\",\"minProcesses\":0,\"maxProcesses\":4}");

        int kills = quick ? 3 : 10;
        List<Double> failover = new ArrayList<>();
        ControllerProcess active = pair.a;
        for (int i = 0; i < kills; i++) {
            ControllerProcess standby = pair.other(active);
            long killed = System.nanoTime();
            active.distribution().kill();
            awaitWrite(standby, i % 4);
            failover.add((System.nanoTime() - killed) / 1e9);
            active.distribution().start();
            active.awaitReady();
            assertEquals("standby", ControllerPair.role(active));
            active = standby;
        }

        // the baseline: the active controller alone, killed and restarted
        pair.other(active).distribution().close();
        int restarts = quick ? 2 : 3;
        List<Double> restart = new ArrayList<>();
        for (int i = 0; i < restarts; i++) {
            long killed = System.nanoTime();
            active.distribution().kill();
            active.distribution().start();
            awaitWrite(active, i % 4);
            restart.add((System.nanoTime() - killed) / 1e9);
        }

        double p50 = Percentiles.of(failover, 0.5);
        double base = Percentiles.of(restart, 0.5);
        String json = String.format(Locale.ROOT, "{\"kills\":%d,\"failover_p50_s\":%.2f,\"failover_max_s\":%.2f,"
                        + "\"restart_p50_s\":%.2f,\"restart_max_s\":%.2f,\"ratio\":%.2f,\"failover_s\":%s,\"restart_s\":%s}%n",
                kills, p50, Collections.max(failover), base, Collections.max(restart), p50 / base, format(failover), format(restart));
        Files.writeString(out.resolve("failover.json"), json);
        System.out.print("failover: " + json);
    }

    private static void awaitWrite(ControllerProcess controller, int processes) throws Exception {
        Await.success("a write accepted", Duration.ofSeconds(120), () -> {
            HttpResponse<String> r = controller.send("PUT", "/subscriptions/fo1/scale", "{\"processes\":" + processes + "}");
            assertEquals(r.body(), 200, r.statusCode());
            return null;
        });
    }

    private static List<String> format(List<Double> values) {
        return values.stream().map(v -> String.format(Locale.ROOT, "%.2f", v)).toList();
    }
}
