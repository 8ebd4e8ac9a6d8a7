package io.stratos.lxc.router.internal;

import static io.stratos.lxc.router.internal.JsonErrors.RETRY_AFTER_SECONDS;
import static io.stratos.lxc.router.internal.JsonErrors.abbreviate;
import static io.stratos.lxc.router.internal.JsonErrors.json;
import static io.stratos.lxc.router.internal.ProxyHeaders.hasBody;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayDeque;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection: its requests one after the other (pipelined ones wait), each an {@link Exchange};
 * a request the router answers itself (malformed, unknown alias, no backend) is answered here.
 * <p>
 * An alias is taken from {@code Host: <alias>.<domain>} (any port ignored), else from the first path
 * segment {@code /<alias>/...}, which is then stripped ({@code /<alias>} redirects to {@code /<alias>/}).
 */
final class ClientConnection extends ChannelInboundHandlerAdapter {

    /** The router's category, as before the connection had a class of its own: log settings name it. */
    private static final Logger LOG = LoggerFactory.getLogger(RouterServer.class);
    private static final String ALLOW = "GET, HEAD, POST, PUT, DELETE, OPTIONS, PATCH, TRACE";
    /** How long a connection closed for a bad request keeps swallowing what the client still sends. */
    private static final long LINGER_MILLIS = 2000;

    private final ProxyContext context;
    private final RouterSettings settings;
    final Channel channel;
    final ClientTimeouts timer;
    /** Messages of later requests that came while one is being served (pipelining). */
    final ArrayDeque<Object> queued = new ArrayDeque<>();
    Exchange current;
    boolean closing;
    boolean tunnel;

    ClientConnection(ProxyContext context, Channel channel) {
        this.context = context;
        this.settings = context.settings();
        this.channel = channel;
        this.timer = new ClientTimeouts(this, settings);
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
        requestStarted = System.nanoTime();
        if (request.decoderResult().isFailure()) {
            Throwable cause = request.decoderResult().cause();
            LOG.debug("bad request from {}: {}", channel.remoteAddress(), cause.toString());
            if (cause instanceof TooLongHttpLineException) {
                refuse(request, json(414, "request line longer than " + settings.maxHeaderBytes() + " bytes",
                        "shorten the URL (maxHeaderBytes of io.stratos.lxc.router)", null));
            } else if (cause instanceof TooLongHttpHeaderException || cause instanceof TooLongFrameException) {
                refuse(request, json(431, "request headers longer than " + settings.maxHeaderBytes() + " bytes",
                        "send fewer or shorter headers (maxHeaderBytes of io.stratos.lxc.router)", null));
            } else {
                refuse(request, json(400, "malformed request: " + cause.getMessage(),
                        "send HTTP/1.1 with CRLF line endings and no control characters in headers", null));
            }
            return;
        }
        HttpMethod method = request.method();
        if (method.equals(HttpMethod.CONNECT)) {
            FullHttpResponse response = json(405, "CONNECT is not served: the router is no forward proxy",
                    "ask for http://<alias>." + settings.domain() + "/", null);
            response.headers().set(HttpHeaderNames.ALLOW, ALLOW);
            refuse(request, response);
            return;
        }
        for (Map.Entry<String, String> header : request.headers()) {
            if (!RequestPaths.validName(header.getKey()) || !RequestPaths.validValue(header.getValue())) {
                refuse(request, json(400, "malformed request: control character or invalid header name in header '"
                        + header.getKey() + "'", "send header names as tokens and values without control characters", null));
                return;
            }
        }
        if (request.headers().getAll(HttpHeaderNames.HOST).size() > 1) {
            refuse(request, json(400, "malformed request: more than one Host header", "send one Host header", null));
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
            refuse(request, json(400, "malformed request: the request target must be a path (/...), not '" + abbreviate(uri) + "'",
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
            refuse(request, json(400, "malformed request: the path climbs above the root with '..'",
                    "send a path without dot segments", null));
            return;
        }
        String host = request.headers().get(HttpHeaderNames.HOST);
        String alias = context.aliasFromHost(host);
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
            route = context.table().route(alias);
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
            context.metrics().forget(alias);
            answer(request, json(404, "no subscription '" + alias + "'",
                    "list subscriptions with stratos:subscription-list or GET /stratos/api/v1/subscriptions", null));
            return;
        }
        AliasCounters counters = context.metrics().counters(alias);
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
        if (route.backends().isEmpty() && context.coldStarts() == null) {
            answer(request, json(503, "subscription '" + alias + "' has no RUNNING process",
                    "wait for its processes to start (stratos:process-list " + alias + ") or scale it up", RETRY_AFTER_SECONDS));
            counters.end(System.nanoTime() - start, true);
            return;
        }
        current = new Exchange(context, this, request, route, counters, start, prefix,
                path + (rawQuery == null ? "" : "?" + rawQuery), host);
        current.begin();
    }

    /** A request refused as malformed, logged like any other (its line escaped), then the connection closed. */
    private void refuse(HttpRequest request, HttpResponse response) {
        int bytes = response instanceof FullHttpResponse full ? full.content().readableBytes() : 0;
        context.accessLog().request(channel.remoteAddress(), request, response.status().code(), bytes, null,
                System.nanoTime() - requestStarted);
        answerAndClose(response);
    }

    /** When the request being routed arrived (for the access log of the router's own answers). */
    private long requestStarted;

    /** An answer of the router's own; the connection stays open when the client wants it and no body is left. */
    private void answer(HttpRequest request, FullHttpResponse response) {
        context.accessLog().request(channel.remoteAddress(), request, response.status().code(),
                response.content().readableBytes(), null, System.nanoTime() - requestStarted);
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
}
