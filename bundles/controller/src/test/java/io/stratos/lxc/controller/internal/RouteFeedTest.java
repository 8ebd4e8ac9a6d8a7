package io.stratos.lxc.controller.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratos.lxc.api.agent.AgentCredentials;
import io.stratos.lxc.api.agent.AgentReport;
import io.stratos.lxc.api.agent.ProcessReport;
import io.stratos.lxc.api.controller.ProcessMetrics;
import io.stratos.lxc.api.controller.ProcessState;
import io.stratos.lxc.api.controller.SubscriptionSpec;
import io.stratos.lxc.api.router.Route;
import io.stratos.lxc.api.router.RouteChanges;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What routers that run apart from the controller learn: each alias's RUNNING processes at their endpoints. */
class RouteFeedTest extends ControllerFixture {

    private RouteChanges changesAfter(long revision) throws Exception {
        return core.changesAfter(revision).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    private void report(AgentCredentials agent, ProcessState state, int hostPort) {
        List<ProcessReport> reports = core.processes().stream()
                .filter(p -> agent.agentId().equals(p.vmId()))
                .map(p -> new ProcessReport(p.id(), state, hostPort, "", ProcessMetrics.NONE)).toList();
        core.report(agent.agentId(), agent.secret(), new AgentReport(0, reports, List.of()));
    }

    @Test
    void aFirstAskGetsEveryAliasWithItsRunningProcessesAtTheirEndpoints() throws Exception {
        AgentCredentials agent = readyVms(1).get(0);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 1, 5, null));
        core.subscribe("alice", new SubscriptionSpec("idle", "static-httpd", null, null, 1, 5, null));
        core.reconcile();
        report(agent, ProcessState.RUNNING, 20001);

        RouteChanges all = changesAfter(0);

