package io.stratos.lxc.router.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Header and idle timeouts of a client connection, ahead of the HTTP decoder so that it sees the first
 * byte of a request: from then on (or from the connection's start) the headers must be complete
 * within headerTimeoutSeconds; between requests it may idle for idleTimeoutSeconds.
 */
final class ClientTimeouts extends ChannelDuplexHandler {
    private final ClientConnection connection;
    private final RouterSettings settings;
    private ScheduledFuture<?> timeout;
    private boolean idle;
    /** When bytes last came from the client (System.nanoTime). */
    long lastRead = System.nanoTime();

    ClientTimeouts(ClientConnection connection, RouterSettings settings) {
        this.connection = connection;
        this.settings = settings;
    }

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
        timeout = connection.channel.eventLoop().schedule(() -> {
            timeout = null;
            if (connection.closing || connection.current != null) {
                return;
            }
            if (idle) {
                connection.channel.close();
            } else {
                connection.headerTimeout();
            }
        }, seconds, TimeUnit.SECONDS);
    }

    /**
     * A client that stops sending its body while the router waits for it (reading, not held back by a slow
     * backend) is cut off after idleTimeoutSeconds, as one idle between requests would be: checked every second
     * until {@code over}; {@code stalled} runs once when it is cut off.
     */
    ScheduledFuture<?> watchBody(BooleanSupplier over, BooleanSupplier waitingForClient, Runnable stalled) {
        long limit = TimeUnit.SECONDS.toNanos(settings.idleTimeoutSeconds());
        ScheduledFuture<?>[] check = new ScheduledFuture<?>[1];
        check[0] = connection.channel.eventLoop().scheduleAtFixedRate(() -> {
            if (over.getAsBoolean()) {
                check[0].cancel(false);
            } else if (waitingForClient.getAsBoolean() && System.nanoTime() - lastRead > limit) {
                check[0].cancel(false);
                stalled.run();
            }
        }, 1, 1, TimeUnit.SECONDS);
        return check[0];
    }
}
