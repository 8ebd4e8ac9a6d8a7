package io.stratos.lxc.agent.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.stratos.lxc.agent.runtime.ContainerRuntime;
import io.stratos.lxc.agent.runtime.ContainerSpec;
import io.stratos.lxc.agent.runtime.PortAllocator;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.awaitility.Awaitility;

/** Test images built from the host's busybox-static, and a tiny image store on 127.0.0.1. */
public final class TestImages {

    private TestImages() {
    }

    /** {@code <dir>/rootfs/bin/busybox} with sh/httpd/dd links, {@code www/index.html}, and a cartridge.json. */
    public static Path busyboxImage(Path dir, String page) throws IOException {
        Path rootfs = dir.resolve("rootfs");
        Files.createDirectories(rootfs.resolve("bin"));
        Files.createDirectories(rootfs.resolve("www"));
        for (String d : List.of("proc", "sys", "dev", "tmp", "etc")) {
            Files.createDirectories(rootfs.resolve(d));
        }
        Files.copy(Path.of("/bin/busybox"), rootfs.resolve("bin/busybox"));
        rootfs.resolve("bin/busybox").toFile().setExecutable(true, false);
        for (String tool : List.of("sh", "httpd", "dd", "sleep")) {
            Files.createSymbolicLink(rootfs.resolve("bin").resolve(tool), Path.of("busybox"));
        }
        Files.writeString(rootfs.resolve("www/index.html"), page);
        Files.writeString(dir.resolve("cartridge.json"), "{\"name\":\"static-httpd\",\"version\":\"1.0\","
                + "\"start\":[\"/bin/busybox\",\"httpd\",\"-f\",\"-p\",\"8080\",\"-h\",\"/www\"],"
                + "\"ports\":[{\"name\":\"http\",\"port\":8080}],\"resources\":{\"cpuMillis\":250,\"memoryMiB\":32},"
                + "\"runtimes\":[\"lxc\",\"docker\"]}\n");
        return dir;
    }

    /** A tarball of the image directory (cartridge.json + rootfs/). */
    public static Path tarball(Path imageDir, Path tarball) throws IOException, InterruptedException {
        Process tar = new ProcessBuilder("tar", "-C", imageDir.toString(), "-cf", tarball.toString(), "cartridge.json", "rootfs")
                .inheritIO().start();
        if (tar.waitFor() != 0) {
            throw new IOException("tar failed");
        }
        return tarball;
    }

    public static String sha256(Path file) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        digest.update(Files.readAllBytes(file));
        return "sha256:" + HexFormat.of().formatHex(digest.digest());
    }

    /** GETs the URL until it answers 200 (or the time is up), returning the body. */
    /**
     * Starts one process per id, each with its own application tree (an index.html naming the process) at /www, and
     * checks that each serves its own and that the shared image is untouched. What both runtimes' ITs specify.
     */
    public static void assertEachServesItsOwnApplication(ContainerRuntime runtime,
            PortAllocator ports, BiFunction<String, Integer, ContainerSpec> spec,
            Path work, Path imageRootfs, List<String> ids) throws Exception {
        Path apps = Files.createTempDirectory(work, "apps");
        List<Integer> used = new ArrayList<>();
        try {
            for (String id : ids) {
                Path tree = Files.createDirectories(apps.resolve(id).resolve("app"));
                Files.writeString(tree.resolve("index.html"), "application of " + id);
                int port = ports.allocate(id);
                used.add(port);
                ContainerSpec base = spec.apply(id, port);
                runtime.start(new ContainerSpec(base.processId(), base.imageName(), base.imageDigest(),
                        base.imageRootfs(), base.argv(), base.env(), base.containerPort(), base.hostPort(), base.cpuMillis(),
                        base.memoryMiB(), base.pidsMax(),
                        new ContainerSpec.Application("sha256:" + "e".repeat(64), tree, "/www")));
            }
            for (int i = 0; i < ids.size(); i++) {
                assertThat(getUntilOk("http://127.0.0.1:" + used.get(i) + "/index.html", Duration.ofSeconds(10)))
                        .isEqualTo("application of " + ids.get(i));
            }
            assertThat(Files.readString(imageRootfs.resolve("www/index.html"))).doesNotContain("application of");
        } finally {
            for (String id : ids) {
                runtime.remove(id);
                ports.release(id);
            }
        }
    }

    public static String getUntilOk(String url, Duration within) {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(2)).build();
        // a refused connection (the process not listening yet) is retried; the last failure is in the timeout's message
        return Awaitility.await("HTTP 200 from " + url).atMost(within).pollInterval(Duration.ofMillis(10))
                .ignoreExceptionsInstanceOf(IOException.class)
                .until(() -> client.send(request, HttpResponse.BodyHandlers.ofString()), response -> response.statusCode() == 200)
                .body();
    }

    /** Serves files as {@code /api/v1/images/sha256:<hex>} with Range support; counts requests. */
    public static final class Store implements AutoCloseable {
        private static final Pattern RANGE = Pattern.compile("bytes=(\\d+)-");
        public final Map<String, Path> images = new ConcurrentHashMap<>();
        public final AtomicInteger requests = new AtomicInteger();
        public final List<String> ranges = new CopyOnWriteArrayList<>();
        /** Stop the body after this many bytes (simulates a broken connection), -1 for never. */
        public volatile long breakAfter = -1;
        private final HttpServer server;

        public Store() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
            server.createContext("/api/v1/images/", exchange -> {
                requests.incrementAndGet();
                String name = exchange.getRequestURI().getPath().substring("/api/v1/images/".length());
                Path file = images.get(name);
                if (file == null) {
                    exchange.sendResponseHeaders(404, -1);
                    exchange.close();
                    return;
                }
                byte[] bytes = Files.readAllBytes(file);
                String range = exchange.getRequestHeaders().getFirst("Range");
                int from = 0;
                if (range != null) {
                    ranges.add(range);
                    Matcher m = RANGE.matcher(range);
                    if (m.matches()) {
                        from = Integer.parseInt(m.group(1));
                    }
                    if (from >= bytes.length) {
                        exchange.sendResponseHeaders(416, -1);
                        exchange.close();
                        return;
                    }
                    exchange.getResponseHeaders().add("Content-Range", "bytes " + from + "-" + (bytes.length - 1) + "/" + bytes.length);
                }
                int length = bytes.length - from;
                exchange.sendResponseHeaders(range != null ? 206 : 200, length);
                try (OutputStream out = exchange.getResponseBody()) {
                    long limit = breakAfter;
                    if (limit >= 0 && limit < length) {
                        out.write(bytes, from, (int) limit);
                        out.flush();
                        breakAfter = -1;
                        exchange.getHttpContext().getServer();
                        throw new IOException("simulated broken connection");
                    }
                    out.write(bytes, from, length);
                }
            });
            server.start();
        }

        public URI url(String digest) {
            return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/api/v1/images/" + digest);
        }

        public String controllerUrl() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }
}
