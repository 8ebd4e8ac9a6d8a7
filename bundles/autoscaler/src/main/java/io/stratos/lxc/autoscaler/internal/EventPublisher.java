package io.stratos.lxc.autoscaler.internal;

import static io.stratos.lxc.api.event.StratosEvents.*;

import io.stratos.lxc.api.autoscaler.ScalingDecision;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The autoscaler's events on EventAdmin: one {@code io/stratos/lxc/scaling/UP|DOWN} per decision it records, in the flat
 * shape of {@link io.stratos.lxc.api.event.StratosEvents}. Posted by a thread of its own, so the autoscaler's pass (and
 * its lock) never waits for EventAdmin; bounded, past {@link #MAX_QUEUED} waiting events new ones are dropped.
 */
final class EventPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);
    static final int MAX_QUEUED = 10_000;

    /** Where events go (EventAdmin.postEvent); null: nowhere. */
    private volatile BiConsumer<String, Map<String, Object>> sink;
    private final ThreadPoolExecutor poster = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS,
            new ArrayBlockingQueue<>(MAX_QUEUED), r -> {
                Thread t = new Thread(r, "stratos-autoscaler-events");
                t.setDaemon(true);
                return t;
            }, (task, executor) -> LOG.debug("scaling event dropped: more than {} waiting", MAX_QUEUED));

    EventPublisher() {
        poster.allowCoreThreadTimeOut(true);
    }

    void sink(BiConsumer<String, Map<String, Object>> sink) {
        this.sink = sink;
    }

    /** The topic and properties of a decision; {@code applied}: whether the controller took it. */
    static Map<String, Object> properties(long millis, ScalingDecision d, boolean applied) {
        Map<String, Object> e = new HashMap<>();
        e.put(TYPE, TYPE_SCALING);
        e.put(TIMESTAMP, millis);
        e.put(DIRECTION, d.to() < d.from() ? "down" : "up");
        e.put(LEVEL, d.level().name().toLowerCase(Locale.ROOT));
        e.put(TARGET, d.target());
        e.put(d.level() == ScalingDecision.Level.SUBSCRIPTION ? ALIAS : PARTITION, d.target());
        e.put(POLICY, d.policy() == null ? "" : d.policy());
        e.put(FROM, d.from());
        e.put(TO, d.to());
        e.put(APPLIED, applied);
        e.put(REASON, d.reason() == null ? "" : d.reason());
        // flat: one Double per metric the decision was based on
        if (d.metrics() != null) {
            d.metrics().forEach((name, value) -> {
                if (value != null) {
                    e.put("metric." + name, value);
                }
            });
        }
        return e;
    }

    static String topic(ScalingDecision d) {
        return d.to() < d.from() ? SCALING_DOWN : SCALING_UP;
    }

    void decided(long millis, ScalingDecision decision, boolean applied) {
        BiConsumer<String, Map<String, Object>> to = sink;
        if (to == null) {
            return;
        }
        Map<String, Object> properties = properties(millis, decision, applied);
        String topic = topic(decision);
        poster.execute(() -> {
            try {
                to.accept(topic, properties);
            } catch (RuntimeException e) {
                LOG.debug("posting {} failed", topic, e);
            }
        });
    }

    void close() {
        poster.shutdownNow();
    }
}
