package io.stratos.lxc.controller.internal;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.agent.AgentCredentials;
import io.stratos.lxc.api.agent.AgentRegistration;
import io.stratos.lxc.api.agent.AgentReport;
import io.stratos.lxc.api.agent.DesiredProcess;
import io.stratos.lxc.api.agent.DesiredState;
import io.stratos.lxc.api.agent.ProcessReport;
import io.stratos.lxc.api.controller.ProcessState;
import io.stratos.lxc.api.controller.Resources;
import io.stratos.lxc.api.controller.VmState;
import io.stratos.lxc.api.iaas.IaasAdapter;
import io.stratos.lxc.api.iaas.VmRef;
import io.stratos.lxc.controller.internal.Model.PartitionEntry;
import io.stratos.lxc.controller.internal.Model.ProcessEntry;
import io.stratos.lxc.controller.internal.Model.SubscriptionEntry;
import io.stratos.lxc.controller.internal.Model.VmEntry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agents' side of the controller: registration, authentication, status reports, and the long polls of the desired
 * state, which are answered when a change of their VM is committed. Called with the controller's lock held, except
 * {@link #authenticates} and {@link #handOver}.
 */
final class AgentChannel {

    private static final Logger LOG = LoggerFactory.getLogger(AgentChannel.class);

    private final ControllerState state;
    private final UnitOfWork unit;
    private final Clock clock;
    private final Supplier<ControllerSettings> settings;
    private final Function<String, IaasAdapter> adapters;
    private final ProcessScheduler scheduler;
    private final RolloutManager rollouts;
    /** By policy name: the application metrics it targets, which its processes' agents scrape and report. */
    private volatile Function<String, List<String>> applicationMetrics = policy -> List.of();
    /** The long polls waiting for a change, by VM id. */
    private final Map<String, List<Waiter>> waiters = new HashMap<>();

    private record Waiter(long since, CompletableFuture<DesiredState> future) {
    }

    AgentChannel(ControllerState state, UnitOfWork unit, Clock clock, Supplier<ControllerSettings> settings,
                 Function<String, IaasAdapter> adapters, ProcessScheduler scheduler, RolloutManager rollouts) {
        this.state = state;
        this.unit = unit;
        this.clock = clock;
        this.settings = settings;
        this.adapters = adapters;
        this.scheduler = scheduler;
        this.rollouts = rollouts;
    }

    /**
     * A join token works once: only while the VM has no agent secret. After that the agent registers with the secret
     * it was given (kept in its data directory), across its own and this controller's restarts (the secret is
     * persisted). A token seen again is refused like a wrong one, and logged: someone else holds it.
     */
    VmEntry register(AgentRegistration registration) {
        if (registration == null || registration.vmId() == null || (registration.joinToken() == null && registration.secret() == null)) {
            throw StratosException.invalid("joinToken", "a registration needs vmId and joinToken (or the agent's secret)", null);
        }
        VmEntry vm = state.vmsById.get(registration.vmId());
        String secret = vm == null ? null : vm.agentSecret;
        boolean bySecret = secret != null && registration.secret() != null && Ids.constantTimeEquals(secret, registration.secret());
        boolean tokenMatches = vm != null && registration.joinToken() != null && Ids.constantTimeEquals(vm.joinToken, registration.joinToken());
        if (!bySecret && !(tokenMatches && secret == null)) {
            if (tokenMatches) {
                LOG.warn("Refused a second registration of VM {} with its join token, which was used already: its agent "
                        + "registers with its secret; if that is lost, issue a new token (stratos:vm-rejoin {})", vm.id, vm.id);
            }
            // The same answer for an unknown VM, a wrong or used token and a wrong secret: tells an attacker nothing.
            throw StratosException.notFound("unknown VM or wrong join token",
                    "an agent registers once with its VM's join token, then with the secret it was given");
        }
        Resources claimed = registration.capacity();
        if (claimed != null && (claimed.cpuMillis() > vm.capacity.cpuMillis() || claimed.memoryMiB() > vm.capacity.memoryMiB())) {
            LOG.warn("Refused the agent of VM {}: it claims {}m/{}MiB, the VM was created with {}m/{}MiB", vm.id,
                    claimed.cpuMillis(), claimed.memoryMiB(), vm.capacity.cpuMillis(), vm.capacity.memoryMiB());
            throw StratosException.invalid("capacity", "VM " + vm.id + " was created with " + vm.capacity.cpuMillis() + "m CPU and "
                            + vm.capacity.memoryMiB() + " MiB; its agent claims " + claimed.cpuMillis() + "m and " + claimed.memoryMiB() + " MiB",
                    "an agent claims at most its VM's capacity (STRATOS_AGENT_CPU_MILLIS, STRATOS_AGENT_MEMORY_MIB), or leaves capacity out");
        }
        PartitionEntry partition = state.partitions.get(vm.partition);
        String address = VmAddresses.check("address", registration.address(), adapters.apply(vm.adapter),
                partition == null ? Map.of() : partition.template);
        if (!bySecret) {
            vm.agentSecret = Ids.randomHex(16);
        }
        if (vm.address != null && !vm.address.equals(address)) {
            LOG.info("VM {} registered with address {} (was {})", vm.id, address, vm.address);
        }
        if (!java.util.Objects.equals(address, vm.address)) {
            state.touchRoutesOnVm(vm.id);
        }
        vm.address = address;
        if (vm.state != VmState.DRAINING && vm.state != VmState.TERMINATING) {
            // a restarted agent of a draining VM does not make it take new processes
            state.setVmState(vm, VmState.READY, "");
        }
        vm.detail = "";
        if (claimed != null && !claimed.equals(vm.capacity)) {
            // The controller keeps the capacity it created the VM with: the agent's word does not change placement.
            LOG.warn("The agent of VM {} says it has {}m/{}MiB, less than the {}m/{}MiB it was created with; placing by the latter",
                    vm.id, claimed.cpuMillis(), claimed.memoryMiB(), vm.capacity.cpuMillis(), vm.capacity.memoryMiB());
        }
        vm.runtimes = registration.runtimes() == null ? List.of() : List.copyOf(registration.runtimes());
        vm.agentVersion = registration.agentVersion();
        vm.cachedImages = registration.cachedImages() == null ? List.of() : List.copyOf(registration.cachedImages());
        vm.lastHeartbeatMillis = clock.millis();
        unit.write(tx -> tx.updateVm(vm));
        unit.bump(vm);
        scheduler.placePending();
        return vm;
    }

    AgentCredentials credentials(VmEntry vm) {
        ControllerSettings s = settings.get();
        return new AgentCredentials(vm.id, vm.agentSecret, Math.max(1, s.agentGracePeriodSeconds() / 6), s.desiredStateLongPollSeconds(),
                s.allowedSources());
    }

    /** A new join token for the VM; its agent's old secret ends. */
    VmEntry rejoin(String vmId, String token) {
        VmEntry vm = vmId == null ? null : state.vmsById.get(vmId);
        if (vm == null) {
            throw StratosException.notFound("no VM '" + vmId + "'", "list them with GET /vms or stratos:vm-list");
        }
        vm.joinToken = token;
        vm.agentSecret = null;
        vm.detail = "waiting for its agent to rejoin with a new join token";
        unit.write(tx -> tx.updateVm(vm));
        unit.bump(vm);
        return vm;
    }

    /** Without the lock (adapters may take seconds): whether the adapter handed the new token to the VM. */
    boolean handOver(VmEntry vm, String token) {
        IaasAdapter adapter = adapters.apply(vm.adapter);
        if (adapter != null && vm.adapterRef != null) {
            try {
                return adapter.handOverJoinToken(new VmRef(vm.id, vm.adapterRef), token);
            } catch (RuntimeException e) {
                LOG.warn("Adapter {} could not hand the new join token to VM {}: {}", vm.adapter, vm.id, e.toString());
            }
        }
        return false;
    }

    /** The desired state at once if it changed since {@code since}; otherwise null, and the future waits for a change. */
    DesiredState poll(String agentId, String secret, long since, CompletableFuture<DesiredState> future) {
        VmEntry vm = authenticate(agentId, secret);
        vm.lastHeartbeatMillis = Math.max(vm.lastHeartbeatMillis, clock.millis());
        if (vm.revision != since) {
            return desiredOf(vm);
        }
        waiters.computeIfAbsent(vm.id, k -> new ArrayList<>()).add(new Waiter(since, future));
        return null;
    }

    /** A long poll that saw no change: it stops waiting and gets the state as it is. */
    DesiredState timedOut(String agentId, long since, CompletableFuture<DesiredState> future) {
        List<Waiter> list = waiters.get(agentId);
        if (list != null) {
            list.removeIf(w -> w.future == future);
        }
        VmEntry vm = state.vmsById.get(agentId);
        return vm == null ? new DesiredState(since, List.of()) : desiredOf(vm);
    }

    /** A committed change of the VM's desired state: its long polls are answered. */
    void answer(VmEntry vm) {
        List<Waiter> list = waiters.remove(vm.id);
        if (list != null && state.vmsById.get(vm.id) == vm) {
            DesiredState desired = desiredOf(vm);
            list.forEach(w -> w.future.complete(desired));
        }
    }

    void report(String agentId, String secret, AgentReport report) {
        VmEntry vm = authenticate(agentId, secret);
        vm.lastHeartbeatMillis = clock.millis();
        vm.cachedImages = report.cachedImages();
        if (report.agentVersion() != null) {
            vm.agentVersion = report.agentVersion();
        }
        if (report.address() != null && !report.address().equals(vm.address)) {
            PartitionEntry partition = state.partitions.get(vm.partition);
            String address = VmAddresses.check("address", report.address(), adapters.apply(vm.adapter),
                    partition == null ? Map.of() : partition.template);
            LOG.info("VM {} now reports address {} (was {})", vm.id, address, vm.address);
            vm.address = address;
            state.touchRoutesOnVm(vm.id);
            unit.write(tx -> tx.updateVm(vm));
        }
        if (vm.state == VmState.LOST) {
            // It came back: its old processes were re-placed, so it starts empty.
            state.setVmState(vm, VmState.READY, "");
            unit.write(tx -> tx.updateVm(vm));
            unit.bump(vm);
        }
        String problem = report.problem() == null || report.problem().isBlank() ? null : Inputs.printable(report.problem(), 300);
        if (problem != null && vm.state == VmState.READY) {
            LOG.warn("VM {} degraded: its agent reports: {}", vm.id, problem);
            state.setVmState(vm, VmState.DEGRADED, problem);
            unit.write(tx -> tx.updateVm(vm));
        } else if (problem != null && vm.state == VmState.DEGRADED) {
            vm.detail = problem;
        } else if (problem == null && vm.state == VmState.DEGRADED) {
            LOG.info("VM {} ready again: its agent reports no problem", vm.id);
            state.setVmState(vm, VmState.READY, "");
            unit.write(tx -> tx.updateVm(vm));
            scheduler.placePending();
        }
        Map<String, ProcessEntry> on = state.processesByVm.get(vm.id);
        if (on == null) {
            return;
        }
        Set<String> touched = null;
        // Most reports change nothing but metrics: the VM's own processes are looked up by id, nothing is copied.
        for (ProcessReport r : report.processes()) {
            ProcessEntry p = on.get(r.processId());
            if (p == null || p.stopping) {
                continue;
            }
            if (p.state != r.state() && p.artifact != 0) {
                if (touched == null) {
                    touched = new HashSet<>();
                }
                touched.add(p.alias);
            }
            boolean observedChanged = p.state != r.state() || p.hostPort != r.hostPort();
            state.setState(p, r.state());
            if (p.hostPort != r.hostPort()) {
                state.touchRoutes(p.alias);
            }
            p.hostPort = r.hostPort();
            if (observedChanged && !unit.insertPending(p)) {
                unit.write(tx -> tx.updateProcessObserved(p));
            }
            p.reason = r.reason() == null ? "" : r.reason();
            if (r.metrics() != null) {
                p.metrics = r.metrics();
            }
        }
        boolean anyStopping = false;
        for (ProcessEntry p : on.values()) {
            anyStopping |= p.stopping;
        }
        if (anyStopping) {
            Map<String, ProcessReport> reported = new HashMap<>();
            for (ProcessReport r : report.processes()) {
                reported.put(r.processId(), r);
            }
            for (ProcessEntry p : new ArrayList<>(on.values())) {
                ProcessReport r = reported.get(p.id);
                if (p.stopping && (r == null || r.state() == ProcessState.STOPPED)) {
                    scheduler.release(p);
                    state.removeProcess(p);
                    unit.write(tx -> tx.deleteProcess(p.id));
                }
            }
        }
        if (touched == null) {
            return;
        }
        for (String alias : touched) {
            // a rollout's next step need not wait for the next reconciliation pass
            SubscriptionEntry s = state.subscriptionsByAlias.get(alias);
            if (s != null) {
                rollouts.rollOut(s);
            }
        }
        scheduler.placePending();
    }

    /** Where the application metrics of a policy are asked for (the autoscaler's answer takes no lock). */
    void applicationMetrics(Function<String, List<String>> names) {
        this.applicationMetrics = names == null ? policy -> List.of() : names;
    }

    /** Without the lock (the REST layer asks for every agent request): a concurrent map and a volatile secret. */
    boolean authenticates(String agentId, String secret) {
        VmEntry vm = agentId == null ? null : state.vmsById.get(agentId);
        String expected = vm == null ? null : vm.agentSecret;
        return expected != null && secret != null && Ids.constantTimeEquals(expected, secret);
    }

    private VmEntry authenticate(String agentId, String secret) {
        if (!authenticates(agentId, secret)) {
            throw StratosException.notFound("unknown agent or wrong credentials", "register again with the VM's join token");
        }
        return state.vmsById.get(agentId);
    }

    private DesiredState desiredOf(VmEntry vm) {
        List<DesiredProcess> desired = new ArrayList<>();
        for (ProcessEntry p : state.processesOnVm(vm.id)) {
            if (!p.stopping || p.drainingSinceMillis >= 0) {
                // a draining process keeps running until its requests have finished
                SubscriptionEntry s = state.subscriptionsByAlias.get(p.alias);
                desired.add(new DesiredProcess(p.id, s.alias, s.cartridge, s.version, s.digest, p.runtime,
                        s.request.cpuMillis(), s.request.memoryMiB(), s.env, s.artifactDigest(p.artifact),
                        s.policy == null ? List.of() : applicationMetrics.apply(s.policy)));
            }
        }
        return new DesiredState(vm.revision, desired);
    }
}
