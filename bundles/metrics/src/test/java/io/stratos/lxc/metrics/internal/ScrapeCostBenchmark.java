package io.stratos.lxc.metrics.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.stratos.lxc.api.controller.CartridgeProcess;
import io.stratos.lxc.api.controller.CloudController;
import io.stratos.lxc.api.controller.PartitionVm;
import io.stratos.lxc.api.controller.ProcessMetrics;
import io.stratos.lxc.api.controller.ProcessState;
import io.stratos.lxc.api.controller.Resources;
import io.stratos.lxc.api.controller.Subscription;
import io.stratos.lxc.api.controller.VmState;
import io.stratos.lxc.api.controller.Partition;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * What one scrape costs the controller at the hollow fleet's size (10,000 VMs, 300,000 processes in 3,000
 * subscriptions), in-process and without HTTP: the collector plus the text writer, with the default cap (10,000
 * processes get series) and with no cap, beside a baseline measured in the same run: the JSON of GET /vms and of
 * every process, as the REST API's Jackson writes them. The controller is an in-memory fake answering the same
 * calls, so this measures the endpoint's own work, not the controller's lock.
 * <p>
 * Run: {@code mvn -o test -pl bundles/metrics -Dtest=ScrapeCostBenchmark -Dstratos.bench=<results dir>/in-process}.
 */
@EnabledIfSystemProperty(named = "stratos.bench", matches = ".+")
class ScrapeCostBenchmark {

    private static final int VMS = 10_000;
    private static final int SUBSCRIPTIONS = 3_000;
    private static final int PER_SUBSCRIPTION = 100;
    private static final int ROUNDS = 10;

    @Test
    void scrapeCostAtTheHollowFleetsSize() throws Exception {
        Instant now = Instant.now();
        FakeFleet fleet = new FakeFleet();
        Resources capacity = new Resources(4000, 8192);
        for (int p = 0; p < 10; p++) {
            fleet.partitions.add(new Partition("part" + p, "httpd", "hollow", 0, VMS, capacity, Map.of(), "ACTIVE", VMS / 10,
                    VMS / 10, VMS / 10, 0, Resources.ZERO));
        }
        for (int v = 0; v < VMS; v++) {
            fleet.vms.add(new PartitionVm("vm-" + v, "part" + (v % 10), "hollow", "ref" + v, VmState.READY, capacity,
                    new Resources(3000, 1920), 30, List.of("lxc"), "agent" + v, now.minusSeconds(2).toString(), null, "1",
                    List.of()));
        }
        ProcessMetrics figures = new ProcessMetrics(3.5, 12L << 20, 64L << 20, 4, 0);
        int n = 0;
        for (int s = 0; s < SUBSCRIPTIONS; s++) {
            String alias = String.format("sub%04d", s);
            List<CartridgeProcess> processes = new ArrayList<>(PER_SUBSCRIPTION);
            for (int i = 0; i < PER_SUBSCRIPTION; i++, n++) {
                processes.add(new CartridgeProcess(alias + "-" + i, alias, "httpd", "1.0", "vm-" + (n % VMS), "lxc",
                        ProcessState.RUNNING, 20_000 + i, null, new Resources(100, 64), figures, 0));
            }
            Map<ProcessState, Integer> counts = new EnumMap<>(ProcessState.class);
            counts.put(ProcessState.RUNNING, PER_SUBSCRIPTION);
            fleet.subscriptions.put(alias, new Subscription(alias, "tenant" + (s % 50), "httpd", "1.0", "sha256:00", null, 0,
                    1000, PER_SUBSCRIPTION, Map.of(), counts, alias + ".example", now.toString()));
            fleet.processes.put(alias, processes);
        }
        CloudController controller = fleet.controller();
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

        StringBuilder report = new StringBuilder();
        report.append("# Scrape cost at 10,000 VMs / 300,000 processes (3,000 subscriptions x 100), in-process, no HTTP\n");
        report.append("# date ").append(now).append("; machine ").append(machine()).append('\n');
        report.append("# best and median of ").append(ROUNDS).append(" rounds after ").append(ROUNDS).append(" warm-up rounds\n");
        report.append(String.format("%-44s %10s %10s %12s%n", "what", "best ms", "median ms", "bytes"));
        report.append(measure("metrics, default cap (10,000 processes)", () -> scrape(controller, 10_000)));
        report.append(measure("metrics, no cap (300,000 processes)", () -> scrape(controller, Integer.MAX_VALUE)));
        report.append(measure("baseline: GET /vms JSON (10,000 VMs)", () -> count(json, controller.vms())));
        report.append(measure("baseline: every process JSON (300,000)", () -> count(json, controller.processes())));
        System.out.print(report);
        Path dir = Path.of(System.getProperty("stratos.bench"));
        if (!dir.toString().equals("true")) {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve("results.txt"), report.toString());
        }
    }

    private static long scrape(CloudController controller, int cap) throws IOException {
        FleetCollector collector = new FleetCollector(() -> controller, () -> null, () -> null, () -> null, () -> cap,
                Clock.systemUTC());
        MetricSnapshots snapshots = collector.collect();
        CountingStream out = new CountingStream();
        ExpositionFormats.init().getPrometheusTextFormatWriter().write(out, snapshots);
        return out.count;
    }

    private static long count(ObjectMapper json, Object value) throws IOException {
        CountingStream out = new CountingStream();
        json.writeValue(out, value);
        return out.count;
    }

    private static String measure(String what, Callable<Long> run) throws Exception {
        long bytes = 0;
        for (int i = 0; i < ROUNDS; i++) {
            bytes = run.call();
        }
        long[] millis = new long[ROUNDS];
        for (int i = 0; i < ROUNDS; i++) {
            long start = System.nanoTime();
            bytes = run.call();
            millis[i] = (System.nanoTime() - start) / 1_000_000;
        }
        java.util.Arrays.sort(millis);
        return String.format("%-44s %10d %10d %12d%n", what, millis[0], millis[ROUNDS / 2], bytes);
    }

    private static String machine() throws IOException {
        String cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .findFirst().map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("?");
        return Runtime.getRuntime().availableProcessors() + " cores (" + cpu + "), JDK " + System.getProperty("java.version")
                + ", max heap " + (Runtime.getRuntime().maxMemory() >> 20) + " MiB, load average "
                + Files.readString(Path.of("/proc/loadavg")).trim() + " (a shared machine: the median is noisy, the best less so)";
    }

    /** Counts what is written and keeps nothing. */
    private static final class CountingStream extends OutputStream {
        long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
