package io.stratos.lxc.controller.internal;

import static io.stratos.lxc.api.event.StratosEvents.*;

import io.stratos.lxc.api.controller.ProcessState;
import io.stratos.lxc.api.controller.VmState;
import io.stratos.lxc.controller.internal.Model.ArtifactEntry;
import io.stratos.lxc.controller.internal.Model.ProcessEntry;
import io.stratos.lxc.controller.internal.Model.SubscriptionEntry;
import io.stratos.lxc.controller.internal.Model.VmEntry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's events on EventAdmin ({@link io.stratos.lxc.api.event.StratosEvents}): process and VM state changes
 * and rollout phases. They are collected under the controller's lock while an operation changes its state, handed over
 * only when its {@link UnitOfWork} commits (dropped when it fails: memory is then reloaded) and posted by a thread of
 * their own, so neither the lock nor a commit ever waits for EventAdmin or its handlers. While nothing listens (no
 * EventAdmin) nothing is even built. Bounded: past {@link #MAX_QUEUED} events waiting, new ones are dropped and counted.
 */
final class EventPublisher {

    private static final Logger LOG = LoggerFactory.getLogger(EventPublisher.class);
    /** Events held for one commit, and events waiting to be posted: a fleet-wide change must not fill the heap. */
    static final int MAX_QUEUED = 10_000;

    /** One event of the current operation: its properties are built when the operation commits. */
    private record Pending(String topic, Supplier<Map<String, Object>> properties) {
    }

    private final Clock clock;
    /** Where events go (EventAdmin.postEvent); null while there is no EventAdmin. */
    private volatile BiConsumer<String, Map<String, Object>> sink;
    private volatile BooleanSupplier listening = () -> true;
    /** The current operation's events: touched only under the controller's lock. */
    private final List<Pending> pending = new ArrayList<>();
    private final AtomicLong dropped = new AtomicLong();
    private final ThreadPoolExecutor poster;

    EventPublisher(Clock clock) {
        this.clock = clock;
        this.poster = new ThreadPoolExecutor(1, 1, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(MAX_QUEUED), r -> {
            Thread t = new Thread(r, "stratos-controller-events");
            t.setDaemon(true);
            return t;
        }, (task, executor) -> drop());
        poster.allowCoreThreadTimeOut(true);
    }

    /** Where events go, and whether anything takes them now (else nothing is recorded). */
    void sink(BiConsumer<String, Map<String, Object>> sink, BooleanSupplier listening) {
        this.sink = sink;
        this.listening = listening;
    }

    private boolean listening() {
        return sink != null && listening.getAsBoolean();
    }

    /** Events not posted because too many were waiting (for the tests and the log). */
    long dropped() {
        return dropped.get();
    }

    private void drop() {
        // the first, then one line per 100,000: a fleet-wide change must not flood the log either
        if (dropped.getAndIncrement() % 100_000 == 0) {
            LOG.warn("EventAdmin events dropped: more than {} waiting ({} so far)", MAX_QUEUED, dropped.get());
        }
    }

    // ---- recorded under the controller's lock ----------------------------------------------------
    // The states are taken when they change; the rest (reason, VM) when the operation commits: the operation sets a
    // process's reason after its state, and the event must say why.

    /** A process entered {@code now} (from {@code previous}; null for a new process). */
    void process(ProcessEntry p, ProcessState previous, SubscriptionEntry s, VmEntry vm) {
        if (!listening()) {
            return;
        }
        ProcessState now = p.state;
        add(processTopic(now.name()), () -> {
            Map<String, Object> e = processProperties(p, s, vm);
            e.put(STATE, now.name());
            e.put(PREVIOUS_STATE, previous == null ? "" : previous.name());
            return e;
        });
    }

    /** A process is gone from the controller. */
    void processRemoved(ProcessEntry p, SubscriptionEntry s, VmEntry vm) {
        if (!listening()) {
            return;
        }
        ProcessState last = p.state;
        add(PROCESS_REMOVED, () -> {
            Map<String, Object> e = processProperties(p, s, vm);
            e.put(STATE, "REMOVED");
            e.put(PREVIOUS_STATE, last.name());
            return e;
        });
    }

    private static Map<String, Object> processProperties(ProcessEntry p, SubscriptionEntry s, VmEntry vm) {
        Map<String, Object> e = base(TYPE_PROCESS);
        e.put(PROCESS_ID, p.id);
        e.put(ALIAS, p.alias);
        if (s != null) {
            e.put(TENANT, s.tenant);
            e.put(CARTRIDGE, s.cartridge);
            e.put(CARTRIDGE_VERSION, s.version);
        }
        e.put(ARTIFACT_VERSION, p.artifact);
        String vmId = p.vmId != null ? p.vmId : vm != null ? vm.id : "";
        e.put(VM_ID, vmId);
        e.put(PARTITION, vm == null ? "" : vm.partition);
        e.put(REASON, p.reason == null ? "" : p.reason);
        return e;
    }

    /** A VM entered its state (from {@code previous}; null for a new VM). */
    void vm(VmEntry vm, VmState previous) {
        if (!listening()) {
            return;
        }
        VmState now = vm.state;
        add(vmTopic(now.name()), () -> {
            Map<String, Object> e = vmProperties(vm);
            e.put(STATE, now.name());
            e.put(PREVIOUS_STATE, previous == null ? "" : previous.name());
            return e;
        });
    }

    /** A VM is gone from the controller. */
    void vmRemoved(VmEntry vm) {
        if (!listening()) {
            return;
        }
        VmState last = vm.state;
        add(VM_REMOVED, () -> {
            Map<String, Object> e = vmProperties(vm);
            e.put(STATE, "REMOVED");
            e.put(PREVIOUS_STATE, last.name());
            return e;
        });
    }

    private static Map<String, Object> vmProperties(VmEntry vm) {
        Map<String, Object> e = base(TYPE_VM);
        e.put(VM_ID, vm.id);
        e.put(PARTITION, vm.partition);
        e.put(ADAPTER, vm.adapter);
        e.put(REASON, vm.detail == null ? "" : vm.detail);
        return e;
    }

    /**
     * A rollout phase (a ROLLOUT_ topic) of artifact {@code version}; {@code updated} and {@code total} count processes
     * (-1: not counted). Taken at once: the subscription's versions change in the same operation.
     */
    void rollout(String topic, SubscriptionEntry s, int version, int previousVersion, int updated, int total, String reason) {
        if (!listening()) {
            return;
        }
        Map<String, Object> e = base(TYPE_ROLLOUT);
        e.put(ALIAS, s.alias);
        e.put(TENANT, s.tenant);
        e.put(CARTRIDGE, s.cartridge);
        e.put(CARTRIDGE_VERSION, s.version);
        e.put(ARTIFACT_VERSION, version);
        e.put(PREVIOUS_ARTIFACT_VERSION, previousVersion);
        ArtifactEntry artifact = s.artifact(version);
        e.put(DIGEST, artifact == null ? "" : artifact.digest);
        e.put(STATE, topic.substring(ROLLOUT_PREFIX.length()));
        if (updated >= 0) {
            e.put(UPDATED, updated);
            e.put(TOTAL, total);
        }
        e.put(REASON, reason == null ? "" : reason);
        add(topic, () -> e);
    }

    private static Map<String, Object> base(String type) {
        Map<String, Object> e = new HashMap<>();
        e.put(TYPE, type);
        return e;
    }

    private void add(String topic, Supplier<Map<String, Object>> properties) {
        if (pending.size() >= MAX_QUEUED) {
            drop();
            return;
        }
        pending.add(new Pending(topic, properties));
    }

    // ---- the commit boundary ---------------------------------------------------------------------

    /** The operation committed: its events go to the posting thread, stamped with the commit's time. */
    void committed() {
        if (pending.isEmpty()) {
            return;
        }
        long now = clock.millis();
        for (Pending p : pending) {
            Map<String, Object> properties = p.properties().get();
            properties.put(TIMESTAMP, now);
            poster.execute(() -> post(p.topic(), properties));
        }
        pending.clear();
    }

    /** The operation did not commit (or the state is being reloaded): what it recorded never happened. */
    void discard() {
        pending.clear();
    }

    /** Something already done outside the lock (a LOST VM destroyed): posted as it is, stamped now. */
    void postCommitted(String topic, String type, Map<String, Object> properties) {
        if (!listening()) {
            return;
        }
        Map<String, Object> e = new HashMap<>(properties);
        e.put(TYPE, type);
        e.put(TIMESTAMP, clock.millis());
        poster.execute(() -> post(topic, e));
    }

    private void post(String topic, Map<String, Object> properties) {
        BiConsumer<String, Map<String, Object>> to = sink;
        if (to == null) {
            return;
        }
        try {
            to.accept(topic, properties);
        } catch (RuntimeException e) {
            LOG.debug("posting {} failed", topic, e);
        }
    }

    void close() {
        poster.shutdownNow();
    }
}
