package io.stratos.lxc.controller.internal;

import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * One kind of failure that repeats for many VMs and every reconciliation pass (an adapter that cannot create VMs):
 * the first is logged in full, then a summary at most once per interval while VMs still fail, and one line once
 * none does. A fuzz run logged 9,493 warnings in 10 s without it. Its methods are called under the controller's
 * lock or from the reconciliation thread; they synchronise on this object anyway.
 */
final class FailureSummary {

    private final String what;
    private final Clock clock;
    private final Duration every;
    private final Consumer<String> warn;
    private final Consumer<String> info;
    private final Set<String> failing = new HashSet<>();
    private String lastReason = "";
    private long lastLoggedMillis;

    /** @param what says what fails, e.g. "Adapter local creating VMs" */
    FailureSummary(String what, Clock clock, Duration every, Consumer<String> warn, Consumer<String> info) {
        this.what = what;
        this.clock = clock;
        this.every = every;
        this.warn = warn;
        this.info = info;
    }

    synchronized void failed(String vmId, String reason) {
        lastReason = reason;
        long now = clock.millis();
        if (failing.isEmpty()) {
            failing.add(vmId);
            lastLoggedMillis = now;
            warn.accept(what + " failed for VM " + vmId + ": " + reason + " (repeats are summarised every "
                    + every.toSeconds() + " s)");
            return;
        }
        failing.add(vmId);
        if (now - lastLoggedMillis >= every.toMillis()) {
            lastLoggedMillis = now;
            warn.accept(what + " still failing: " + String.format("%,d", failing.size()) + " VMs, last reason: " + reason);
        }
    }

    synchronized void succeeded(String vmId) {
        if (failing.remove(vmId) && failing.isEmpty()) {
            info.accept(what + " works again (last failure: " + lastReason + ")");
        }
    }

    /** Forgets the VMs the controller no longer has: they are no longer failing. */
    synchronized void retain(Set<String> vmIds) {
        failing.retainAll(vmIds);
    }

    synchronized int failing() {
        return failing.size();
    }
}
