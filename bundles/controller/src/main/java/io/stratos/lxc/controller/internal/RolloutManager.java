package io.stratos.lxc.controller.internal;

import io.stratos.lxc.api.artifact.ArtifactVersion;
import io.stratos.lxc.api.controller.ProcessState;
import io.stratos.lxc.api.event.StratosEvents;
import io.stratos.lxc.controller.internal.Model.ArtifactEntry;
import io.stratos.lxc.controller.internal.Model.ProcessEntry;
import io.stratos.lxc.controller.internal.Model.SubscriptionEntry;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rolling updates of a subscription's artifact version, one process at a time, and the rollback of a version that fails.
 * Called with the controller's lock held.
 */
final class RolloutManager {

    private static final Logger LOG = LoggerFactory.getLogger(RolloutManager.class);

    private final ControllerState state;
    private final UnitOfWork unit;
    private final Clock clock;
    private final Supplier<ControllerSettings> settings;
    private final ProcessScheduler scheduler;

    RolloutManager(ControllerState state, UnitOfWork unit, Clock clock, Supplier<ControllerSettings> settings,
                   ProcessScheduler scheduler) {
        this.state = state;
        this.unit = unit;
        this.clock = clock;
        this.settings = settings;
        this.scheduler = scheduler;
    }

    private boolean rollingOut(SubscriptionEntry s, List<ProcessEntry> live) {
        return s.desiredArtifact != s.deployedArtifact || live.stream().anyMatch(p -> p.artifact != s.desiredArtifact);
    }

    /** The same question without copying the live processes: asked for every subscription in every pass. */
    private boolean rollingOut(SubscriptionEntry s) {
        return s.desiredArtifact != s.deployedArtifact || runsAnotherArtifact(s, false);
    }

