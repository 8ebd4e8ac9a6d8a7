package io.stratos.lxc.router.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The router's HTTP entry, on Netty: a few event loop threads serve every connection, so a client that
 * is slow to send its headers holds a connection and a small buffer, not a thread. Each request goes to a
 * backend over a keep-alive connection of the same event loop ({@link BackendPool}); bodies stream both
 * ways with backpressure (a side that cannot write stops the other side's reads), never aggregated.
 * <p>
 * This class starts and stops it: the event loops, the listening socket and the backend connections'
 * bootstrap, and the wait for requests in flight. A client connection is a {@link ClientConnection}, each
 * request on it an {@link Exchange}.
 */
final class RouterServer {

    private static final int MAX_CHUNK = 16 * 1024;

    private final RouterSettings settings;
    private final BackendTable table;
    private final TrafficMetrics metrics;
    /** Our own pool, so that its figures are the router's alone (and a test can read them). */
    private final PooledByteBufAllocator allocator = new PooledByteBufAllocator(true);
    private final AtomicInteger active = new AtomicInteger();
    private EventLoopGroup group;
    private Channel serverChannel;

    private final AccessLog accessLog;
    /** Wakes a subscription at zero; null: a request for one without a RUNNING process is answered 503 at once. */
    private final ColdStarts.Waker waker;
    private ColdStarts coldStarts;

    RouterServer(RouterSettings settings, BackendTable table, TrafficMetrics metrics) {
        this(settings, table, metrics, AccessLog.toLogger(), null);
    }

    RouterServer(RouterSettings settings, BackendTable table, TrafficMetrics metrics, AccessLog accessLog) {
        this(settings, table, metrics, accessLog, null);
    }

    RouterServer(RouterSettings settings, BackendTable table, TrafficMetrics metrics, AccessLog accessLog,
                 ColdStarts.Waker waker) {
        this.settings = settings;
        this.table = table;
        this.metrics = metrics;
        this.accessLog = accessLog;
        this.waker = waker;
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
                        // lenient toward the processes, strict toward clients: a CGI script behind busybox httpd
                        // ends its header lines with a bare LF, and the router must still relay its answer
                        HttpDecoderConfig config = new HttpDecoderConfig().setMaxInitialLineLength(8192)
                                .setMaxHeaderSize(64 * 1024).setMaxChunkSize(MAX_CHUNK).setStrictLineParsing(false);
                        channel.pipeline()
                                .addLast("idle", new IdleStateHandler(0, 0, settings.idleTimeoutSeconds()))
                                .addLast("codec", new HttpClientCodec(config, false, true))
                                .addLast("backend", new BackendHandler());
                    }
                });
        coldStarts = waker == null || settings.maxHeldRequests() == 0 ? null
                : new ColdStarts(table, waker, settings.maxHeldRequests());
        ProxyContext context = new ProxyContext(settings, table, metrics, new BackendPool(client), active, this::port,
                accessLog, coldStarts);
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
                        ClientConnection connection = new ClientConnection(context, channel);
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
            if (coldStarts != null) {
                coldStarts.close();
            }
            throw new IOException("cannot listen on " + settings.endpoint(settings.port()) + ": " + e.getMessage(), e);
        }
        group = created;
    }

    /** The port it listens on (the configured one, or the one the system chose for port 0). */
    int port() {
        return ((InetSocketAddress) serverChannel.localAddress()).getPort();
    }

    /** Requests held now while their subscription starts a process. */
    int held() {
        return coldStarts == null ? 0 : coldStarts.held();
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
        if (coldStarts != null) {
            coldStarts.close();
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
        accessLog.close();
    }
}
