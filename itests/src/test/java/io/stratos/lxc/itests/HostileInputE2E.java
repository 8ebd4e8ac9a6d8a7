package io.stratos.lxc.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import io.stratos.lxc.itests.support.ControllerProcess;
import io.stratos.lxc.itests.support.Json;
import io.stratos.lxc.itests.support.OpenApiFuzzer;
import io.stratos.lxc.itests.support.RawHttp;
import io.stratos.lxc.itests.support.TarBuilder;
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

    static final long MAX_IMAGE_BYTES = 16L * 1024 * 1024;
    static final long MAX_UNPACKED_BYTES = 64L * 1024 * 1024;

    private static ControllerProcess controller;

    @BeforeClass
    public static void startController() throws Exception {
        controller = ControllerProcess.create("hostile-input");
        // One local VM at most: valid partitions still get a real agent, without one JVM per fuzzed partition.
        controller.distribution().configure("io.stratos.lxc.iaas.local.cfg", "maxVms", "1")
                // written before the first start, so the feature's own file is not installed: name what it would set
                .configure("io.stratos.lxc.store.cfg", "preloadDirectory", "${karaf.home}/cartridges")
                .configure("io.stratos.lxc.store.cfg", "maxImageBytes", String.valueOf(MAX_IMAGE_BYTES))
                .configure("io.stratos.lxc.store.cfg", "maxUnpackedBytes", String.valueOf(MAX_UNPACKED_BYTES))
                // generated git URLs (the OpenAPI example's host too) must never leave this machine
                .configure("io.stratos.lxc.git.cfg", "allowedHosts", "127.0.0.1");
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
        fuzzer.knownSeen().forEach((why, n) -> System.out.println("FUZZ KNOWN [" + n + "x] " + why));
        System.out.printf("fuzz: %d requests, %d distinct failures, %d distinct log errors (seed %d)%n", fuzzer.sent(),
                fuzzer.failures().size(), logged.size(), seed);
        assertTrue("seed " + seed + ":\n" + String.join("\n", problems), problems.isEmpty());
        assertEquals(requests, fuzzer.sent());
    }

    /**
     * CXF's servlet transport reads the charset before any JAX-RS filter runs and failed on one the JVM does not know
     * (Jetty answered an HTML 500): the rest bundle's whiteboard preprocessor answers it first, on both APIs, with or
     * without credentials, and lets every known charset through.
     */
    @Test
    public void aContentTypeNamingAnUnknownCharsetIsA415WithTheJsonError() throws Exception {
        long logStart = Files.size(controller.distribution().log());
        byte[] body = "{\"alias\":\"x\",\"cartridge\":\"static-httpd\"}".getBytes(StandardCharsets.UTF_8);
        for (String contentType : List.of("application/json; charset=klingon", "application/json; charset=\"", "application/json; charset=\"utf-8")) {
            for (String target : List.of("/subscriptions", "/stratos/agent/v1/register", "/status")) {
                RawHttp.Response response = controller.raw("POST", target, Map.of("Content-Type", contentType), body);
                assertEquals(contentType + " " + target + ": " + response.text(), 415, response.status());
                String what = contentType + " " + target + ": " + response.text();
                assertTrue(what, response.contentType().startsWith("application/json"));
                Map<?, ?> error = (Map<?, ?>) json(response);
                assertEquals(what, "Content-Type", error.get("field"));
                assertTrue(what, error.get("error") instanceof String && error.get("hint") instanceof String);
            }
        }
        // without credentials too: refused for the header, nothing read or changed
        RawHttp.Response anonymous = RawHttp.exchange(controller.httpPort(), "GET", "/stratos/api/v1/subscriptions",
                Map.of("Content-Type", "application/json; charset=klingon"), null, 10_000);
        assertEquals(anonymous.text(), 415, anonymous.status());
        // known charsets, quoted or not, still reach the API
        for (String contentType : List.of("application/json; charset=utf-8", "application/json; charset=\"UTF-8\"", "application/json")) {
            RawHttp.Response response = controller.raw("GET", "/subscriptions", Map.of("Content-Type", contentType), null);
            assertEquals(contentType + ": " + response.text(), 200, response.status());
        }
        assertEquals(List.of(), errorsLoggedSince(controller.distribution().log(), logStart));
    }

    @Test
    public void maliciousImagesUploadedOverRestAreRefusedNamingTheEntryAndLeaveNothingBehind() throws Exception {
        Path store = controller.distribution().home().resolve("data/store");
        String indexBefore = Files.readString(store.resolve("index.json"));
        List<String> blobsBefore = list(store.resolve("blobs/sha256"));
        long logStart = Files.size(controller.distribution().log());
        byte[] zeros = new byte[32 * 1024 * 1024];
        record Evil(String what, byte[] body, int status, String field) {
        }
        List<Evil> cases = List.of(
                new Evil("path traversal", evil().entry("rootfs/../../etc/cron.d/x", TarBuilder.FILE, 0644, "", 1, new byte[1]).gzip(), 400, "rootfs/../../etc/cron.d/x"),
                new Evil("absolute path", evil().entry("/etc/passwd", TarBuilder.FILE, 0644, "", 1, new byte[1]).gzip(), 400, "/etc/passwd"),
                new Evil("symlink escape", evil().entry("rootfs/www/x", TarBuilder.SYMLINK, 0777, "../../../../etc/shadow", 0, null).gzip(), 400, "rootfs/www/x"),
                new Evil("write through a symlink", evil().entry("rootfs/host", TarBuilder.SYMLINK, 0777, "/", 0, null)
                        .entry("rootfs/host/etc/passwd", TarBuilder.FILE, 0644, "", 1, new byte[1]).gzip(), 400, "rootfs/host/etc/passwd"),
                new Evil("hardlink escape", evil().entry("rootfs/shadow", TarBuilder.HARDLINK, 0644, "/etc/shadow", 0, null).gzip(), 400, "rootfs/shadow"),
                new Evil("device node", evil().entry("rootfs/mem", TarBuilder.CHAR_DEVICE, 0666, "", 0, null).gzip(), 400, "rootfs/mem"),
                new Evil("block device", evil().entry("rootfs/sda", TarBuilder.BLOCK_DEVICE, 0666, "", 0, null).gzip(), 400, "rootfs/sda"),
                new Evil("fifo", evil().entry("rootfs/pipe", TarBuilder.FIFO, 0644, "", 0, null).gzip(), 400, "rootfs/pipe"),
                new Evil("setuid file", evil().entry("rootfs/bin/su", TarBuilder.FILE, 04755, "", 3, new byte[3]).gzip(), 400, "rootfs/bin/su"),
                new Evil("setgid file", evil().entry("rootfs/bin/wall", TarBuilder.FILE, 02755, "", 3, new byte[3]).gzip(), 400, "rootfs/bin/wall"),
                new Evil("huge declared size", evil().entry("rootfs/huge", TarBuilder.FILE, 0644, "", 1L << 45, new byte[1024]).tar(), 413, "rootfs/huge"),
                new Evil("declared sizes past the unpacked limit", evil().entry("rootfs/a", TarBuilder.FILE, 0644, "", MAX_UNPACKED_BYTES - 10, new byte[1024]).tar(), 413, "rootfs/a"),
                new Evil("gzip bomb (a 32 MiB long name)", TarBuilder.gzip(evil().entry("././@LongLink", 'L', 0644, "", zeros.length, zeros)
                        .file("rootfs/x", new byte[1]).tar()), 413, "image"),
                new Evil("gzip bomb (headers past the unpacked limit)", bombOfHeaders(), 413, "image"),
                new Evil("truncated", java.util.Arrays.copyOf(evil().gzip(), 300), 400, null),
                new Evil("not a tarball", "just some text, no tar at all".repeat(40).getBytes(StandardCharsets.UTF_8), 400, null));
        for (Evil evil : cases) {
            RawHttp.Response response = controller.raw("PUT", "/cartridges/evil/versions/1.0.0",
                    Map.of("Content-Type", "application/octet-stream"), evil.body());
            assertEquals(evil.what() + ": " + response.text(), evil.status(), response.status());
            Map<?, ?> error = (Map<?, ?>) json(response);
            assertTrue(evil.what() + ": " + response.text(), error.get("error") instanceof String);
            if (evil.field() != null) {
                assertEquals(evil.what() + ": " + response.text(), evil.field(), error.get("field"));
            }
            assertEquals(evil.what(), 404, controller.raw("GET", "/cartridges/evil", Map.of(), null).status());
            assertEquals(evil.what() + ": upload temporaries", List.of(), list(store.resolve("tmp")));
            assertEquals(evil.what() + ": blobs", blobsBefore, list(store.resolve("blobs/sha256")));
            assertEquals(evil.what() + ": index", indexBefore, Files.readString(store.resolve("index.json")));
        }
        assertEquals(List.of(), errorsLoggedSince(controller.distribution().log(), logStart));
    }

    @Test
    public void oversizedBodiesAre413WhileTheClientIsStillSending() throws Exception {
        long total = 1024L * 1024 * 1024;
        RawHttp.Streamed upload = controller.stream("PUT", "/cartridges/big/versions/1.0.0",
                Map.of("Content-Type", "application/octet-stream"), "", total);
        assertEquals(upload.response().text(), 413, upload.response().status());
        assertEquals("body", ((Map<?, ?>) json(upload.response())).get("field"));
        System.out.printf("oversized upload: 413 after %d of %d bytes sent (limit %d)%n", upload.sentWhenAnswered(), total, MAX_IMAGE_BYTES);
        assertTrue("the server read on: " + upload.sentWhenAnswered(), upload.sentWhenAnswered() < 4 * MAX_IMAGE_BYTES);

        // a JSON string that never ends: valid as far as it goes, so only the size limit stops it
        RawHttp.Streamed json = controller.stream("POST", "/subscriptions", Map.of("Content-Type", "application/json"),
                "{\"alias\": \"", total);
        assertEquals(json.response().text(), 413, json.response().status());
        System.out.printf("oversized JSON: 413 after %d of %d bytes sent%n", json.sentWhenAnswered(), total);
        assertTrue("the server read on: " + json.sentWhenAnswered(), json.sentWhenAnswered() < 64L * 1024 * 1024);

        RawHttp.Response announced = controller.raw("PUT", "/cartridges/big/versions/1.0.0",
                Map.of("Content-Type", "application/octet-stream", "Content-Length", String.valueOf(total)), new byte[1024]);
        assertEquals(announced.text(), 413, announced.status());
        assertEquals("Content-Length", ((Map<?, ?>) json(announced)).get("field"));
        assertEquals(404, controller.raw("GET", "/cartridges/big", Map.of(), null).status());
    }

    /** A valid image of cartridge evil 1.0.0, to which a test adds one bad entry. */
    private static TarBuilder evil() {
        return TarBuilder.cartridge("evil", "1.0.0");
    }

    /** Entries without data whose headers alone unpack past the limit: about 1 KiB compressed per MiB. */
    private static byte[] bombOfHeaders() {
        TarBuilder tar = evil();
        for (long i = 0; i < MAX_UNPACKED_BYTES / 512 + 1000; i++) {
            tar.entry("rootfs/d" + (i % 1000), TarBuilder.DIRECTORY, 0755, "", 0, null);
        }
        return tar.gzip();
    }

    private static List<String> list(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Distinct ERROR entries and exception traces in the Karaf log after the offset, with their first lines. */
    /**
     * ERROR records and stack traces the controller logged since the offset, one per distinct message. A record
     * whose cause is the client hanging up while the server still wrote its answer (Jetty's EofException, a
     * broken pipe: the fuzzer does hang up on purpose) is the client's doing, not the server's, and is left out.
     */
    static List<String> errorsLoggedSince(Path log, long offset) throws IOException {
        byte[] all = Files.readAllBytes(log);
        String text = new String(all, (int) Math.min(offset, all.length), (int) Math.max(0, all.length - offset), StandardCharsets.UTF_8);
        // a record begins with its timestamp; stack trace lines follow it
        List<List<String>> records = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (records.isEmpty() || line.matches("^\\d{4}-\\d{2}-\\d{2}T.*")) {
                records.add(new ArrayList<>());
            }
            records.get(records.size() - 1).add(line);
        }
        Map<String, String> distinct = new LinkedHashMap<>();
        for (List<String> record : records) {
            String joined = String.join("\n", record);
            boolean error = record.get(0).contains("| ERROR |") || joined.contains("\n\tat ");
            boolean clientHungUp = joined.contains("org.eclipse.jetty.io.EofException") || joined.contains("Broken pipe");
            if (!error || clientHungUp) {
                continue;
            }
            String key = record.get(0).replaceAll("^\\S+ \\| ", "").replaceAll("qtp\\d+-\\d+", "qtp")
                    .replaceAll("[0-9a-f]{8}(-[0-9a-f]{4})?", "<id>").replaceAll("\\d+", "N");
            distinct.putIfAbsent(key, String.join("\n      ", record.subList(0, Math.min(record.size(), 6))));
        }
        return new ArrayList<>(distinct.values());
    }

    static Object json(RawHttp.Response response) {
        return Json.parse(response.text());
    }
}
