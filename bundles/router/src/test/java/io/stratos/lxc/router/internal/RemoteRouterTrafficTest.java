package io.stratos.lxc.router.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratos.lxc.api.autoscaler.AutoscalePolicy;
import io.stratos.lxc.api.router.RouteChanges;
import io.stratos.lxc.api.router.RouteFeed;
import io.stratos.lxc.api.router.RouterReport;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What the routers apart from the controller report reaches the autoscaler as requests in flight per process. */
class RemoteRouterTrafficTest {

    private final AtomicLong now = new AtomicLong(1_000_000);
    private final RemoteRouterTraffic traffic = new RemoteRouterTraffic(now::get);

    @Test
    void theRoutersSharesOfAnAliasAddUp() {
        traffic.report("edge1@10.0.0.7:8280", Map.of("shop", 1.5, "blog", 0.5));
        traffic.report("edge2@10.0.0.8:8280", Map.of("shop", 2.0));

        assertThat(traffic.value("shop", AutoscalePolicy.REQUESTS_IN_FLIGHT)).hasValue(3.5);
        assertThat(traffic.value("blog", AutoscalePolicy.REQUESTS_IN_FLIGHT)).hasValue(0.5);
        assertThat(traffic.value("quiet", AutoscalePolicy.REQUESTS_IN_FLIGHT)).as("reporting routers have none of it").hasValue(0);
        assertThat(traffic.value("shop", AutoscalePolicy.CPU_PERCENT)).isEmpty();
    }

    @Test
    void aNewReportReplacesTheRoutersLastAndAStaleOneCountsForNothing() {
        traffic.report("edge1", Map.of("shop", 4.0));
        traffic.report("edge1", Map.of("shop", 1.0));
        assertThat(traffic.value("shop", AutoscalePolicy.REQUESTS_IN_FLIGHT)).hasValue(1.0);

        now.addAndGet(RemoteRouterTraffic.FRESH_MILLIS + 1);

        assertThat(traffic.value("shop", AutoscalePolicy.REQUESTS_IN_FLIGHT)).as("no router reports: not known here").isEmpty();
        assertThat(traffic.reporting()).isZero();
    }

    @Test
    void routersBeyondTheBoundAreRefusedUntilStaleOnesMakeRoom() {
        for (int i = 0; i < RemoteRouterTraffic.MAX_ROUTERS; i++) {
            traffic.report("edge" + i, Map.of());
        }
        assertThatThrownBy(() -> traffic.report("one-too-many", Map.of())).hasMessageContaining("more than 1000 routers");

        now.addAndGet(RemoteRouterTraffic.FRESH_MILLIS + 1);
        traffic.report("one-too-many", Map.of("shop", 1.0));
        assertThat(traffic.reporting()).isEqualTo(1);
    }

    // ---- scale to zero and drains

    private final AtomicLong revision = new AtomicLong(10);

    private RemoteRouterTraffic withFeed() {
        traffic.routes = new RouteFeed() {
            @Override
            public CompletionStage<RouteChanges> changesAfter(long since) {
                throw new UnsupportedOperationException();
            }

            @Override
            public long revision() {
                return revision.get();
            }
        };
        return traffic;
    }

    @Test
    void theAliasesARouterGotRequestsForMarkTheirLastRequest() {
        traffic.report(new RouterReport("edge1", Map.of(), List.of("shop"), 0, Map.of()));

        assertThat(traffic.lastRequestMillis("shop")).hasValue(now.get());
        assertThat(traffic.lastRequestMillis("blog")).isEmpty();
    }

    @Test
    void aProcessIsDrainedOnceEveryReportingRouterHasTheRouteWithoutItAndNothingInFlightToIt() {
        withFeed();
        traffic.report(new RouterReport("edge1", Map.of(), List.of(), 10, Map.of("p-1", 1)));
        traffic.report(new RouterReport("edge2", Map.of(), List.of(), 9, Map.of()));
        revision.set(11); // the process left at revision 11

        assertThat(traffic.drained("shop", "p-1")).as("the first call never answers true").isFalse();
        assertThat(traffic.drained("shop", "p-1")).as("both routers are behind").isFalse();

        traffic.report(new RouterReport("edge1", Map.of(), List.of(), 11, Map.of("p-1", 1)));
        traffic.report(new RouterReport("edge2", Map.of(), List.of(), 11, Map.of()));
        assertThat(traffic.drained("shop", "p-1")).as("edge1 still has a request to it").isFalse();

        traffic.report(new RouterReport("edge1", Map.of(), List.of(), 12, Map.of()));
        assertThat(traffic.drained("shop", "p-1")).isTrue();
    }

    @Test
    void aRouterThatStoppedReportingHoldsNoDrainAndWithoutAControllerNothingIsWaitedFor() {
        withFeed();
        traffic.report(new RouterReport("edge1", Map.of(), List.of(), 1, Map.of("p-1", 3)));
        now.addAndGet(RemoteRouterTraffic.FRESH_MILLIS + 1);
        assertThat(traffic.drained("shop", "p-1")).isFalse();
        assertThat(traffic.drained("shop", "p-1")).isTrue();

        RemoteRouterTraffic apart = new RemoteRouterTraffic(now::get);
        assertThat(apart.drained("shop", "p-2")).isTrue();

        traffic.report("older-router", Map.of("shop", 1.0)); // says no revision: cannot hold a drain for ever
        assertThat(traffic.drained("shop", "p-3")).isFalse();
        assertThat(traffic.drained("shop", "p-3")).isTrue();
    }

    @Test
    void theRoutersThatReportedAreListedWithWhetherTheyAreUpToDate() {
        withFeed();
        traffic.report(new RouterReport("edge2", Map.of(), List.of(), 10, Map.of("p-1", 2, "p-2", 1)));
        traffic.report(new RouterReport("edge1", Map.of(), List.of(), 9, Map.of()));
        now.addAndGet(RemoteRouterTraffic.FRESH_MILLIS + 1);
        traffic.report(new RouterReport("edge3", Map.of(), List.of(), 10, Map.of()));

        assertThat(traffic.routers()).extracting(r -> r.name() + " fresh=" + r.fresh() + " upToDate=" + r.upToDate()
                        + " inFlight=" + r.requestsInFlight())
                .containsExactly("edge1 fresh=false upToDate=false inFlight=0", "edge2 fresh=false upToDate=true inFlight=3",
                        "edge3 fresh=true upToDate=true inFlight=0");
        now.addAndGet(RemoteRouterTraffic.LISTED_MILLIS);
        assertThat(traffic.routers()).extracting(r -> r.name()).containsExactly("edge3");
    }
}
