package io.stratos.lxc.router.internal;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's HTTP entry: the JDK's {@link HttpServer} on its own port with a bounded worker pool,
 * forwarding through one {@link HttpClient} (HTTP/1.1, keep-alive pool, no proxy, no redirects).
 * Request and response bodies are streamed both ways; nothing buffers a whole body.
 * <p>
 * An alias is taken from {@code Host: <alias>.<domain>} (any port ignored), else from the first path
 * segment {@code /<alias>/...}, which is then stripped ({@code /<alias>} redirects to {@code /<alias>/}).
 */
final class RouterServer {

    private static final Logger LOG = LoggerFactory.getLogger(RouterServer.class);

    /** Hop-by-hop headers (RFC 9110 7.6.1) and the ones the JDK client sets itself. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "trailers", "transfer-encoding", "upgrade",
            "host", "content-length", "expect");
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE");
    private static final int BUFFER = 16 * 1024;
    private static final int RETRY_AFTER_SECONDS = 5;

    static {
        tuneJdkServer();
    }

    static void tuneJdkServer() {
        // The JDK server writes response headers and body in separate segments; with Nagle's algorithm on,
        // the body waits for the client's delayed ACK (~40 ms per request). The JDK reads this property once,
        // when its first HttpServer is made; nothing else in the controller's JVM uses that server.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    private final RouterSettings settings;
    private final BackendTable table;
    private final TrafficMetrics metrics;
    private final String hostSuffix;
    private HttpServer server;
    private ThreadPoolExecutor workers;
    private ExecutorService clientExecutor;
    private HttpClient client;

    RouterServer(RouterSettings settings, BackendTable table, TrafficMetrics metrics) {
        this.settings = settings;
        this.table = table;
        this.metrics = metrics;
        this.hostSuffix = "." + settings.domain();
    }

    /** Binds and starts serving. @throws IOException when the port cannot be bound (then nothing is left running). */
    void start() throws IOException {
        HttpServer created = HttpServer.create(new InetSocketAddress(settings.bindAddress(), settings.port()), 512);
        workers = new ThreadPoolExecutor(settings.workerThreads(), settings.workerThreads(), 60, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(Math.max(256, settings.workerThreads() * 16)), threads("stratos-router-"));
        workers.allowCoreThreadTimeOut(true);
        clientExecutor = Executors.newCachedThreadPool(threads("stratos-router-client-"));
        client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .proxy(HttpClient.Builder.NO_PROXY)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofMillis(settings.connectTimeoutMillis()))
                .executor(clientExecutor)
                .build();
        created.createContext("/", this::handle);
        created.setExecutor(workers);
        created.start();
        server = created;
    }

    /** The port it listens on (the configured one, or the one the system chose for port 0). */
    int port() {
        return server.getAddress().getPort();
    }

    /** Stops listening, waiting at most {@code graceSeconds} for requests being served. */
    void stop(int graceSeconds) {
        if (server != null) {
            server.stop(graceSeconds);
            server = null;
        }
        if (workers != null) {
            workers.shutdownNow();
        }
        if (clientExecutor != null) {
            clientExecutor.shutdownNow();
        }
        client = null;
    }

    private static ThreadFactory threads(String prefix) {
        AtomicInteger number = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + number.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    // ---------------------------------------------------------------- routing

    private void handle(HttpExchange exchange) throws IOException {
        long start = System.nanoTime();
        boolean aborted = false;
        try {
            URI uri = exchange.getRequestURI();
            String rawPath = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
            String rawQuery = uri.getRawQuery();
            String host = exchange.getRequestHeaders().getFirst("Host");
            String alias = aliasFromHost(host);
            String prefix = "";
            String path = rawPath;
            if (alias == null) {
                int end = rawPath.indexOf('/', 1);
                alias = (end < 0 ? rawPath.substring(1) : rawPath.substring(1, end)).toLowerCase(Locale.ROOT);
                if (alias.isEmpty()) {
                    sendJson(exchange, 404, "no subscription alias in this request",
                            "ask for http://<alias>." + settings.domain() + "/ (Host header) or /<alias>/", null);
                    return;
                }
                prefix = "/" + alias;
                path = end < 0 ? "" : rawPath.substring(end);
            }
            AliasRoute route;
            try {
                route = table.route(alias);
            } catch (BackendSource.SourceUnavailableException e) {
                sendJson(exchange, 503, "cannot look up subscription '" + alias + "': " + e.getMessage(),
                        "retry shortly; check stratos:status", RETRY_AFTER_SECONDS);
                return;
            }
            if (!route.known()) {
                metrics.forget(alias);
                sendJson(exchange, 404, "no subscription '" + alias + "'",
                        "list subscriptions with stratos:subscription-list or GET /stratos/api/v1/subscriptions", null);
                return;
            }
            AliasCounters counters = metrics.counters(alias);
            counters.begin();
            int status = 0;
            try {
                if (path.isEmpty()) {
                    // the path form without its slash: relative links would miss the alias
                    String method = exchange.getRequestMethod();
                    status = method.equals("GET") || method.equals("HEAD") ? 301 : 308;
                    exchange.getResponseHeaders().set("Location", prefix + "/" + (rawQuery == null ? "" : "?" + rawQuery));
                    exchange.sendResponseHeaders(status, -1);
                    return;
                }
                if (route.backends().isEmpty()) {
                    status = 503;
                    sendJson(exchange, 503, "subscription '" + alias + "' has no RUNNING process",
                            "wait for its processes to start (stratos:process-list " + alias + ") or scale it up", RETRY_AFTER_SECONDS);
                    return;
                }
                status = forward(exchange, route, prefix, path, rawQuery, host);
            } catch (ResponseAbortedException e) {
                status = e.backendFailed ? 502 : 499;
                aborted = true;
                throw e;
            } finally {
                counters.end(System.nanoTime() - start, status >= 500 && status != 499);
            }
        } catch (ResponseAbortedException e) {
            // headers were sent and the body broke off: throwing makes the server drop the connection,
            // so the client sees a truncated response instead of a complete-looking one
            LOG.debug("response aborted: {}", e.getMessage());
            throw e;
        } catch (RuntimeException e) {
            LOG.warn("router failed on {} {}", exchange.getRequestMethod(), exchange.getRequestURI(), e);
            throw new IOException(e);
        } finally {
            if (!aborted) {
                exchange.close();
            }
        }
    }

    /** The alias of {@code Host: <alias>.<domain>[:port]}, or null when the host is not under the domain. */
    String aliasFromHost(String host) {
        if (host == null || host.isEmpty() || host.startsWith("[")) {
            return null;
        }
        int colon = host.indexOf(':');
        String name = (colon < 0 ? host : host.substring(0, colon)).toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.length() > hostSuffix.length() && name.endsWith(hostSuffix)) {
            return name.substring(0, name.length() - hostSuffix.length());
        }
        return null;
    }

    // ---------------------------------------------------------------- forwarding

    /** Forwards to one backend after another until one answers; returns the status sent to the client. */
    private int forward(HttpExchange exchange, AliasRoute route, String prefix, String path, String rawQuery, String host)
            throws IOException {
        String method = exchange.getRequestMethod();
        Headers in = exchange.getRequestHeaders();
        long length = requestLength(in);
        TouchedInputStream body = new TouchedInputStream(exchange.getRequestBody());
        Set<Backend> tried = new HashSet<>();
        String lastFailure = "no backend";
        Backend backend;
        while ((backend = route.choose(tried, table.now())) != null) {
            tried.add(backend);
            if (!backend.tryBegin()) {
                continue; // retired since the route was read: its process is draining
            }
            try {
                HttpRequest request = request(exchange, backend, method, prefix, path, rawQuery, host, length, body);
                HttpResponse<InputStream> response;
                try {
                    response = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
                } catch (HttpConnectTimeoutException | ConnectException e) {
                    // nothing reached the backend: any method may go to the next one
                    lastFailure = backend + ": " + e;
                    backend.markDown(table.now(), settings.backendDownMillis() * 1_000_000L);
                    LOG.warn("backend {} of '{}' refused: {}; marked down", backend, route.alias(), e.toString());
                    if (body.touched()) {
                        break;
                    }
                    continue;
                } catch (HttpTimeoutException e) {
                    LOG.info("backend {} of '{}' gave no answer in {} s", backend, route.alias(), settings.requestTimeoutSeconds());
                    sendJson(exchange, 504, "subscription '" + route.alias() + "' did not answer within "
                            + settings.requestTimeoutSeconds() + " s", "raise requestTimeoutSeconds or look at the process", null);
                    return 504;
                } catch (IOException e) {
                    // sent, at least partly: only a request that can be repeated goes to the next backend
                    lastFailure = backend + ": " + e;
                    backend.markDown(table.now(), settings.backendDownMillis() * 1_000_000L);
                    LOG.warn("backend {} of '{}' failed: {}", backend, route.alias(), e.toString());
                    if (body.touched() || !IDEMPOTENT.contains(method)) {
                        break;
                    }
                    continue;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ResponseAbortedException("interrupted", false);
                }
                backend.markUp();
                return relay(exchange, method, response);
            } finally {
                backend.end();
            }
        }
        sendJson(exchange, 502, "no process of subscription '" + route.alias() + "' answered (" + lastFailure + ")",
                "see stratos:process-list " + route.alias(), RETRY_AFTER_SECONDS);
        return 502;
    }

    private HttpRequest request(HttpExchange exchange, Backend backend, String method, String prefix, String path,
                                String rawQuery, String host, long length, InputStream body) {
        URI target = URI.create(backend.base() + path + (rawQuery == null ? "" : "?" + rawQuery));
        HttpRequest.BodyPublisher publisher;
        if (length == 0) {
            publisher = HttpRequest.BodyPublishers.noBody();
        } else if (length > 0) {
            publisher = HttpRequest.BodyPublishers.fromPublisher(HttpRequest.BodyPublishers.ofInputStream(() -> body), length);
        } else {
            publisher = HttpRequest.BodyPublishers.ofInputStream(() -> body);
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(target)
                .method(method, publisher)
                .timeout(Duration.ofSeconds(settings.requestTimeoutSeconds()));
        Headers in = exchange.getRequestHeaders();
        Set<String> dropped = connectionTokens(in.get("Connection"));
        for (Map.Entry<String, List<String>> header : in.entrySet()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (NOT_FORWARDED.contains(name) || dropped.contains(name) || name.startsWith("x-forwarded-")) {
                continue;
            }
            for (String value : header.getValue()) {
                try {
                    builder.header(header.getKey(), value);
                } catch (IllegalArgumentException e) {
                    LOG.debug("header {} not forwarded: {}", header.getKey(), e.getMessage());
                }
            }
        }
        String client = exchange.getRemoteAddress().getAddress().getHostAddress();
        String forwardedFor = in.getFirst("X-Forwarded-For");
        builder.header("X-Forwarded-For", forwardedFor == null ? client : forwardedFor + ", " + client);
        // the router is the edge: what it saw, not what the client claims (X-Forwarded-For is appended to)
        builder.header("X-Forwarded-Host", host != null ? host : settings.endpoint(port()));
        builder.header("X-Forwarded-Proto", "http");
        if (!prefix.isEmpty()) {
            builder.header("X-Forwarded-Prefix", prefix);
        }
        return builder.build();
    }

    /** Sends the backend's answer to the client: status, end-to-end headers, body streamed. */
    private int relay(HttpExchange exchange, String method, HttpResponse<InputStream> response) throws IOException {
        int status = response.statusCode();
        Headers out = exchange.getResponseHeaders();
        Set<String> dropped = connectionTokens(response.headers().allValues("Connection"));
        for (Map.Entry<String, List<String>> header : response.headers().map().entrySet()) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (NOT_FORWARDED.contains(name) || dropped.contains(name) || name.startsWith(":") || name.equals("date")) {
                continue;
            }
            out.put(header.getKey(), header.getValue());
        }
        long length = response.headers().firstValueAsLong("Content-Length").orElse(-1);
        boolean noBody = method.equals("HEAD") || status == 204 || status == 304 || status < 200;
        try (InputStream body = response.body()) {
            if (noBody) {
                if (method.equals("HEAD") && length >= 0) {
                    out.set("Content-Length", Long.toString(length));
                }
                exchange.sendResponseHeaders(status, -1);
                return status;
            }
            exchange.sendResponseHeaders(status, length == 0 ? -1 : length < 0 ? 0 : length);
            if (length == 0) {
                return status;
            }
            OutputStream to = exchange.getResponseBody();
            byte[] buffer = new byte[BUFFER];
            while (true) {
                int n;
                try {
                    n = body.read(buffer);
                } catch (IOException e) {
                    throw new ResponseAbortedException("backend broke off its body: " + e, true);
                }
                if (n < 0) {
                    break;
                }
                try {
                    to.write(buffer, 0, n);
                } catch (IOException e) {
                    throw new ResponseAbortedException("client went away: " + e, false);
                }
            }
            try {
                to.close();
            } catch (IOException e) {
                throw new ResponseAbortedException("client went away: " + e, false);
            }
        }
        return status;
    }

    private static long requestLength(Headers headers) {
        String encoding = headers.getFirst("Transfer-Encoding");
        if (encoding != null && encoding.toLowerCase(Locale.ROOT).contains("chunked")) {
            return -1;
        }
        String length = headers.getFirst("Content-Length");
        if (length == null) {
            return 0;
        }
        try {
            return Math.max(0, Long.parseLong(length.trim()));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** Header names listed in {@code Connection} (hop-by-hop by declaration). */
    private static Set<String> connectionTokens(List<String> values) {
        if (values == null || values.isEmpty()) {
            return Set.of();
        }
        Set<String> tokens = new HashSet<>();
        for (String value : values) {
            for (String token : value.split(",")) {
                tokens.add(token.trim().toLowerCase(Locale.ROOT));
            }
        }
        return tokens;
    }

    private static void sendJson(HttpExchange exchange, int status, String error, String hint, Integer retryAfter)
            throws IOException {
        byte[] json = ("{\"error\":" + quote(error) + ",\"hint\":" + quote(hint) + "}\n").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        if (retryAfter != null) {
            exchange.getResponseHeaders().set("Retry-After", retryAfter.toString());
        }
        if (exchange.getRequestMethod().equals("HEAD")) {
            exchange.sendResponseHeaders(status, -1);
            return;
        }
        exchange.sendResponseHeaders(status, json.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(json);
        }
    }

    static String quote(String text) {
        StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }

    /** The response broke off after its headers were sent: the connection must be dropped, not finished. */
    static final class ResponseAbortedException extends IOException {
        final boolean backendFailed;

        ResponseAbortedException(String message, boolean backendFailed) {
            super(message);
            this.backendFailed = backendFailed;
        }
    }

    /** Remembers whether anything was read, i.e. whether the body can still go to another backend. */
    private static final class TouchedInputStream extends InputStream {
        private final InputStream in;
        private volatile boolean touched;

        TouchedInputStream(InputStream in) {
            this.in = in;
        }

        boolean touched() {
            return touched;
        }

        @Override
        public int read() throws IOException {
            touched = true;
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            touched = true;
            return in.read(b, off, len);
        }

        @Override
        public int available() throws IOException {
            return in.available();
        }

        @Override
        public void close() {
            // the exchange owns the request stream; a failed attempt must not close it for the next one
        }
    }
}
