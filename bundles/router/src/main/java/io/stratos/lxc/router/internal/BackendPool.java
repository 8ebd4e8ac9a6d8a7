package io.stratos.lxc.router.internal;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keep-alive connections to backends, one small pool per event loop and backend. Our own rather than
 * Netty's FixedChannelPool/SimpleChannelPool: those hand out a channel of whatever loop connected it, so
 * the inbound and outbound channels of one request would run on two threads and every relay would hop
 * between them. Here a request only ever gets a connection of its own client's loop, and each loop's
 * pool is touched by that loop alone, so nothing is locked.
 */
final class BackendPool {

    /** Idle connections kept per backend and loop; more are closed when released. */
    private static final int MAX_IDLE = 64;

    interface Acquired {
        void ready(Channel channel, boolean reused);

        void failed(Throwable cause);
    }

    private final Bootstrap template;
    /** The template bound to each loop, made once: a clone per connect showed in the profile under wrk. */
    private final Map<EventLoop, Bootstrap> bootstraps = new ConcurrentHashMap<>();
    private final Map<EventLoop, Map<String, ArrayDeque<Channel>>> idle = new ConcurrentHashMap<>();

    BackendPool(Bootstrap template) {
        this.template = template;
    }

    /** On {@code loop}: an idle connection to the backend (unless {@code fresh}), else a new one. */
    void acquire(EventLoop loop, Backend backend, boolean fresh, Acquired acquired) {
        if (!fresh) {
            ArrayDeque<Channel> channels = idle(loop).get(backend.key());
            Channel channel;
            while (channels != null && (channel = channels.pollLast()) != null) {
                if (channel.isActive()) {
                    acquired.ready(channel, true);
                    return;
                }
                channel.close();
            }
        }
        ChannelFuture connect = bootstraps.computeIfAbsent(loop, template::clone).connect(backend.address());
        connect.addListener(f -> {
            if (f.isSuccess()) {
                Channel channel = connect.channel();
                Map<String, ArrayDeque<Channel>> pooled = idle(loop);
                // a connection the backend closes while pooled leaves the pool at once
                channel.closeFuture().addListener(c -> {
                    ArrayDeque<Channel> channels = pooled.get(backend.key());
                    if (channels != null) {
                        channels.remove(channel);
                    }
                });
                acquired.ready(channel, false);
            } else {
                acquired.failed(f.cause());
            }
        });
    }

    /** Back into the pool, on its own loop; a closed one, or one too many, is dropped. */
    void release(Backend backend, Channel channel) {
        EventLoop loop = channel.eventLoop();
        if (!channel.isActive()) {
            return;
        }
        ArrayDeque<Channel> channels = idle(loop).computeIfAbsent(backend.key(), k -> new ArrayDeque<>());
        if (channels.size() >= MAX_IDLE) {
            channel.close();
            return;
        }
        channels.addLast(channel);
    }

    private Map<String, ArrayDeque<Channel>> idle(EventLoop loop) {
        return idle.computeIfAbsent(loop, l -> new HashMap<>());
    }
}