    /** Whether a process that is not stopping runs another artifact than the desired one (those on draining VMs too, or not). */
    private boolean runsAnotherArtifact(SubscriptionEntry s, boolean onDrainingVms) {
        Map<String, ProcessEntry> own = state.processesByAlias.get(s.alias);
        if (own != null) {
            for (ProcessEntry p : own.values()) {
                if (p.artifact != s.desiredArtifact && !p.stopping && (onDrainingVms || !state.onDrainingVm(p))) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * One step of a rolling update, at most: while a process of the desired version is on its way up, wait (or stop
     * the rollout if it failed or took longer than rolloutHealthTimeoutSeconds); once it serves, take one process of
     * an older version out (through the drain, so its requests finish); then start the next new one. So the
     * subscription never serves with fewer than its desired processes, and at most one more.
     */
    void rollOut(SubscriptionEntry s) {
        if (!rollingOut(s)) {
            return;
        }
        List<ProcessEntry> live = state.processesOf(s.alias).stream().filter(p -> !p.stopping && !state.onDrainingVm(p)).toList();
        if (!rollingOut(s, live)) {
            return;
        }
        List<ProcessEntry> fresh = live.stream().filter(p -> p.artifact == s.desiredArtifact).toList();
        List<ProcessEntry> old = live.stream().filter(p -> p.artifact != s.desiredArtifact).toList();
        long timeout = TimeUnit.SECONDS.toMillis(settings.get().rolloutHealthTimeoutSeconds());
        long now = clock.millis();
        for (ProcessEntry p : fresh) {
            boolean failed = p.state == ProcessState.FAILED;
            boolean late = p.state != ProcessState.RUNNING && p.vmId != null && now - p.createdMillis > timeout;
            if ((failed || late) && s.desiredArtifact != s.deployedArtifact) {
                rollBack(s, p, failed ? p.reason : "not healthy after " + settings.get().rolloutHealthTimeoutSeconds() + " s"
                        + (p.reason == null || p.reason.isEmpty() ? "" : " (" + p.reason + ")"));
                return;
            }
        }
        if (fresh.stream().anyMatch(p -> p.state != ProcessState.RUNNING)) {
            return; // the new one is on its way
        }
        if (old.isEmpty()) {
            if (s.desiredArtifact != s.deployedArtifact) {
                finishRollout(s);
            }
            return;
        }
        if (live.size() > s.desiredProcesses) {
            // the new one serves: take out an old one (not serving ones first)
            ProcessEntry leaving = old.stream().min(Comparator.comparing((ProcessEntry p) -> p.state == ProcessState.RUNNING)).orElseThrow();
            scheduler.stop(leaving, "replaced by artifact version " + s.desiredArtifact);
            progress(s, fresh.size(), live.size() - 1);
        } else {
            scheduler.addProcess(s);
            progress(s, fresh.size(), live.size());
        }
    }

    private void progress(SubscriptionEntry s, int updated, int total) {
        ArtifactEntry target = s.artifact(s.desiredArtifact);
        if (target != null && ArtifactVersion.ROLLING_OUT.equals(target.state)) {
            target.reason = updated + " of " + total + " processes updated";
            unit.write(tx -> tx.updateArtifact(s.alias, target));
        }
        state.events.rollout(StratosEvents.ROLLOUT_PROGRESS, s, s.desiredArtifact, s.deployedArtifact, updated, total,
                updated + " of " + total + " processes updated");
    }

    private void finishRollout(SubscriptionEntry s) {
        ArtifactEntry before = s.artifact(s.deployedArtifact);
        if (before != null && ArtifactVersion.DEPLOYED.equals(before.state)) {
            before.state = ArtifactVersion.SUPERSEDED;
            before.reason = "replaced by version " + s.desiredArtifact;
            unit.write(tx -> tx.updateArtifact(s.alias, before));
        }
        ArtifactEntry now = s.artifact(s.desiredArtifact);
        if (now != null) {
            now.state = ArtifactVersion.DEPLOYED;
            now.reason = "";
            unit.write(tx -> tx.updateArtifact(s.alias, now));
        }
        int previous = s.deployedArtifact;
        s.deployedArtifact = s.desiredArtifact;
        unit.write(tx -> tx.updateArtifactVersions(s));
        state.events.rollout(StratosEvents.ROLLOUT_FINISHED, s, s.desiredArtifact, previous, -1, -1,
                "artifact version " + s.desiredArtifact + " serves on every process");
        LOG.info("Subscription {}: artifact version {} serves on every process", s.alias, s.desiredArtifact);
    }

    /**
     * The new version failed: it is marked FAILED with the reason and the previous version becomes the desired one
     * again, so the same rolling machinery replaces whatever already runs the failed version, one by one. The failed
     * process itself never served: it stops at once.
     */
    private void rollBack(SubscriptionEntry s, ProcessEntry failed, String reason) {
        ArtifactEntry bad = s.artifact(s.desiredArtifact);
        String why = "process " + failed.id + ": " + reason + "; rolled back to version " + s.deployedArtifact;
        if (bad != null) {
            bad.state = ArtifactVersion.FAILED;
            bad.reason = why;
            unit.write(tx -> tx.updateArtifact(s.alias, bad));
        }
        LOG.warn("Subscription {}: rollout of artifact version {} stopped: {}", s.alias, s.desiredArtifact, why);
        state.events.rollout(StratosEvents.ROLLOUT_ROLLED_BACK, s, s.desiredArtifact, s.deployedArtifact, -1, -1, why);
        s.desiredArtifact = s.deployedArtifact;
        unit.write(tx -> tx.updateArtifactVersions(s));
        for (ProcessEntry p : state.processesOf(s.alias)) {
            if (!p.stopping && p.artifact != s.desiredArtifact && p.state != ProcessState.RUNNING) {
                scheduler.stop(p, "its artifact version failed to roll out");
            }
        }
    }

    /** ROLLING_OUT, FAILED (the latest version failed) or IDLE. */
    String rolloutState(SubscriptionEntry s) {
        if (s.desiredArtifact != s.deployedArtifact || runsAnotherArtifact(s, true)) {
            return "ROLLING_OUT";
        }
        ArtifactEntry latest = s.artifacts.isEmpty() ? null : s.artifacts.get(s.artifacts.size() - 1);
        return latest != null && ArtifactVersion.FAILED.equals(latest.state) ? "FAILED" : "IDLE";
    }
}
