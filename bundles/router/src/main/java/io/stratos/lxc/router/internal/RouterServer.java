package io.stratos.lxc.router.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's HTTP entry, on Netty: a few event loop threads serve every connection, so a client that
 * is slow to send its headers holds a connection and a small buffer, not a thread. Each request goes to a
 * backend over a keep-alive connection of the same event loop ({@link BackendPool}); bodies stream both
 * ways with backpressure (a side that cannot write stops the other side's reads), never aggregated.
 * <p>
 * An alias is taken from {@code Host: <alias>.<domain>} (any port ignored), else from the first path
 * segment {@code /<alias>/...}, which is then stripped ({@code /<alias>} redirects to {@code /<alias>/}).
 * A WebSocket upgrade the backend accepts (101) turns the connection into a raw byte relay.
 */
final class RouterServer {

    private static final Logger LOG = LoggerFactory.getLogger(RouterServer.class);

    /** Hop-by-hop headers (RFC 9110 7.6.1) and those the router sets itself. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "trailers", "transfer-encoding", "upgrade",
            "host", "expect");
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE");
    private static final String ALLOW = "GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH, TRACE";
    private static final int RETRY_AFTER_SECONDS = 5;
    /** How long a connection closed for a bad request keeps swallowing what the client still sends. */
    private static final long LINGER_MILLIS = 2000;
    private static final int MAX_CHUNK = 16 * 1024;

    private final RouterSettings settings;
    private final BackendTable table;
    private final TrafficMetrics metrics;
    private final String hostSuffix;
    /** Our own pool, so that its figures are the router's alone (and a test can read them). */
    private final PooledByteBufAllocator allocator = new PooledByteBufAllocator(true);
    private final AtomicInteger active = new AtomicInteger();
    private EventLoopGroup group;
    private Channel serverChannel;
    private BackendPool pool;

    RouterServer(RouterSettings settings, BackendTable table, TrafficMetrics metrics) {
        this.settings = settings;
        this.table = table;
        this.metrics = metrics;
        this.hostSuffix = "." + settings.domain();
    }

    /** Binds and starts serving. @throws IOException when the port cannot be bound (then nothing is left running). */
    void start() throws IOException {
        EventLoopGroup created = new MultiThreadIoEventLoopGroup(settings.ioThreads(),
                new DefaultThreadFactory("stratos-router", true), NioIoHandler.newFactory());
        WriteBufferWaterMark watermark = new WriteBufferWaterMark(32 * 1024, 64 * 1024);
        Bootstrap client = new Bootstrap()
                .channel(NioSocketChannel.class)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, settings.connectTimeoutMillis())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.ALLOCATOR, allocator)
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, watermark)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        HttpDecoderConfig config = new HttpDecoderConfig().setMaxInitialLineLength(8192)
                                .setMaxHeaderSize(64 * 1024).setMaxChunkSize(MAX_CHUNK);
                        channel.pipeline()
                                .addLast("idle", new IdleStateHandler(0, 0, settings.idleTimeoutSeconds()))
                                .addLast("codec", new HttpClientCodec(config, false, true))
                                .addLast("backend", new BackendHandler());
                    }
                });
        pool = new BackendPool(client);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(created)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.ALLOCATOR, allocator)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK, watermark)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        ClientConnection connection = new ClientConnection(channel);
                        // strict line parsing: a bare LF ends no line, so such a request is a 400 at once
                        HttpDecoderConfig config = new HttpDecoderConfig()
                                .setMaxInitialLineLength(settings.maxHeaderBytes())
                                .setMaxHeaderSize(settings.maxHeaderBytes())
                                .setMaxChunkSize(MAX_CHUNK)
                                .setStrictLineParsing(true);
                        channel.pipeline()
                                .addLast("timer", connection.timer)
                                .addLast("codec", new HttpServerCodec(config))
                                .addLast("continue", new ExpectContinue())
                                .addLast("proxy", connection);
                    }
                });
        try {
            serverChannel = bootstrap.bind(new InetSocketAddress(settings.bindAddress(), settings.port())).sync().channel();
        } catch (Exception e) {
            created.shutdownGracefully(0, 0, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
            throw new IOException("cannot listen on " + settings.endpoint(settings.port()) + ": " + e.getMessage(), e);
        }
        group = created;
    }

    /** The port it listens on (the configured one, or the one the system chose for port 0). */
    int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** The router's buffer pool (its figures show what the router holds). */
    ByteBufAllocator allocator() {
        return allocator;
    }

    /** Stops listening, waiting at most {@code graceSeconds} for requests being served. */
    void stop(int graceSeconds) {
        if (serverChannel != null) {
            serverChannel.close().awaitUninterruptibly(5, TimeUnit.SECONDS);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(graceSeconds);
        while (active.get() > 0 && System.nanoTime() - deadline < 0) {
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
            group = null;
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

    static FullHttpResponse json(int status, String error, String hint, Integer retryAfter) {
        byte[] body = ("{\"error\":" + quote(error) + ",\"hint\":" + quote(hint) + "}\n").getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        if (retryAfter != null) {
            response.headers().set(HttpHeaderNames.RETRY_AFTER, retryAfter.toString());
        }
        return response;
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
                    if (c < 0x20 || c == 0x7f) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }

    /** Header names listed in {@code Connection} (hop-by-hop by declaration). */
    private static Set<String> connectionTokens(List<String> values) {
        if (values.isEmpty()) {
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

    private static boolean hasToken(HttpHeaders headers, CharSequence name, String token) {
        for (String value : headers.getAll(name)) {
            for (String part : value.split(",")) {
                if (part.trim().equalsIgnoreCase(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** 100-continue answered by the router (Expect is not forwarded); an expectation it cannot meet is a JSON 417. */
    private static final class ExpectContinue extends HttpServerExpectContinueHandler {
        @Override
        protected HttpResponse rejectResponse(HttpRequest request) {
            FullHttpResponse response = json(417, "unsupported expectation '" + request.headers().get(HttpHeaderNames.EXPECT) + "'",
                    "only Expect: 100-continue is understood", null);
            response.headers().set(HttpHeaderNames.CONNECTION, "close");
            return response;
        }
    }

    // ---------------------------------------------------------------- the backend side

    /** The last handler of a backend connection: hands what the backend sends to the exchange using it. */
    private static final class BackendHandler extends ChannelInboundHandlerAdapter {
        ClientConnection.Exchange exchange;

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (exchange != null) {
                exchange.fromBackend(msg);
            } else {
                // nothing is asked on a pooled connection: whatever comes is garbage, and the connection unusable
                ReferenceCountUtil.release(msg);
                ctx.close();
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            if (exchange != null) {
                exchange.backendClosed(null);
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (exchange != null) {
                exchange.backendWritabilityChanged(ctx.channel().isWritable());
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
            if (event instanceof IdleStateEvent && exchange == null) {
                ctx.close(); // idle in the pool for idleTimeoutSeconds
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            if (exchange != null) {
                exchange.backendClosed(cause);
            }
            ctx.close();
        }
    }

    // ---------------------------------------------------------------- the client side

    /** One client connection: its requests one after the other (pipelined ones wait), each an {@link Exchange}. */
    private final class ClientConnection extends ChannelInboundHandlerAdapter {
        final Channel channel;
        final Timer timer = new Timer();
        /** Messages of later requests that came while one is being served (pipelining). */
        final ArrayDeque<Object> queued = new ArrayDeque<>();
        Exchange current;
        boolean closing;
        boolean tunnel;

        ClientConnection(Channel channel) {
            this.channel = channel;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (closing) {
                ReferenceCountUtil.release(msg);
            } else if (tunnel) {
                if (msg instanceof ByteBuf) {
                    current.toBackendRaw((ByteBuf) msg);
                } else {
                    ReferenceCountUtil.release(msg);
                }
            } else if (current != null && current.wantsBody()) {
                current.requestContent((HttpContent) msg);
            } else if (current != null || !queued.isEmpty()) {
                queued.add(msg);
                channel.config().setAutoRead(false);
            } else {
                dispatch(msg);
            }
        }

        private void dispatch(Object msg) {
            if (msg instanceof HttpRequest request) {
                timer.headersDone();
                try {
                    request(request);
                } catch (RuntimeException e) {
                    LOG.warn("router failed on {} {}", request.method(), request.uri(), e);
                    if (current == null) {
                        answerAndClose(json(500, "the router failed on this request: " + e, "see the controller's log", null));
                    } else {
                        channel.close();
                    }
                }
                if (msg instanceof HttpContent && current != null && current.wantsBody()) {
                    current.requestContent((HttpContent) msg);
                    return;
                }
            }
            // a body of a request answered by the router itself, or the rest of a bad one
            ReferenceCountUtil.release(msg);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            closing = true;
            timer.cancel();
            queued.forEach(ReferenceCountUtil::release);
            queued.clear();
            if (current != null) {
                current.clientClosed();
            }
        }

        @Override
        public void channelWritabilityChanged(ChannelHandlerContext ctx) {
            if (current != null) {
                current.clientWritabilityChanged(channel.isWritable());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // a client's connection failing is the client's business: no stack trace
            LOG.debug("client connection {} failed: {}", channel.remoteAddress(), cause.toString());
            channel.close();
        }

        // ------------------------------------------------------------ routing

        private void request(HttpRequest request) {
            if (request.decoderResult().isFailure()) {
                Throwable cause = request.decoderResult().cause();
                LOG.debug("bad request from {}: {}", channel.remoteAddress(), cause.toString());
                if (cause instanceof TooLongHttpLineException) {
                    answerAndClose(json(414, "request line longer than " + settings.maxHeaderBytes() + " bytes",
                            "shorten the URL (maxHeaderBytes of io.stratos.lxc.router)", null));
                } else if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
                    answerAndClose(json(431, "request headers longer than " + settings.maxHeaderBytes() + " bytes",
                            "send fewer or shorter headers (maxHeaderBytes of io.stratos.lxc.router)", null));
                } else {
                    answerAndClose(json(400, "malformed request: " + cause.getMessage(),
                            "send HTTP/1.1 with CRLF line endings and no control characters in headers", null));
                }
                return;
            }
            HttpMethod method = request.method();
            if (method.equals(HttpMethod.CONNECT)) {
                FullHttpResponse response = json(405, "CONNECT is not served: the router is no forward proxy",
                        "ask for http://<alias>." + settings.domain() + "/", null);
                response.headers().set(HttpHeaderNames.ALLOW, ALLOW);
                answerAndClose(response);
                return;
            }
            for (Map.Entry<String, String> header : request.headers()) {
                if (!RequestPaths.validName(header.getKey()) || !RequestPaths.validValue(header.getValue())) {
                    answerAndClose(json(400, "malformed request: control character or invalid header name in header '"
                            + header.getKey() + "'", "send header names as tokens and values without control characters", null));
                    return;
                }
            }
            if (request.headers().getAll(HttpHeaderNames.HOST).size() > 1) {
                answerAndClose(json(400, "malformed request: more than one Host header", "send one Host header", null));
                return;
            }
            String uri = request.uri();
            if (uri.equals("*") && method.equals(HttpMethod.OPTIONS)) {
                FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
                response.headers().set(HttpHeaderNames.ALLOW, ALLOW).set(HttpHeaderNames.CONTENT_LENGTH, 0);
                answer(request, response);
                return;
            }
            if (!uri.startsWith("/")) {
                // absolute-form is for forward proxies, which the router is not; asterisk-form is for OPTIONS only
                answerAndClose(json(400, "malformed request: the request target must be a path (/...), not '" + abbreviate(uri) + "'",
                        "ask for /<path> with Host: <alias>." + settings.domain(), null));
                return;
            }
            int hash = uri.indexOf('#');
            if (hash >= 0) {
                uri = uri.substring(0, hash);
            }
            int question = uri.indexOf('?');
            String rawQuery = question < 0 ? null : uri.substring(question + 1);
            String rawPath = RequestPaths.normalize(question < 0 ? uri : uri.substring(0, question));
            if (rawPath == null) {
                answerAndClose(json(400, "malformed request: the path climbs above the root with '..'",
                        "send a path without dot segments", null));
                return;
            }
            String host = request.headers().get(HttpHeaderNames.HOST);
            String alias = aliasFromHost(host);
            String prefix = "";
            String path = rawPath;
            if (alias == null) {
                int end = rawPath.indexOf('/', 1);
                alias = (end < 0 ? rawPath.substring(1) : rawPath.substring(1, end)).toLowerCase(Locale.ROOT);
                if (alias.isEmpty()) {
                    answer(request, json(404, "no subscription alias in this request",
                            "ask for http://<alias>." + settings.domain() + "/ (Host header) or /<alias>/", null));
                    return;
                }
                prefix = "/" + alias;
                path = end < 0 ? "" : rawPath.substring(end);
            }
            AliasRoute route;
            try {
                route = table.route(alias);
            } catch (BackendSource.SourceUnavailableException e) {
                answer(request, json(503, "cannot look up subscription '" + alias + "': " + e.getMessage(),
                        "retry shortly; check stratos:status", RETRY_AFTER_SECONDS));
                return;
            } catch (IllegalArgumentException e) {
                answer(request, json(404, "no subscription '" + abbreviate(alias) + "'",
                        "list subscriptions with stratos:subscription-list or GET /stratos/api/v1/subscriptions", null));
                return;
            }
            if (!route.known()) {
                metrics.forget(alias);
                answer(request, json(404, "no subscription '" + alias + "'",
                        "list subscriptions with stratos:subscription-list or GET /stratos/api/v1/subscriptions", null));
                return;
            }
            AliasCounters counters = metrics.counters(alias);
            long start = System.nanoTime();
            counters.begin();
            if (path.isEmpty()) {
                // the path form without its slash: relative links would miss the alias
                int status = method.equals(HttpMethod.GET) || method.equals(HttpMethod.HEAD) ? 301 : 308;
                FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status));
                response.headers().set(HttpHeaderNames.LOCATION, prefix + "/" + (rawQuery == null ? "" : "?" + rawQuery))
                        .set(HttpHeaderNames.CONTENT_LENGTH, 0);
                answer(request, response);
                counters.end(System.nanoTime() - start, false);
                return;
            }
            if (route.backends().isEmpty()) {
                answer(request, json(503, "subscription '" + alias + "' has no RUNNING process",
                        "wait for its processes to start (stratos:process-list " + alias + ") or scale it up", RETRY_AFTER_SECONDS));
                counters.end(System.nanoTime() - start, true);
                return;
            }
            current = new Exchange(request, route, counters, start, prefix, path + (rawQuery == null ? "" : "?" + rawQuery), host);
            current.begin();
        }

        /** An answer of the router's own; the connection stays open when the client wants it and no body is left. */
        private void answer(HttpRequest request, FullHttpResponse response) {
            boolean keepAlive = HttpUtil.isKeepAlive(request) && !hasBody(request);
            if (!keepAlive) {
                response.headers().set(HttpHeaderNames.CONNECTION, "close");
                answerAndClose(response);
                return;
            }
            if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
                response.headers().set(HttpHeaderNames.CONNECTION, "keep-alive");
            }
            channel.writeAndFlush(response);
            timer.waitForNext();
        }

        /**
         * Answers and closes, the lingering way: output is shut first and whatever the client still sends is
         * read and dropped for a while, so that a client still writing (a 1 MB header) gets the answer instead
         * of a reset that would throw it away.
         */
        void answerAndClose(HttpResponse response) {
            response.headers().set(HttpHeaderNames.CONNECTION, "close");
            closing = true;
            timer.cancel();
            channel.writeAndFlush(response).addListener(f -> linger());
        }

        private void linger() {
            if (channel instanceof SocketChannel socket && socket.isActive()) {
                channel.config().setAutoRead(true);
                socket.shutdownOutput().addListener(f -> channel.eventLoop().schedule(() -> {
                    channel.close();
                }, LINGER_MILLIS, TimeUnit.MILLISECONDS));
            } else {
                channel.close();
            }
        }

        void headerTimeout() {
            LOG.debug("client {} sent no complete request headers in {} s", channel.remoteAddress(), settings.headerTimeoutSeconds());
            answerAndClose(json(408, "request headers not complete within " + settings.headerTimeoutSeconds() + " s",
                    "send the whole request head at once", null));
        }

        /** The exchange is over: the next request, or the end of the connection. */
        void finished(boolean keepAlive) {
            current = null;
            if (!keepAlive || !channel.isActive()) {
                closing = true;
                queued.forEach(ReferenceCountUtil::release);
                queued.clear();
                channel.close();
                return;
            }
            timer.waitForNext();
            channel.config().setAutoRead(true);
            while (!queued.isEmpty() && !closing && !tunnel) {
                Object msg = queued.poll();
                if (current != null && current.wantsBody()) {
                    current.requestContent((HttpContent) msg);
                } else if (current != null) {
                    queued.addFirst(msg);
                    channel.config().setAutoRead(false);
                    return;
                } else {
                    dispatch(msg);
                }
            }
        }

        /**
         * Header and idle timeouts of the connection, ahead of the HTTP decoder so that it sees the first
         * byte of a request: from then on (or from the connection's start) the headers must be complete
         * within headerTimeoutSeconds; between requests it may idle for idleTimeoutSeconds.
         */
        final class Timer extends ChannelDuplexHandler {
            private ScheduledFuture<?> timeout;
            private boolean idle;
            /** When bytes last came from the client (System.nanoTime). */
            long lastRead = System.nanoTime();

            @Override
            public void channelActive(ChannelHandlerContext ctx) throws Exception {
                arm(false);
                super.channelActive(ctx);
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) throws Exception {
                lastRead = System.nanoTime();
                if (idle && msg instanceof ByteBuf buf && buf.isReadable()) {
                    arm(false);
                }
                super.channelRead(ctx, msg);
            }

            void headersDone() {
                cancel();
            }

            void waitForNext() {
                arm(true);
            }

            void cancel() {
                idle = false;
                if (timeout != null) {
                    timeout.cancel(false);
                    timeout = null;
                }
            }

            private void arm(boolean idleWait) {
                cancel();
                idle = idleWait;
                long seconds = idleWait ? settings.idleTimeoutSeconds() : settings.headerTimeoutSeconds();
                timeout = channel.eventLoop().schedule(() -> {
                    timeout = null;
                    if (closing || current != null) {
                        return;
                    }
                    if (idle) {
                        channel.close();
                    } else {
                        headerTimeout();
                    }
                }, seconds, TimeUnit.SECONDS);
            }
        }

        // ------------------------------------------------------------ forwarding

        /** One request forwarded: to one backend after another until one answers, then its answer relayed. */
        final class Exchange {
            private final HttpRequest request;
            private final AliasRoute route;
            private final AliasCounters counters;
            private final long start;
            private final String prefix;
            private final String target;
            private final String host;
            private final boolean idempotent;
            private final boolean upgrade;
            private final Set<Backend> tried = new HashSet<>();
            /** Body parts that came before a backend connection was ready. */
            private final ArrayDeque<HttpContent> pending = new ArrayDeque<>();
            private boolean keepAlive;
            private Backend backend;
            private boolean backendBegun;
            private Channel backendChannel;
            private boolean reused;
            private boolean requestComplete;
            private boolean requestSent;
            private long bodyBytesSent;
            private boolean responseStarted;
            private boolean responseComplete;
            private boolean skippingInformational;
            private int status;
            private boolean done;
            private String lastFailure = "no backend";
            private ScheduledFuture<?> responseTimeout;
            private ScheduledFuture<?> drainCheck;
            private ScheduledFuture<?> bodyCheck;
            private ScheduledFuture<?> stalledClient;

            Exchange(HttpRequest request, AliasRoute route, AliasCounters counters, long start, String prefix, String target,
                     String host) {
                this.request = request;
                this.route = route;
                this.counters = counters;
                this.start = start;
                this.prefix = prefix;
                this.target = target;
                this.host = host;
                this.idempotent = IDEMPOTENT.contains(request.method().name());
                this.upgrade = hasToken(request.headers(), HttpHeaderNames.CONNECTION, "upgrade")
                        && hasToken(request.headers(), HttpHeaderNames.UPGRADE, "websocket");
                this.keepAlive = HttpUtil.isKeepAlive(request);
                this.requestComplete = request instanceof LastHttpContent;
            }

            void begin() {
                active.incrementAndGet();
                // no body is read before a backend connection is there to take it
                channel.config().setAutoRead(false);
                if (hasBody(request)) {
                    watchBody();
                }
                next();
            }

            /**
             * A client that stops sending its body while the router waits for it (reading, not held back by a
             * slow backend) is cut off after idleTimeoutSeconds, as one idle between requests would be.
             */
            private void watchBody() {
                long limit = TimeUnit.SECONDS.toNanos(settings.idleTimeoutSeconds());
                bodyCheck = channel.eventLoop().scheduleAtFixedRate(() -> {
                    if (done || requestComplete) {
                        bodyCheck.cancel(false);
                        return;
                    }
                    boolean waitingForClient = backendChannel != null && channel.config().isAutoRead();
                    if (waitingForClient && System.nanoTime() - timer.lastRead > limit) {
                        LOG.debug("client {} sent no body bytes for {} s", channel.remoteAddress(), settings.idleTimeoutSeconds());
                        dropBackend();
                        if (responseStarted) {
                            channel.close();
                            finish(false, false);
                        } else {
                            fail(408, "request body stalled for " + settings.idleTimeoutSeconds() + " s",
                                    "send the body without pausing (idleTimeoutSeconds of io.stratos.lxc.router)", null);
                        }
                    }
                }, 1, 1, TimeUnit.SECONDS);
            }

            boolean wantsBody() {
                return !requestComplete;
            }

            private void next() {
                Backend candidate;
                while ((candidate = route.choose(tried, table.now())) != null) {
                    tried.add(candidate);
                    if (candidate.tryBegin()) {
                        connect(candidate, false);
                        return;
                    }
                    // retired since the route was read: its process is draining
                }
                fail(502, "no process of subscription '" + route.alias() + "' answered (" + lastFailure + ")",
                        "see stratos:process-list " + route.alias(), RETRY_AFTER_SECONDS);
            }

            private void connect(Backend chosen, boolean fresh) {
                backend = chosen;
                backendBegun = true;
                pool.acquire(channel.eventLoop(), chosen, fresh, new BackendPool.Acquired() {
                    @Override
                    public void ready(Channel connection, boolean wasPooled) {
                        if (done) {
                            pool.release(chosen, connection);
                            return;
                        }
                        attach(connection, wasPooled);
                    }

                    @Override
                    public void failed(Throwable cause) {
                        if (done) {
                            return;
                        }
                        // nothing reached the backend: any method may go to the next one
                        endBackend();
                        lastFailure = chosen + ": " + describe(cause);
                        chosen.markDown(table.now(), settings.backendDownMillis() * 1_000_000L);
                        LOG.warn("backend {} of '{}' refused: {}; marked down", chosen, route.alias(), describe(cause));
                        next();
                    }
                });
            }

            private void attach(Channel connection, boolean wasPooled) {
                backendChannel = connection;
                reused = wasPooled;
                connection.pipeline().get(BackendHandler.class).exchange = this;
                connection.config().setAutoRead(true);
                HttpRequest outbound = new DefaultHttpRequest(HttpVersion.HTTP_1_1, request.method(), target);
                copyRequestHeaders(outbound.headers());
                requestSent = true;
                connection.write(outbound).addListener(writeFailure());
                boolean wroteLast = false;
                while (!pending.isEmpty()) {
                    HttpContent part = pending.poll();
                    bodyBytesSent += part.content().readableBytes();
                    wroteLast |= part instanceof LastHttpContent;
                    connection.write(part).addListener(writeFailure());
                }
                if (requestComplete && !wroteLast) {
                    // a retry: the empty body's end went to the failed connection; this one needs its own
                    connection.write(LastHttpContent.EMPTY_LAST_CONTENT).addListener(writeFailure());
                }
                connection.flush();
                if (requestComplete) {
                    armResponseTimeout();
                }
                if (!upgrade) {
                    // the rest of the body, or (once it is all there) a client that goes away
                    channel.config().setAutoRead(requestComplete || connection.isWritable());
                }
            }

            private ChannelFutureListener writeFailure() {
                Channel connection = backendChannel;
                return f -> {
                    if (!f.isSuccess() && backendChannel == connection) {
                        backendClosed(f.cause());
                    }
                };
            }

            private void copyRequestHeaders(HttpHeaders out) {
                HttpHeaders in = request.headers();
                Set<String> dropped = connectionTokens(in.getAll(HttpHeaderNames.CONNECTION));
                InetAddress client = ((InetSocketAddress) channel.remoteAddress()).getAddress();
                boolean trusted = settings.trusted(client);
                for (Map.Entry<String, String> header : in) {
                    String name = header.getKey().toLowerCase(Locale.ROOT);
                    if (NOT_FORWARDED.contains(name) || dropped.contains(name) || name.startsWith("x-forwarded-")) {
                        continue;
                    }
                    out.add(header.getKey(), header.getValue());
                }
                out.set(HttpHeaderNames.HOST, backend.base().getAuthority());
                if (HttpUtil.isTransferEncodingChunked(request)) {
                    out.set(HttpHeaderNames.TRANSFER_ENCODING, "chunked");
                }
                if (upgrade) {
                    out.set(HttpHeaderNames.CONNECTION, "upgrade");
                    out.set(HttpHeaderNames.UPGRADE, in.get(HttpHeaderNames.UPGRADE));
                }
                // the router is the edge: what it saw, not what the client claims, unless the client is a
                // proxy it trusts (then its X-Forwarded-For is appended to and the others kept)
                String address = client.getHostAddress();
                String forwardedFor = trusted ? joined(in.getAll("X-Forwarded-For")) : null;
                out.set("X-Forwarded-For", forwardedFor == null ? address : forwardedFor + ", " + address);
                String proto = trusted ? in.get("X-Forwarded-Proto") : null;
                out.set("X-Forwarded-Proto", proto != null ? proto : "http");
                String forwardedHost = trusted ? in.get("X-Forwarded-Host") : null;
                out.set("X-Forwarded-Host", forwardedHost != null ? forwardedHost : host != null ? host : settings.endpoint(port()));
                String forwardedPrefix = trusted ? in.get("X-Forwarded-Prefix") : null;
                if (!prefix.isEmpty()) {
                    out.set("X-Forwarded-Prefix", forwardedPrefix == null ? prefix : forwardedPrefix + prefix);
                } else if (forwardedPrefix != null) {
                    out.set("X-Forwarded-Prefix", forwardedPrefix);
                }
            }

            void requestContent(HttpContent part) {
                if (part.decoderResult().isFailure()) {
                    // a malformed chunk: the client's fault, and the body cannot be finished for the backend
                    LOG.debug("bad request body from {}: {}", channel.remoteAddress(), part.decoderResult().cause().toString());
                    part.release();
                    dropBackend();
                    if (responseStarted) {
                        channel.close();
                        finish(false, false);
                    } else {
                        fail(400, "malformed request body: " + part.decoderResult().cause().getMessage(),
                                "send a valid chunked body or a Content-Length", null);
                    }
                    return;
                }
                if (part instanceof LastHttpContent) {
                    requestComplete = true;
                }
                if (backendChannel == null) {
                    pending.add(part);
                    return;
                }
                if (!backendChannel.isActive() || responseComplete) {
                    part.release();
                    return;
                }
                bodyBytesSent += part.content().readableBytes();
                backendChannel.writeAndFlush(part).addListener(writeFailure());
                if (requestComplete) {
                    armResponseTimeout();
                } else if (!backendChannel.isWritable()) {
                    channel.config().setAutoRead(false);
                }
            }

            void backendWritabilityChanged(boolean writable) {
                if (writable) {
                    timer.lastRead = System.nanoTime(); // the wait was the backend's, not the client's
                }
                if (tunnel || (!requestComplete && !upgrade)) {
                    channel.config().setAutoRead(writable);
                }
            }

            void clientWritabilityChanged(boolean writable) {
                if (backendChannel != null && (tunnel || responseStarted)) {
                    backendChannel.config().setAutoRead(writable);
                }
                // a client that stops reading would hold its backend connection for ever: idleTimeoutSeconds at most
                if (writable && stalledClient != null) {
                    stalledClient.cancel(false);
                    stalledClient = null;
                } else if (!writable && stalledClient == null) {
                    stalledClient = channel.eventLoop().schedule(() -> {
                        stalledClient = null;
                        if (!done && !channel.isWritable()) {
                            LOG.debug("client {} read nothing for {} s", channel.remoteAddress(), settings.idleTimeoutSeconds());
                            clientClosed();
                        }
                    }, settings.idleTimeoutSeconds(), TimeUnit.SECONDS);
                }
            }

            private void armResponseTimeout() {
                if (responseTimeout != null || responseStarted) {
                    return;
                }
                responseTimeout = channel.eventLoop().schedule(() -> {
                    if (responseStarted || done) {
                        return;
                    }
                    LOG.info("backend {} of '{}' gave no answer in {} s", backend, route.alias(), settings.requestTimeoutSeconds());
                    dropBackend();
                    fail(504, "subscription '" + route.alias() + "' did not answer within " + settings.requestTimeoutSeconds() + " s",
                            "raise requestTimeoutSeconds or look at the process", null);
                }, settings.requestTimeoutSeconds(), TimeUnit.SECONDS);
            }

            // -------------------------------------------------------- the answer

            void fromBackend(Object msg) {
                if (done) {
                    ReferenceCountUtil.release(msg);
                    return;
                }
                if (msg instanceof HttpObject object && object.decoderResult().isFailure() && !tunnel) {
                    ReferenceCountUtil.release(msg);
                    backendClosed(object.decoderResult().cause());
                    return;
                }
                if (msg instanceof HttpResponse response) {
                    int code = response.status().code();
                    if (code >= 100 && code < 200 && code != 101) {
                        skippingInformational = true; // 100/102/103: the router answered 100-continue itself
                    } else {
                        respond(response);
                    }
                }
                if (msg instanceof HttpContent part) {
                    if (skippingInformational || tunnel) {
                        if (part instanceof LastHttpContent) {
                            skippingInformational = false;
                        }
                        part.release();
                        return;
                    }
                    boolean last = part instanceof LastHttpContent;
                    if (last) {
                        responseComplete = true;
                        Backend used = backend;
                        Channel connection = backendChannel;
                        boolean reusable = requestComplete && HttpUtil.isKeepAlive(responseHead);
                        detachBackend();
                        if (reusable) {
                            pool.release(used, connection);
                        } else {
                            connection.close();
                        }
                        keepAlive &= requestComplete;
                        channel.writeAndFlush(part).addListener(f -> {
                            if (!f.isSuccess()) {
                                status = 499;
                            }
                            finish(false, keepAlive && f.isSuccess());
                        });
                        return;
                    }
                    channel.writeAndFlush(part).addListener(clientWriteFailure());
                    if (!channel.isWritable()) {
                        backendChannel.config().setAutoRead(false);
                    }
                } else if (msg instanceof ByteBuf raw) {
                    channel.writeAndFlush(raw).addListener(clientWriteFailure());
                    if (!channel.isWritable()) {
                        backendChannel.config().setAutoRead(false);
                    }
                } else if (!(msg instanceof HttpResponse)) {
                    ReferenceCountUtil.release(msg);
                }
            }

            private HttpResponse responseHead;

            private void respond(HttpResponse response) {
                responseStarted = true;
                responseHead = response;
                if (responseTimeout != null) {
                    responseTimeout.cancel(false);
                }
                backend.markUp();
                status = response.status().code();
                boolean switching = status == 101 && upgrade;
                HttpResponse out = new DefaultHttpResponse(HttpVersion.HTTP_1_1, response.status());
                HttpHeaders headers = out.headers();
                Set<String> dropped = connectionTokens(response.headers().getAll(HttpHeaderNames.CONNECTION));
                for (Map.Entry<String, String> header : response.headers()) {
                    String name = header.getKey().toLowerCase(Locale.ROOT);
                    if (NOT_FORWARDED.contains(name) || dropped.contains(name)) {
                        continue;
                    }
                    headers.add(header.getKey(), header.getValue());
                }
                if (switching) {
                    headers.set(HttpHeaderNames.CONNECTION, "upgrade");
                    headers.set(HttpHeaderNames.UPGRADE, response.headers().get(HttpHeaderNames.UPGRADE));
                    channel.writeAndFlush(out).addListener(clientWriteFailure());
                    // the 101 is encoded by now (writes on the loop run through the pipeline at once):
                    // from here on both connections carry raw bytes
                    becomeTunnel();
                    return;
                }
                boolean head = request.method().equals(HttpMethod.HEAD);
                boolean noBody = head || status == 204 || status == 304 || status < 200;
                if (!noBody && !headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
                    if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
                        keepAlive = false; // an HTTP/1.0 client knows no chunks: the body ends with the connection
                    } else {
                        headers.set(HttpHeaderNames.TRANSFER_ENCODING, "chunked");
                    }
                }
                if (!keepAlive) {
                    headers.set(HttpHeaderNames.CONNECTION, "close");
                } else if (request.protocolVersion().equals(HttpVersion.HTTP_1_0)) {
                    headers.set(HttpHeaderNames.CONNECTION, "keep-alive");
                }
                channel.writeAndFlush(out).addListener(clientWriteFailure());
            }

            private ChannelFutureListener clientWriteFailure() {
                return f -> {
                    if (!f.isSuccess() && !done) {
                        LOG.debug("client {} went away: {}", channel.remoteAddress(), f.cause().toString());
                        clientClosed();
                    }
                };
            }

            private void becomeTunnel() {
                tunnel = true;
                // a WebSocket may stay open for hours: stop() does not wait for it as for a request
                active.decrementAndGet();
                responseComplete = true; // a 101 is complete; what follows is no longer HTTP
                timer.cancel();
                channel.pipeline().remove("continue");
                channel.pipeline().remove("timer");
                channel.pipeline().remove("codec");
                backendChannel.pipeline().remove("idle");
                backendChannel.pipeline().remove("codec");
                channel.config().setAutoRead(backendChannel.isWritable());
                backendChannel.config().setAutoRead(channel.isWritable());
                // the upgraded connection holds its backend in flight, but a drain does not wait for ever
                drainCheck = channel.eventLoop().scheduleAtFixedRate(() -> {
                    if (backend.retiredForNanos(System.nanoTime()) >= TimeUnit.SECONDS.toNanos(settings.drainTimeoutSeconds())) {
                        LOG.info("closing an upgraded connection to draining {} of '{}' after {} s", backend, route.alias(),
                                settings.drainTimeoutSeconds());
                        backendChannel.close();
                        channel.close();
                    }
                }, 1, 1, TimeUnit.SECONDS);
            }

            void toBackendRaw(ByteBuf bytes) {
                if (backendChannel == null || !backendChannel.isActive()) {
                    bytes.release();
                    return;
                }
                backendChannel.writeAndFlush(bytes);
                if (!backendChannel.isWritable()) {
                    channel.config().setAutoRead(false);
                }
            }

            // -------------------------------------------------------- failures and the end

            /** The backend connection closed or failed (cause null: closed by the backend). */
            void backendClosed(Throwable cause) {
                if (done || backendChannel == null) {
                    return;
                }
                if (tunnel) {
                    channel.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
                    finish(false, false);
                    return;
                }
                String why = cause == null ? "closed the connection" : describe(cause);
                if (responseStarted) {
                    // headers are out and the body broke off: the client must see a truncated response, not a complete one
                    LOG.debug("backend {} of '{}' broke off its response: {}", backend, route.alias(), why);
                    status = 502;
                    dropBackend();
                    channel.close();
                    finish(true, false);
                    return;
                }
                Backend failed = backend;
                boolean stale = reused && bodyBytesSent == 0;
                dropBackend();
                if (stale) {
                    // a pooled connection the backend had closed: the request never got there, try a new connection
                    LOG.debug("pooled connection to {} was closed: {}; reconnecting", failed, why);
                    if (failed.tryBegin()) {
                        connect(failed, true);
                        return;
                    }
                }
                lastFailure = failed + ": " + why;
                failed.markDown(table.now(), settings.backendDownMillis() * 1_000_000L);
                LOG.warn("backend {} of '{}' failed: {}", failed, route.alias(), why);
                if (idempotent && bodyBytesSent == 0 && !upgrade) {
                    next();
                } else {
                    fail(502, "no process of subscription '" + route.alias() + "' answered (" + lastFailure + ")",
                            "see stratos:process-list " + route.alias(), RETRY_AFTER_SECONDS);
                }
            }

            void clientClosed() {
                if (done) {
                    return;
                }
                if (status == 0 || !responseComplete) {
                    status = 499;
                }
                dropBackend();
                pending.forEach(HttpContent::release);
                pending.clear();
                channel.close();
                finish(false, false);
            }

            /** Answers with the router's own error, if nothing of a response was sent yet. */
            private void fail(int code, String error, String hint, Integer retryAfter) {
                status = code;
                pending.forEach(HttpContent::release);
                pending.clear();
                FullHttpResponse response = json(code, error, hint, retryAfter);
                if (!requestComplete || !keepAlive) {
                    // the rest of the body is not read: the connection cannot carry another request
                    answerAndClose(response);
                    finish(false, false);
                    return;
                }
                channel.writeAndFlush(response);
                finish(false, true);
            }

            private void endBackend() {
                if (backendBegun) {
                    backendBegun = false;
                    backend.end();
                }
            }

            private void detachBackend() {
                if (backendChannel != null) {
                    backendChannel.pipeline().get(BackendHandler.class).exchange = null;
                    backendChannel.config().setAutoRead(true);
                    backendChannel = null;
                }
                endBackend();
            }

            private void dropBackend() {
                Channel connection = backendChannel;
                if (connection != null) {
                    BackendHandler handler = connection.pipeline().get(BackendHandler.class);
                    if (handler != null) {
                        handler.exchange = null;
                    }
                    backendChannel = null;
                    connection.close();
                }
                endBackend();
            }

            private void finish(boolean backendFailed, boolean keepConnection) {
                if (done) {
                    return;
                }
                done = true;
                if (responseTimeout != null) {
                    responseTimeout.cancel(false);
                }
                if (drainCheck != null) {
                    drainCheck.cancel(false);
                }
                if (bodyCheck != null) {
                    bodyCheck.cancel(false);
                }
                if (stalledClient != null) {
                    stalledClient.cancel(false);
                }
                if (tunnel) {
                    dropBackend();
                }
                endBackend();
                if (!tunnel) {
                    active.decrementAndGet();
                }
                counters.end(System.nanoTime() - start, backendFailed || (status >= 500 && status != 499));
                if (current == this) {
                    current = null;
                    if (!closing) {
                        finished(keepConnection);
                    }
                }
            }
        }
    }

    private static boolean hasBody(HttpRequest request) {
        if (request instanceof LastHttpContent) {
            return false;
        }
        return HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0;
    }

    private static String joined(List<String> values) {
        return values.isEmpty() ? null : String.join(", ", values);
    }

    private static String abbreviate(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }

    private static String describe(Throwable cause) {
        if (cause instanceof ConnectException) {
            return "connection refused or timed out (" + cause.getMessage() + ")";
        }
        return cause.toString();
    }
}
