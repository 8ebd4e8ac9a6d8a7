package io.stratos.lxc.router.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Draining a leaving process in the backend table, including the races with look-ups and requests. */
class BackendTableDrainTest {

    private final List<Backend> found = new CopyOnWriteArrayList<>(List.of(new Backend("p1", "127.0.0.1", 20001),
            new Backend("p2", "127.0.0.1", 20002)));
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
    private final BackendTable table = new BackendTable(alias -> List.copyOf(found), 500, nanos::get);

    private static Backend of(AliasRoute route, String processId) {
        return route.backends().stream().filter(b -> b.processId().equals(processId)).findFirst().orElse(null);
    }

    @Test
    void aRetiredProcessStaysOutOfTheRouteEvenWhenALookUpStillReportsItRunning() {
        AliasRoute before = table.route("shop");
        Backend p1 = of(before, "p1");

        // the look-up still lists p1 (it read the controller just before p1 left)
        assertThat(table.drained("shop", "p1")).as("never on the first call").isFalse();

        AliasRoute after = table.route("shop");
        assertThat(after.backends()).extracting(Backend::processId).containsExactly("p2");
        nanos.addAndGet(1_000_000_000L); // the cache expires; the look-up still lists it
        assertThat(table.route("shop").backends()).extracting(Backend::processId).containsExactly("p2");
        // a request that read the route before: choose skips p1, and a begin that raced the retirement is refused
        for (int i = 0; i < 4; i++) {
            assertThat(before.choose(new HashSet<>(), nanos.get()).processId()).isEqualTo("p2");
        }
        assertThat(p1.tryBegin()).isFalse();
        assertThat(p1.inFlight()).isZero();
        assertThat(table.drained("shop", "p1")).isTrue();
    }

    @Test
    void aProcessWithARequestInFlightIsNotDrainedUntilItEnds() {
        Backend p1 = of(table.route("shop"), "p1");
        assertThat(p1.tryBegin()).isTrue(); // began before the drain
        found.removeIf(b -> b.processId().equals("p1")); // the controller reports it STOPPING

        assertThat(table.drained("shop", "p1")).isFalse();
        assertThat(table.drained("shop", "p1")).isFalse();
        assertThat(table.route("shop").backends()).extracting(Backend::processId).containsExactly("p2");

        p1.end();
        assertThat(table.drained("shop", "p1")).isTrue();
    }

    @Test
    void aProcessNeverRoutedIsDrainedOnTheSecondCall() {
        assertThat(table.drained("quiet", "p9")).isFalse();
        assertThat(table.drained("quiet", "p9")).isTrue();
    }
}
