package io.stratos.lxc.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratos.lxc.api.store.CartridgeUsage;
import io.stratos.lxc.store.internal.FileCartridgeStore;
import io.stratos.lxc.store.internal.StoreSettings;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store's REST API over real HTTP: CXF on Jetty at 127.0.0.1 on a free port, the real file store behind it. */
class CartridgeApiHttpTest {

    static final long MAX_IMAGE = 2L * 1024 * 1024;

    @TempDir
    static Path dir;

    static final List<CartridgeUsage> usages = new CopyOnWriteArrayList<>();
    static TestApiServer server;
    static String base;
    static final HttpClient http = HttpClient.newHttpClient();
    static final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        FileCartridgeStore store = FileCartridgeStore.open(
                new StoreSettings(dir, MAX_IMAGE, 64L * 1024 * 1024, 64 * 1024, null), () -> usages);
        CartridgeResource cartridges = new CartridgeResource();
        cartridges.store = store;
        ImageResource images = new ImageResource();
        images.store = store;
        server = new TestApiServer(List.of(cartridges, images, new OpenApiResource()));
        base = server.base;
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    static String sha256(byte[] bytes) throws Exception {
        return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    static String digestHeader(byte[] bytes) throws Exception {
        return "sha-256=" + Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    static HttpResponse<byte[]> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static HttpResponse<byte[]> put(String path, byte[] body, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body)).header("Content-Type", "application/gzip");
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request);
    }

    static HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).GET();
        if (headers.length > 0) {
            request.headers(headers);
        }
        return send(request);
    }

    static HttpResponse<byte[]> delete(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE());
    }

    static JsonNode body(HttpResponse<byte[]> response) throws IOException {
        return json.readTree(response.body());
    }

    @Test
    void uploadListDownloadWithRangesSecondVersionTagDeleteAndConflict() throws Exception {
        byte[] v1 = staticHttpd100();

        HttpResponse<byte[]> created = put("/cartridges/static-httpd/versions/1.0.0", v1, "Digest", digestHeader(v1));
        assertThat(created.statusCode()).as(new String(created.body())).isEqualTo(201);
        assertThat(body(created).get("digest").asText()).isEqualTo(sha256(v1));
        assertThat(body(created).get("size").asLong()).isEqualTo(v1.length);
        assertThat(created.headers().firstValue("Location")).hasValueSatisfying(l -> l.endsWith("/cartridges/static-httpd/versions/1.0.0"));

        HttpResponse<byte[]> again = put("/cartridges/static-httpd/versions/1.0.0", v1);
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(body(again).get("created").asBoolean()).isFalse();

        JsonNode list = body(get("/cartridges"));
        assertThat(list.get(0).get("name").asText()).isEqualTo("static-httpd");
        assertThat(list.get(0).get("versions").get(0).get("digest").asText()).isEqualTo(sha256(v1));
        assertThat(list.get(0).get("versions").get(0).get("manifest").get("ports").get(0).get("port").asInt()).isEqualTo(8080);

        String image = "/images/" + sha256(v1);
        HttpResponse<byte[]> whole = get(image);
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(sha256(whole.body())).isEqualTo(sha256(v1));
        String etag = whole.headers().firstValue("ETag").orElseThrow();
        assertThat(etag).isEqualTo("\"" + sha256(v1) + "\"");
        assertThat(whole.headers().firstValue("Accept-Ranges")).hasValue("bytes");

        int half = v1.length / 2;
        HttpResponse<byte[]> first = get(image, "Range", "bytes=0-" + (half - 1));
        HttpResponse<byte[]> tail = get(image, "Range", "bytes=" + half + "-", "If-Range", etag);
        assertThat(first.statusCode()).isEqualTo(206);
        assertThat(tail.statusCode()).isEqualTo(206);
        assertThat(first.headers().firstValue("Content-Range")).hasValue("bytes 0-" + (half - 1) + "/" + v1.length);
        assertThat(tail.headers().firstValue("Content-Range")).hasValue("bytes " + half + "-" + (v1.length - 1) + "/" + v1.length);
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        joined.write(first.body());
        joined.write(tail.body());
        assertThat(sha256(joined.toByteArray())).isEqualTo(sha256(v1));

        assertThat(get(image, "If-None-Match", etag).statusCode()).isEqualTo(304);
        HttpResponse<byte[]> head = send(HttpRequest.newBuilder(URI.create(base + image))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()));
        assertThat(head.statusCode()).isEqualTo(200);
        assertThat(head.headers().firstValue("Content-Length")).hasValue(String.valueOf(v1.length));
        assertThat(head.body()).isEmpty();
        HttpResponse<byte[]> outside = get(image, "Range", "bytes=" + v1.length + "-");
        assertThat(outside.statusCode()).isEqualTo(416);
        assertThat(outside.headers().firstValue("Content-Range")).hasValue("bytes */" + v1.length);

        byte[] v2 = Tarballs.image("static-httpd", "1.1.0", true, null, 10);
        assertThat(put("/cartridges/static-httpd/versions/1.1.0", v2).statusCode()).isEqualTo(201);
        assertThat(body(get("/cartridges/static-httpd/versions/latest")).get("version").asText()).isEqualTo("1.1.0");

        HttpResponse<byte[]> tagged = send(HttpRequest.newBuilder(URI.create(base + "/cartridges/static-httpd/tags/stable"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"version\":\"1.0.0\"}")).header("Content-Type", "application/json"));
        assertThat(tagged.statusCode()).isEqualTo(200);
        assertThat(body(tagged).get("tags").get("stable").asText()).isEqualTo("1.0.0");
        assertThat(body(get("/cartridges/static-httpd/versions/stable")).get("digest").asText()).isEqualTo(sha256(v1));

        usages.add((name, version) -> version.equals("1.0.0") ? Set.of("shop") : Set.of());
        try {
            HttpResponse<byte[]> used = delete("/cartridges/static-httpd/versions/1.0.0");
            assertThat(used.statusCode()).isEqualTo(409);
            assertThat(body(used).get("error").asText()).contains("shop");
            assertThat(body(used).get("field").asText()).isEqualTo("version");

            assertThat(delete("/cartridges/static-httpd/versions/1.1.0").statusCode()).isEqualTo(204);
            JsonNode after = body(get("/cartridges/static-httpd"));
            assertThat(after.get("versions")).hasSize(1);
            assertThat(after.get("tags").get("latest").asText()).isEqualTo("1.0.0");
            assertThat(get("/images/" + sha256(v2)).statusCode()).isEqualTo(404);
        } finally {
            usages.clear();
        }
    }

    /**
     * The real static-httpd image when cartridges/static-httpd/build.sh has built it, else a small
     * generated one of the same shape.
     */
    static byte[] staticHttpd100() throws IOException {
        Path built = Path.of(System.getProperty("stratos.cartridges", "../../cartridges"))
                .resolve("static-httpd/target/static-httpd-1.0.0.tar.gz");
        if (java.nio.file.Files.isRegularFile(built)) {
            return java.nio.file.Files.readAllBytes(built);
        }
        return Tarballs.image("static-httpd", "1.0.0", true, null, 50_000);
    }

    @Test
    void badUploadsAreClear4xxJsonErrorsAndLeaveTheStoreAsItWas() throws Exception {
        byte[] good = Tarballs.image("bad-inputs", "1.0.0", true, null, 0);
        byte[] before = get("/cartridges").body();

        record Case(String what, HttpResponse<byte[]> response, int status, String field) {
        }
        List<Case> cases = List.of(
                new Case("truncated", put("/cartridges/bad-inputs/versions/1.0.0", java.util.Arrays.copyOf(good, good.length / 2)), 400, null),
                new Case("wrong digest", put("/cartridges/bad-inputs/versions/1.0.0", good, "Digest", digestHeader(new byte[1])), 400, "Digest"),
                new Case("missing manifest", put("/cartridges/bad-inputs/versions/1.0.0", Tarballs.image("bad-inputs", "1.0.0", false, null, 0)), 400, "cartridge.json"),
                new Case("traversal", put("/cartridges/bad-inputs/versions/1.0.0", Tarballs.image("bad-inputs", "1.0.0", true, "rootfs/../../etc/x", 0)), 400, "rootfs/../../etc/x"),
                new Case("URL differs from manifest", put("/cartridges/other/versions/1.0.0", good), 400, "cartridge.json:name"),
                new Case("bad version", put("/cartridges/bad-inputs/versions/latest", good), 400, "version"));
        for (Case c : cases) {
            assertThat(c.response().statusCode()).as(c.what()).isEqualTo(c.status());
            JsonNode error = body(c.response());
            assertThat(error.get("error").asText()).as(c.what()).isNotBlank();
            if (c.field() != null) {
                assertThat(error.get("field").asText()).as(c.what()).isEqualTo(c.field());
            }
        }
        assertThat(get("/cartridges").body()).isEqualTo(before);
    }

    @Test
    void anAnnouncedBodyOverTheLimitIs413WithoutReadingIt() throws Exception {
        // A raw socket: announce 3 GiB, send 1 KiB, and the answer must come at once.
        URI uri = URI.create(base);
        try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            java.io.OutputStream out = socket.getOutputStream();
            out.write(("PUT " + uri.getPath() + "/cartridges/huge/versions/1.0.0 HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/octet-stream\r\nContent-Length: " + (3L * 1024 * 1024 * 1024)
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[1024]);
            out.flush();
            // The server answers and then waits for (or drops) the rest of the body: read the answer only.
            java.io.InputStream in = socket.getInputStream();
            StringBuilder received = new StringBuilder();
            byte[] buffer = new byte[4096];
            while (!received.toString().contains("}")) {
                int n = in.read(buffer);
                if (n < 0) {
                    break;
                }
                received.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
            }
            String answer = received.toString();
            assertThat(answer).startsWith("HTTP/1.1 413");
            assertThat(answer).contains("\"field\" : \"Content-Length\"");
        }
        assertThat(get("/cartridges/huge").statusCode()).isEqualTo(404);
    }

    @Test
    void concurrentUploadsOfTheSameVersionCreateItOnce() throws Exception {
        byte[] same = Tarballs.image("racer", "1.0.0", true, null, 300_000);
        byte[] other = Tarballs.image("racer", "1.0.0", true, "rootfs/other", 300_000);
        List<java.util.concurrent.CompletableFuture<HttpResponse<byte[]>>> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 6; i++) {
            byte[] body = i < 5 ? same : other;
            calls.add(http.sendAsync(HttpRequest.newBuilder(URI.create(base + "/cartridges/racer/versions/1.0.0"))
                    .header("Content-Type", "application/gzip").PUT(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray()));
        }
        List<Integer> statuses = new java.util.ArrayList<>();
        for (var call : calls) {
            HttpResponse<byte[]> response = call.get();
            assertThat(response.statusCode()).as(new String(response.body())).isIn(200, 201, 409);
            statuses.add(response.statusCode());
        }
        JsonNode stored = body(get("/cartridges/racer"));
        String winner = stored.get("versions").get(0).get("digest").asText();
        assertThat(stored.get("versions")).hasSize(1);
        // Exactly one 201; the same bytes again are 200; different bytes for the version are 409.
        assertThat(statuses).containsOnlyOnce(201);
        if (winner.equals(sha256(same))) {
            assertThat(statuses.subList(0, 5)).containsOnly(201, 200);
            assertThat(statuses.get(5)).isEqualTo(409);
        } else {
            assertThat(statuses.subList(0, 5)).containsOnly(409);
        }
    }

    @Test
    void aMultipartUploadMayCarryTheManifestAlongside() throws Exception {
        byte[] tarball = Tarballs.image("multi", "2.0.0", false, null, 0);
        String boundary = "b0undary";
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"manifest\"\r\nContent-Type: application/json\r\n\r\n"
                + Tarballs.manifest("multi", "2.0.0") + "\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"image\"; filename=\"multi.tar.gz\"\r\nContent-Type: application/gzip\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8));
        body.write(tarball);
        body.write(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));

        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(URI.create(base + "/cartridges/multi/versions/2.0.0"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .PUT(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));

        assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(201);
        assertThat(body(response).get("digest").asText()).isEqualTo(sha256(tarball));
    }

    @Test
    void unknownThingsAre404JsonAndTheOpenApiDescriptionIsServed() throws Exception {
        byte[] plain = Tarballs.image("notype", "1.0.0", true, null, 0);
        HttpResponse<byte[]> noType = send(HttpRequest.newBuilder(URI.create(base + "/cartridges/notype/versions/1.0.0"))
                .PUT(HttpRequest.BodyPublishers.ofByteArray(plain)));
        assertThat(noType.statusCode()).as(new String(noType.body())).isEqualTo(201);
        HttpResponse<byte[]> missing = get("/cartridges/nothing");
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(body(missing).get("error").asText()).contains("nothing");
        assertThat(get("/images/sha256:" + "0".repeat(64)).statusCode()).isEqualTo(404);
        assertThat(get("/images/md5:00").statusCode()).isEqualTo(400);

        HttpResponse<byte[]> openapi = get("/openapi.json");
        assertThat(openapi.statusCode()).isEqualTo(200);
        assertThat(body(openapi).get("paths").has("/images/{digest}")).isTrue();
    }

    /**
     * Streams a chunked body of up to {@code total} bytes in 64 KiB chunks from another thread and returns the
     * answer together with how many bytes had gone out when it came (or when the server closed the connection).
     */
    static String[] streamChunked(String method, String path, String contentType, long total) throws Exception {
        URI uri = URI.create(base);
        try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(20_000);
            java.io.OutputStream out = socket.getOutputStream();
            out.write((method + " " + uri.getPath() + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: " + contentType
                    + "\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
            java.util.concurrent.atomic.AtomicBoolean answered = new java.util.concurrent.atomic.AtomicBoolean();
            Thread sender = new Thread(() -> {
                byte[] chunk = new byte[64 * 1024];
                java.util.Arrays.fill(chunk, (byte) 'a');
                byte[] start = "{\"version\": \"".getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(start, 0, chunk, 0, start.length);
                byte[] head = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                try {
                    while (sent.get() < total && !answered.get()) {
                        out.write(head);
                        out.write(chunk);
                        out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                        sent.addAndGet(chunk.length);
                        java.util.Arrays.fill(chunk, 0, start.length, (byte) 'a');
                    }
                } catch (IOException e) {
                    // the server closed the connection: it stopped reading
                }
            });
            sender.start();
            String answer = new String(socket.getInputStream().readNBytes(2048), StandardCharsets.UTF_8);
            long sentWhenAnswered = sent.get();
            answered.set(true);
            sender.join(20_000);
            return new String[] {answer, String.valueOf(sentWhenAnswered)};
        }
    }

    @Test
    void aJsonBodyAnnouncedOverTheLimitIs413BeforeItIsRead() throws Exception {
        URI uri = URI.create(base);
        try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("PUT " + uri.getPath() + "/cartridges/x/tags/t HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Content-Type: application/json\r\nContent-Length: " + (500L * 1024 * 1024)
                    + "\r\nConnection: close\r\n\r\n{\"version\": \"").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readNBytes(1024), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 413").contains("\"field\" : \"body\"").contains("limit of 1048576 bytes");
        }
    }

    @Test
    void aChunkedJsonBodyIsCutOffAt413SoonAfterTheLimitNotAfterTheWholeBody() throws Exception {
        long total = 512L * 1024 * 1024;
        String[] result = streamChunked("PUT", "/cartridges/x/tags/t", "application/json", total);

        assertThat(result[0]).startsWith("HTTP/1.1 413").contains("passed the limit of 1048576 bytes");
        // the answer came while the client was still sending: the server stopped reading near the limit
        assertThat(Long.parseLong(result[1])).isLessThan(64L * 1024 * 1024);
    }

    @Test
    void aChunkedUploadIsCutOffAt413SoonAfterTheStoreLimit() throws Exception {
        String[] result = streamChunked("PUT", "/cartridges/huge/versions/1.0.0", "application/octet-stream", 512L * 1024 * 1024);

        assertThat(result[0]).startsWith("HTTP/1.1 413");
        assertThat(Long.parseLong(result[1])).isLessThan(64L * 1024 * 1024);
        assertThat(get("/cartridges/huge").statusCode()).isEqualTo(404);
    }

    @Test
    void aJsonBodyWithoutContentTypeIsReadAsJson() throws Exception {
        HttpResponse<byte[]> response = send(HttpRequest.newBuilder(URI.create(base + "/cartridges/nothing/tags/t"))
                .PUT(HttpRequest.BodyPublishers.ofString("{\"version\": \"1.0.0\"}")));

        assertThat(response.statusCode()).as(new String(response.body())).isEqualTo(404);
        assertThat(body(response).get("error").asText()).contains("nothing");

        HttpResponse<byte[]> empty = send(HttpRequest.newBuilder(URI.create(base + "/cartridges/nothing/tags/t"))
                .PUT(HttpRequest.BodyPublishers.noBody()));
        assertThat(empty.statusCode()).as(new String(empty.body())).isEqualTo(400);
        assertThat(body(empty).get("field").asText()).isEqualTo("version");
    }

    @Test
    void aMultipartBodyWithoutItsBoundaryIs400() throws Exception {
        for (String type : List.of("multipart/form-data", "multipart/form-data; boundary=zz")) {
            HttpResponse<byte[]> response = send(HttpRequest.newBuilder(URI.create(base + "/cartridges/x/versions/1.0.0"))
                    .PUT(HttpRequest.BodyPublishers.ofString("garbage")).header("Content-Type", type));
            assertThat(response.statusCode()).as(type + ": " + new String(response.body())).isEqualTo(400);
            assertThat(body(response).get("field").asText()).isEqualTo("Content-Type");
        }
    }

    @Test
    void aBadlyPercentEncodedQueryIs400() throws Exception {
        URI uri = URI.create(base);
        try (java.net.Socket socket = new java.net.Socket(uri.getHost(), uri.getPort())) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write(("GET " + uri.getPath() + "/cartridges?%=% HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 400").contains("\"field\" : \"url\"");
        }
    }
}
