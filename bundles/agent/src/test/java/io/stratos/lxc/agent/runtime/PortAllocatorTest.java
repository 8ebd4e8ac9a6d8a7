package io.stratos.lxc.agent.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratos.lxc.api.StratosException;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PortAllocatorTest {

    @Test
    void handsOutPortsInOrderAndTheSameOneAgainToTheSameProcess() {
        PortAllocator ports = new PortAllocator(30000, 30002, port -> true);

        assertThat(ports.allocate("a")).isEqualTo(30000);
        assertThat(ports.allocate("b")).isEqualTo(30001);
        assertThat(ports.allocate("a")).isEqualTo(30000);
        assertThat(ports.inUse()).isEqualTo(2);
    }

    @Test
    void skipsPortsOtherProgramsHold() {
        Set<Integer> held = Set.of(30000, 30001);
        PortAllocator ports = new PortAllocator(30000, 30003, port -> !held.contains(port));

        assertThat(ports.allocate("a")).isEqualTo(30002);
    }

    @Test
    void anExhaustedRangeIsAClearConflictNotACrash() {
        PortAllocator ports = new PortAllocator(30000, 30000, port -> true);
        ports.allocate("first");

        assertThatThrownBy(() -> ports.allocate("second"))
                .isInstanceOfSatisfying(StratosException.class, e -> {
                    assertThat(e.kind()).isEqualTo(StratosException.Kind.CONFLICT);
                    assertThat(e.field()).isEqualTo("hostPort");
                    assertThat(e.hint()).contains("portRangeEnd");
                })
                .hasMessageContaining("second").hasMessageContaining("30000-30000").hasMessageContaining("exhausted");
        assertThat(ports.portOf("first")).contains(30000);
    }

    @Test
    void releasedPortsAreReusedAndReservationsRespectOwners() {
        PortAllocator ports = new PortAllocator(30000, 30001, port -> true);
        ports.allocate("a");
        ports.release("a");

        assertThat(ports.allocate("b")).isEqualTo(30000);
        assertThat(ports.reserve(30000, "c")).isFalse();
        assertThat(ports.reserve(30001, "c")).isTrue();
        assertThat(ports.reserve(30001, "c")).isTrue();
        assertThatThrownBy(() -> ports.allocate("d")).isInstanceOf(StratosException.class);
    }

    @Test
    void rejectsAnInvertedRange() {
        assertThatThrownBy(() -> new PortAllocator(2, 1)).isInstanceOf(StratosException.class);
    }

    @Test
    void bindableSeesARealListener() throws Exception {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThat(PortAllocator.bindable(socket.getLocalPort())).isFalse();
        }
    }
}
