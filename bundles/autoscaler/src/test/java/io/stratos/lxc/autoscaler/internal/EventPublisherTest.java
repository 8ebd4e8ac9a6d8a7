package io.stratos.lxc.autoscaler.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.stratos.lxc.api.autoscaler.AutoscalePolicy;
import io.stratos.lxc.api.autoscaler.MetricTarget;
import io.stratos.lxc.api.autoscaler.ScalingDecision;
import io.stratos.lxc.api.event.StratosEvents;
import io.stratos.lxc.testsupport.FakeCloudController;
import io.stratos.lxc.testsupport.H2Databases;
import io.stratos.lxc.testsupport.MutableClock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One scaling/UP|DOWN event per decision the autoscaler records, flat, in Decanter's shape. */
class EventPublisherTest {

    final List<Map<String, Object>> posted = new CopyOnWriteArrayList<>();
    MutableClock clock;
    FakeCloudController controller;
    AutoscalerCore core;

    @BeforeEach
    void setUp() throws Exception {
        JdbcPolicyStore store = new JdbcPolicyStore(H2Databases.empty("autoscaler-events"));
        store.migrate();
        clock = new MutableClock();
        controller = new FakeCloudController();
        core = new AutoscalerCore(store, clock, AutoscalerSettings::initial, () -> controller, List::of);
        core.load();
        core.events((topic, properties) -> {
            Map<String, Object> event = new HashMap<>(properties);
            event.put("topic", topic);
            posted.add(event);
        });
    }

    @Test
    void aScaleUpDecisionIsPostedOnceWithDirectionFromToReasonAndItsMetrics() {
        core.createPolicy(new AutoscalePolicy("web", Map.of("cpuPercent", new MetricTarget(50.0)), null, null, null, null, 0,
                null, null, null));
        controller.subscribe("shop", "web", 1, 10, 2);
        controller.running("shop", 2, 100, 10, 0);

        core.evaluate();

        await().atMost(Duration.ofSeconds(5)).until(() -> posted.size() == 1);
        Map<String, Object> e = posted.get(0);
        assertThat(e).containsEntry("topic", StratosEvents.SCALING_UP).containsEntry("type", "stratos-scaling")
                .containsEntry("timestamp", clock.millis()).containsEntry("direction", "up").containsEntry("level", "subscription")
                .containsEntry("target", "shop").containsEntry("alias", "shop").containsEntry("policy", "web")
                .containsEntry("from", 2).containsEntry("to", 4).containsEntry("applied", true)
                .containsEntry("metric.cpuPercent", 100.0);
        assertThat((String) e.get("reason")).contains("cpuPercent");
        assertThat(e.values()).allSatisfy(v -> assertThat(v).isInstanceOfAny(String.class, Number.class, Boolean.class));
    }

    @Test
    void aPartitionScaleDownIsPostedOnScalingDown() {
        ScalingDecision d = new ScalingDecision("2026-12-07T00:00:00Z", ScalingDecision.Level.PARTITION, "web", null,
                Map.of("utilisation", 0.1), 3, 2, "utilisation 10 % below 30 %");
        assertThat(EventPublisher.topic(d)).isEqualTo("io/stratos/lxc/scaling/DOWN");
        assertThat(EventPublisher.properties(42L, d, false)).containsEntry("direction", "down").containsEntry("level", "partition")
                .containsEntry("partition", "web").containsEntry("policy", "").containsEntry("applied", false)
                .containsEntry("timestamp", 42L).containsEntry("metric.utilisation", 0.1).doesNotContainKey("alias");
    }

    @Test
    void aFailingHandlerNeverFailsThePass() {
        core.events((topic, properties) -> {
            throw new IllegalStateException("handler broken");
        });
        core.createPolicy(new AutoscalePolicy("web", Map.of("cpuPercent", new MetricTarget(50.0)), null, null, null, null, 0,
                null, null, null));
        controller.subscribe("shop", "web", 1, 10, 2);
        controller.running("shop", 2, 100, 10, 0);
        core.evaluate();
        assertThat(controller.scaleCalls).containsExactly("shop=4");
    }
}
