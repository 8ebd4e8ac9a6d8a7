package io.stratos.lxc.router.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A connection after its upgrade (a WebSocket's 101): HTTP is off both pipelines, bytes go both ways as they come,
 * each side read only while the other can take more, and a drain of the backend's process closes both after
 * {@code drainTimeoutSeconds}: the upgraded connection holds its backend in flight, but not for ever.
 */
final class UpgradedRelay {

    /** The router's category, as for the exchange it came from: log settings name it. */
    private static final Logger LOG = LoggerFactory.getLogger(RouterServer.class);

    private final Channel client;
    private final Channel backendChannel;
    private final ScheduledFuture<?> drainCheck;

    /** Takes the HTTP handlers off both connections (the 101 is written by now) and relays from here on. */
    UpgradedRelay(ClientConnection connection, Channel backendChannel, Backend backend, String alias, int drainTimeoutSeconds) {
        this.client = connection.channel;
        this.backendChannel = backendChannel;
        connection.timer.cancel();
        client.pipeline().remove("continue");
        client.pipeline().remove("timer");
        client.pipeline().remove("codec");
        backendChannel.pipeline().remove("idle");
        backendChannel.pipeline().remove("codec");
        client.config().setAutoRead(backendChannel.isWritable());
        backendChannel.config().setAutoRead(client.isWritable());
        long limit = TimeUnit.SECONDS.toNanos(drainTimeoutSeconds);
        drainCheck = client.eventLoop().scheduleAtFixedRate(() -> {
            if (backend.retiredForNanos(System.nanoTime()) >= limit) {
                LOG.info("closing an upgraded connection to draining {} of '{}' after {} s", backend, alias, drainTimeoutSeconds);
                backendChannel.close();
                client.close();
            }
        }, 1, 1, TimeUnit.SECONDS);
    }

    /** Bytes from the client, to the backend; the client is read no further while the backend cannot take more. */
    void toBackend(ByteBuf bytes) {
        if (!backendChannel.isActive()) {
            bytes.release();
            return;
        }
        backendChannel.writeAndFlush(bytes);
        if (!backendChannel.isWritable()) {
            client.config().setAutoRead(false);
        }
    }

    void end() {
        drainCheck.cancel(false);
    }
}