        assertThat(all.complete()).isTrue();
        assertThat(all.aliases()).containsOnlyKeys("hello", "idle");
        String helloProcess = core.processes("hello").get(0).id();
        assertThat(all.aliases().get("hello")).containsExactly(new Route(helloProcess, "10.214.0.2:20001"));
    }

    @Test
    void aWaitingRouterIsAnsweredAtTheCommitWithJustTheAliasesThatChanged() throws Exception {
        AgentCredentials agent = readyVms(1).get(0);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 1, 5, null));
        core.subscribe("alice", new SubscriptionSpec("other", "static-httpd", null, null, 1, 5, null));
        core.reconcile();
        long known = changesAfter(0).revision();

        CompletableFuture<RouteChanges> waiting = core.changesAfter(known).toCompletableFuture();
        assertThat(waiting).isNotDone();
        assertThat(core.routeWaiters()).isEqualTo(1);

        core.scale("hello", 2);
        RouteChanges changed = waiting.get(5, TimeUnit.SECONDS);

        assertThat(changed.complete()).isFalse();
        assertThat(changed.revision()).isGreaterThan(known);
        assertThat(changed.aliases()).containsOnlyKeys("hello");
        assertThat(core.routeWaiters()).isZero();
    }

    @Test
    void aProcessThatStopsRunningOrMovesLeavesTheRoutesAndARemovedAliasIsSaidToBeGone() throws Exception {
        AgentCredentials agent = readyVms(1).get(0);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 1, 5, null));
        core.reconcile();
        report(agent, ProcessState.RUNNING, 20001);
        long running = changesAfter(0).revision();

        report(agent, ProcessState.RUNNING, 20005);
        RouteChanges moved = changesAfter(running);
        assertThat(moved.aliases().get("hello")).extracting(Route::endpoint).containsExactly("10.214.0.2:20005");

        report(agent, ProcessState.FAILED, 0);
        RouteChanges failed = changesAfter(moved.revision());
        assertThat(failed.aliases().get("hello")).isEmpty();

        core.unsubscribe("hello");
        RouteChanges gone = changesAfter(failed.revision());
        assertThat(gone.removed()).containsExactly("hello");
        assertThat(gone.aliases()).isEmpty();
    }

    @Test
    void aStatusReportThatChangesNothingRoutedWakesNoRouter() throws Exception {
        AgentCredentials agent = readyVms(1).get(0);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 1, 5, null));
        core.reconcile();
        report(agent, ProcessState.RUNNING, 20001);
        long known = changesAfter(0).revision();

        CompletableFuture<RouteChanges> waiting = core.changesAfter(known).toCompletableFuture();
        report(agent, ProcessState.RUNNING, 20001);

        assertThat(waiting).isNotDone();
    }

    @Test
    void aControllerThatLoadsTheStateRoutesToWhatTheAgentsLastReportedRunningBeforeTheyReportAgain() throws Exception {
        AgentCredentials agent = readyVms(1).get(0);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 2, 5, null));
        core.reconcile();
        List<String> processes = core.processes("hello").stream().map(p -> p.id()).toList();
        report(agent, ProcessState.RUNNING, 20001);
        String failed = processes.get(1);
        core.report(agent.agentId(), agent.secret(), new AgentReport(0, List.of(
                new ProcessReport(processes.get(0), ProcessState.RUNNING, 20001, "", ProcessMetrics.NONE),
                new ProcessReport(failed, ProcessState.FAILED, 0, "exited", ProcessMetrics.NONE)), List.of()));

        core = newCore(); // a restart, or a standby taking over: nothing reported to it yet

        assertThat(changesAfter(0).aliases().get("hello")).containsExactly(new Route(processes.get(0), "10.214.0.2:20001"));
        assertThat(core.processes("hello")).filteredOn(p -> p.id().equals(failed))
                .extracting(p -> p.state()).containsExactly(ProcessState.STARTING);
    }

    @Test
    void aRevisionFromBeforeARestartGetsEveryAliasAgain() throws Exception {
        readyVms(1);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 1, 5, null));
        long before = changesAfter(0).revision();

        clock.millis += 1_000;
        core = newCore();
        RouteChanges after = changesAfter(before);

        assertThat(after.complete()).isTrue();
        assertThat(after.aliases()).containsOnlyKeys("hello");
    }

    @Test
    void aStandbysRefreshTellsItsRoutersOnlyTheAliasesWhoseRoutesChanged() throws Exception {
        AgentCredentials agent = readyVms(1).get(0);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 1, 5, null));
        core.subscribe("alice", new SubscriptionSpec("other", "static-httpd", null, null, 1, 5, null));
        core.reconcile();
        report(agent, ProcessState.RUNNING, 20001);
        ControllerCore standby = newCore(); // a second controller on the same database
        long known = standby.changesAfter(0).toCompletableFuture().get(5, TimeUnit.SECONDS).revision();

        standby.refresh(); // nothing changed in the database
        assertThat(standby.revision()).isEqualTo(known);

        core.subscribe("alice", new SubscriptionSpec("third", "static-httpd", null, null, 1, 5, null));
        core.unsubscribe("other");
        standby.refresh();
        RouteChanges changed = standby.changesAfter(known).toCompletableFuture().get(5, TimeUnit.SECONDS);

        assertThat(changed.complete()).isFalse();
        assertThat(changed.aliases()).containsOnlyKeys("third");
        assertThat(changed.removed()).containsExactly("other");
    }

    @Test
    void aRouterTooFarBehindTheKeptChangesGetsEveryAlias() {
        RouteLog log = new RouteLog(1000);
        RouteLog.View view = new RouteLog.View(alias -> List.of(), () -> List.of("a", "b"));
        log.publish(java.util.Set.of("a"), view);
        long afterA = log.revision();
        for (int i = 0; i <= RouteLog.CAPACITY; i++) {
            log.publish(java.util.Set.of("b"), view);
        }

        assertThat(log.changesAfter(afterA, view).complete()).isTrue();
        assertThat(log.changesAfter(log.revision() - 1, view).aliases()).containsOnlyKeys("b");
        assertThat(log.changesAfter(log.revision(), view)).isNull();
    }
}
