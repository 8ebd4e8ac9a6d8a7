package io.stratos.lxc.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.stratos.lxc.itests.support.ControllerProcess;
import io.stratos.lxc.itests.support.JsonTree;
import io.stratos.lxc.itests.support.OpenApiFuzzer;
import io.stratos.lxc.itests.support.RawHttp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The built controller under hostile input: the REST API fuzzed from its own OpenAPI description, with
 * zero 5xx answers and zero errors in the controller's log.
 * <p>
 * {@code -Dstratos.fuzz.requests=N} (default 3000, a couple of minutes) sets the number of requests,
 * {@code -Dstratos.fuzz.seed=S} repeats a run (the seed is printed; the same seed sends the same requests).
 */
public class HostileInputE2E {

    private static ControllerProcess controller;

    @BeforeClass
    public static void startController() throws Exception {
        controller = ControllerProcess.create("hostile-input", 22000);
        // One local VM at most: valid partitions still get a real agent, without one JVM per fuzzed partition.
        controller.distribution().configure("io.stratos.lxc.iaas.local.cfg", "maxVms", "1");
        controller.start();
        controller.awaitCartridge("static-httpd");
    }

    @AfterClass
    public static void stopController() throws Exception {
        if (controller != null) {
            controller.close();
        }
    }

    @Test
    public void theApiFuzzedFromItsOpenApiDescriptionAnswersNo5xxAndLogsNoError() throws Exception {
        int requests = Integer.getInteger("stratos.fuzz.requests", 3000);
        long seed = Long.getLong("stratos.fuzz.seed", System.nanoTime());
        String spec = controller.get("/openapi.json");
        long logStart = Files.size(controller.distribution().log());

        OpenApiFuzzer fuzzer = new OpenApiFuzzer(spec, (method, target, headers, body) -> controller.raw(method, target, headers, body), seed)
                .know("name", "static-httpd").know("version", "1.0.0").know("tag", "latest");
        System.out.println("fuzz: seed " + seed + " (repeat with -Dstratos.fuzz.seed=" + seed + "), " + requests + " requests");
        long started = System.nanoTime();
        fuzzer.run(requests);
        double seconds = (System.nanoTime() - started) / 1e9;
        System.out.print(fuzzer.summary());
        System.out.printf("fuzz: %d requests in %.1f s (%.0f/s)%n", fuzzer.sent(), seconds, fuzzer.sent() / seconds);

        List<String> problems = new ArrayList<>();
        for (OpenApiFuzzer.Failure f : fuzzer.failures()) {
            problems.add(f.kind() + " [" + f.count()[0] + "x] " + f.signature() + "\n    request #" + f.first().index() + " ("
                    + f.first().mode() + "): " + f.first().curl("http://127.0.0.1:" + controller.httpPort())
                    + "\n    answer " + f.status() + ": " + f.answer().replace("\n", " "));
        }
        List<String> logged = errorsLoggedSince(controller.distribution().log(), logStart);
        for (String entry : logged) {
            problems.add("logged: " + entry);
        }
        problems.forEach(p -> System.out.println("FUZZ FAILURE " + p));
        System.out.printf("fuzz: %d requests, %d distinct failures, %d distinct log errors (seed %d)%n", fuzzer.sent(),
                fuzzer.failures().size(), logged.size(), seed);
        assertTrue("seed " + seed + ":\n" + String.join("\n", problems), problems.isEmpty());
        assertEquals(requests, fuzzer.sent());
    }

    /** Distinct ERROR entries and exception traces in the Karaf log after the offset, with their first lines. */
    static List<String> errorsLoggedSince(Path log, long offset) throws IOException {
        byte[] all = Files.readAllBytes(log);
        String text = new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset), StandardCharsets.UTF_8);
        Map<String, String> distinct = new LinkedHashMap<>();
        String[] lines = text.split("\n");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i];
            boolean error = line.contains("| ERROR |");
            boolean trace = i + 1 < lines.length && lines[i + 1].startsWith("\tat ") && !lines[i].startsWith("\tat ");
            if (error || trace) {
                String key = line.replaceAll("^\\S+ \\| ", "").replaceAll("qtp\\d+-\\d+", "qtp")
                        .replaceAll("[0-9a-f]{8}(-[0-9a-f]{4})?", "<id>").replaceAll("\\d+", "N");
                StringBuilder entry = new StringBuilder(line);
                for (int j = i + 1; j < lines.length && j < i + 6 && !lines[j].contains("| "); j++) {
                    entry.append("\n      ").append(lines[j]);
                }
                distinct.putIfAbsent(key, entry.toString());
            }
        }
        return new ArrayList<>(distinct.values());
    }

    static Object json(RawHttp.Response response) {
        return JsonTree.parse(response.text());
    }
}
