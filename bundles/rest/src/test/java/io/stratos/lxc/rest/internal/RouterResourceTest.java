package io.stratos.lxc.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.router.AliasTraffic;
import io.stratos.lxc.api.router.RouterMetrics;
import io.stratos.lxc.api.router.RouterStats;
import java.util.List;
import org.junit.jupiter.api.Test;

class RouterResourceTest {

    final RouterResource resource = new RouterResource();

    RouterResourceTest() {
        resource.router = new RouterMetrics() {
            @Override
            public int requestsInFlight(String alias) {
                return 0;
            }

            @Override
            public AliasTraffic traffic(String alias) {
                return AliasTraffic.none(alias);
            }

            @Override
            public RouterStats stats() {
                return null;
            }
        };
    }

    @Test
    void aNameThatBreaksTheAliasPatternIsA400NamingTheField() {
        for (String bad : List.of("UPPER", "-a", "a-", "a_b", "a".repeat(64), "..", "a\u0000b", "")) {
            assertThatThrownBy(() -> resource.alias(bad)).as(bad).isInstanceOfSatisfying(StratosException.class, e -> {
                assertThat(e.kind()).isEqualTo(StratosException.Kind.INVALID_INPUT);
                assertThat(e.field()).isEqualTo("alias");
            });
        }
        assertThat(resource.alias("shop-1").alias()).isEqualTo("shop-1");
    }
}
