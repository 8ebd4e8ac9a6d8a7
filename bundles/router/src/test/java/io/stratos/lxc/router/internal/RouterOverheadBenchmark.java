package io.stratos.lxc.router.internal;

import com.sun.net.httpserver.HttpServer;
import io.stratos.lxc.api.controller.ProcessState;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Not a test: measures what the router adds, same JVM and run, against one small backend.
 * {@code java -cp <test classpath> io.stratos.lxc.router.internal.RouterOverheadBenchmark [clients] [seconds]}
 * Prints requests/s and p50/p99 directly to the backend and through the router (path form), and the ratios.
 */
public final class RouterOverheadBenchmark {

    public static void main(String[] args) throws Exception {
        int clients = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        System.setProperty("sun.net.httpserver.nodelay", "true");
        byte[] body = "x".repeat(512).getBytes();
        HttpServer backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 512);
        backend.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            exchange.sendResponseHeaders(200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        backend.setExecutor(Executors.newFixedThreadPool(32));
        backend.start();
        FakeController controller = new FakeController().process("bench", ProcessState.RUNNING, backend.getAddress().getPort());
        RouterServer router = new RouterServer(new RouterSettings(0, "127.0.0.1", "stratos.local", 1000, 30, 0, 500, 5000, 10, 60, 16_384, java.util.List.of(), 30, null, null),
                new BackendTable(new ControllerBackendSource(controller::service), 500, System::nanoTime),
                new TrafficMetrics());
        router.start();
        String direct = "http://127.0.0.1:" + backend.getAddress().getPort() + "/hello";
        String routed = "http://127.0.0.1:" + router.port() + "/bench/hello";
        run(direct, clients, 2);
        run(routed, clients, 2);
        double[] d = run(direct, clients, seconds);
        double[] r = run(routed, clients, seconds);
        System.out.printf("clients=%d seconds=%d%n", clients, seconds);
        System.out.printf("direct : %8.0f req/s  p50 %.3f ms  p99 %.3f ms%n", d[0], d[1], d[2]);
        System.out.printf("router : %8.0f req/s  p50 %.3f ms  p99 %.3f ms%n", r[0], r[1], r[2]);
        System.out.printf("ratio router/direct: throughput %.2f, p50 %.2f, p99 %.2f%n", r[0] / d[0], r[1] / d[1], r[2] / d[2]);
        router.stop(0);
        backend.stop(0);
        System.exit(0);
    }

    /** {requests per second, p50 ms, p99 ms} */
    private static double[] run(String url, int clients, int seconds) throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url)).build();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        long end = System.nanoTime() + seconds * 1_000_000_000L;
        List<Future<long[]>> results = new ArrayList<>();
        for (int i = 0; i < clients; i++) {
            results.add(pool.submit(() -> {
                long[] samples = new long[1 << 20];
                int n = 0;
                while (System.nanoTime() < end && n < samples.length) {
                    long start = System.nanoTime();
                    HttpResponse<byte[]> response = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
                    if (response.statusCode() != 200) {
                        throw new IllegalStateException("status " + response.statusCode());
                    }
                    samples[n++] = System.nanoTime() - start;
                }
                return Arrays.copyOf(samples, n);
            }));
        }
        List<long[]> all = new ArrayList<>();
        int total = 0;
        for (Future<long[]> result : results) {
            long[] samples = result.get();
            all.add(samples);
            total += samples.length;
        }
        pool.shutdown();
        long[] merged = new long[total];
        int at = 0;
        for (long[] samples : all) {
            System.arraycopy(samples, 0, merged, at, samples.length);
            at += samples.length;
        }
        Arrays.sort(merged);
        return new double[] {total / (double) seconds, merged[total / 2] / 1e6, merged[(int) (total * 0.99)] / 1e6};
    }
}
