package io.stratos.lxc.router.internal;

import static io.stratos.lxc.router.internal.JsonErrors.RETRY_AFTER_SECONDS;
import static io.stratos.lxc.router.internal.JsonErrors.describe;
import static io.stratos.lxc.router.internal.JsonErrors.json;
import static io.stratos.lxc.router.internal.ProxyHeaders.hasBody;
import static io.stratos.lxc.router.internal.ProxyHeaders.hasToken;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One request forwarded: to one backend after another until one answers, then its answer relayed; a WebSocket
 * upgrade the backend accepts turns both connections into a raw byte relay.
 */
final class Exchange {

    /** The router's category, as before the exchange had a class of its own: log settings name it. */
    private static final Logger LOG = LoggerFactory.getLogger(RouterServer.class);
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "OPTIONS", "TRACE", "PUT", "DELETE");

    private final ProxyContext context;
    private final RouterSettings settings;
    private final BackendTable table;
    private final BackendPool pool;
    /** The client connection the request came on. */
    private final ClientConnection client;
    /** Its channel. */
    private final Channel channel;
    private final HttpRequest request;
    /** The alias's backends; replaced once when a held request (no backend yet) is resumed. */
    private AliasRoute route;
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
    /** Bytes of the answer's body written to the client (the access log's size). */
    private long responseBytes;
    private boolean done;
    private String lastFailure = "no backend";
    private ScheduledFuture<?> responseTimeout;
    /** Once the backend switched protocols: the raw relay both ways. */
    private UpgradedRelay relay;
    private ScheduledFuture<?> bodyCheck;
    private ScheduledFuture<?> stalledClient;
    /** While the request waits for its subscription's first process (scale from zero). */
    private HeldRequest held;

    Exchange(ProxyContext context, ClientConnection client, HttpRequest request, AliasRoute route, AliasCounters counters,
             long start, String prefix, String target, String host) {
        this.context = context;
        this.settings = context.settings();
        this.table = context.table();
        this.pool = context.pool();
        this.client = client;
        this.channel = client.channel;
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
        context.active().incrementAndGet();
        // no body is read before a backend connection is there to take it
        channel.config().setAutoRead(false);
        if (hasBody(request)) {
            // waiting for the client: a backend takes the body and does not hold the client back
            bodyCheck = client.timer.watchBody(() -> done || requestComplete,
                    () -> backendChannel != null && channel.config().isAutoRead(), this::bodyStalled);
        }
        if (route.backends().isEmpty()) {
            hold();
            return;
        }
        next();
    }

    /** No process runs: wait for one to start (the subscription is woken), within the bounds of held requests. */
    private void hold() {
        held = new HeldRequest(context.coldStarts(), route.alias(), channel.eventLoop(), new HeldRequest.Waiting() {
            @Override
            public void resume(AliasRoute ready) {
                held = null;
                route = ready;
                next();
            }

            @Override
            public void refuse(String error, String hint) {
                held = null;
                fail(503, error, hint, RETRY_AFTER_SECONDS);
            }
        });
        if (!held.begin(settings.holdTimeoutSeconds())) {
            held = null;
            fail(503, "too many requests wait for processes to start (maxHeldRequests " + settings.maxHeldRequests() + ")",
                    "retry shortly", RETRY_AFTER_SECONDS);
        }
    }

    /** The client sent no body bytes for idleTimeoutSeconds while the router waited for them (see ClientTimeouts). */
    private void bodyStalled() {
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
        InetAddress clientAddress = ((InetSocketAddress) channel.remoteAddress()).getAddress();
        ProxyHeaders.copyRequestHeaders(request, out, clientAddress, settings.trusted(clientAddress),
                backend.base().getAuthority(), upgrade, host, prefix, context::endpoint);
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
            client.timer.lastRead = System.nanoTime(); // the wait was the backend's, not the client's
        }
        if (client.tunnel || (!requestComplete && !upgrade)) {
            channel.config().setAutoRead(writable);
        }
    }

    void clientWritabilityChanged(boolean writable) {
        if (backendChannel != null && (client.tunnel || responseStarted)) {
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
        if (msg instanceof HttpObject object && object.decoderResult().isFailure() && !client.tunnel) {
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
            if (skippingInformational || client.tunnel) {
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
                responseBytes += part.content().readableBytes();
                channel.writeAndFlush(part).addListener(f -> {
                    if (!f.isSuccess()) {
                        status = 499;
                    }
                    finish(false, keepAlive && f.isSuccess());
                });
                return;
            }
            responseBytes += part.content().readableBytes();
            channel.writeAndFlush(part).addListener(clientWriteFailure());
            if (!channel.isWritable()) {
                backendChannel.config().setAutoRead(false);
            }
        } else if (msg instanceof ByteBuf raw) {
            responseBytes += raw.readableBytes();
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
        ProxyHeaders.copyResponseHeaders(response.headers(), headers);
        if (switching) {
            headers.set(HttpHeaderNames.CONNECTION, "upgrade");
            headers.set(HttpHeaderNames.UPGRADE, response.headers().get(HttpHeaderNames.UPGRADE));
            channel.writeAndFlush(out).addListener(clientWriteFailure());
            // the 101 is encoded by now (writes on the loop run through the pipeline at once):
            // from here on both connections carry raw bytes
            becomeTunnel();
            return;
        }
        keepAlive = ProxyHeaders.framing(request, status, headers, keepAlive);
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
        client.tunnel = true;
        // a WebSocket may stay open for hours: stop() does not wait for it as for a request
        context.active().decrementAndGet();
        responseComplete = true; // a 101 is complete; what follows is no longer HTTP
        relay = new UpgradedRelay(client, backendChannel, backend, route.alias(), settings.drainTimeoutSeconds());
    }

    void toBackendRaw(ByteBuf bytes) {
        if (relay == null || backendChannel == null) {
            bytes.release();
            return;
        }
        relay.toBackend(bytes);
    }

    // -------------------------------------------------------- failures and the end

    /** The backend connection closed or failed (cause null: closed by the backend). */
    void backendClosed(Throwable cause) {
        if (done || backendChannel == null) {
            return;
        }
        if (client.tunnel) {
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
        responseBytes += response.content().readableBytes();
        if (!requestComplete || !keepAlive) {
            // the rest of the body is not read: the connection cannot carry another request
            client.answerAndClose(response);
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
        if (held != null) {
            held.cancel();
            held = null;
        }
        if (responseTimeout != null) {
            responseTimeout.cancel(false);
        }
        if (relay != null) {
            relay.end();
        }
        if (bodyCheck != null) {
            bodyCheck.cancel(false);
        }
        if (stalledClient != null) {
            stalledClient.cancel(false);
        }
        if (client.tunnel) {
            dropBackend();
        }
        endBackend();
        if (!client.tunnel) {
            context.active().decrementAndGet();
        }
        long took = System.nanoTime() - start;
        counters.end(took, backendFailed || (status >= 500 && status != 499));
        context.accessLog().request(channel.remoteAddress(), request, status, responseBytes, route.alias(), took);
        if (client.current == this) {
            client.current = null;
            if (!client.closing) {
                client.finished(keepConnection);
            }
        }
    }
}
