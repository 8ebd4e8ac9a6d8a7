package io.stratos.lxc.metrics.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.prometheus.metrics.expositionformats.ExpositionFormats;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.stratos.lxc.api.autoscaler.AutoscalePolicy;
import io.stratos.lxc.api.autoscaler.Autoscaler;
import io.stratos.lxc.api.autoscaler.AutoscalerStatistics;
import io.stratos.lxc.api.autoscaler.ScalingDecision;
import io.stratos.lxc.api.controller.ProcessMetrics;
import io.stratos.lxc.api.controller.Resources;
import io.stratos.lxc.api.router.AliasTraffic;
import io.stratos.lxc.api.router.LatencyHistogram;
import io.stratos.lxc.api.router.RouterMetrics;
import io.stratos.lxc.api.router.RouterStats;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

class FleetCollectorTest {

    private static final Instant NOW = Instant.parse("2026-12-07T18:00:00Z");
    private static final ProcessMetrics FIGURES = new ProcessMetrics(12.5, 64L << 20, 128L << 20, 7, 1);

    static String text(FleetCollector collector) throws IOException {
        MetricSnapshots snapshots = collector.collect();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ExpositionFormats.init().getPrometheusTextFormatWriter().write(out, snapshots);
        return out.toString(StandardCharsets.UTF_8);
    }

    static FleetCollector collector(FakeFleet fleet, RouterMetrics router, Autoscaler autoscaler, int maxProcesses) {
        return new FleetCollector(fleet::controller, () -> router, () -> autoscaler, () -> null, () -> maxProcesses,
                Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void theFleetBySubscriptionStatePartitionAndProcess() throws IOException {
        FakeFleet fleet = new FakeFleet().partition("web", "httpd", 2, new Resources(2000, 2048), NOW.minusSeconds(3))
                .subscription("shop", "httpd", "web", 3, FIGURES).subscription("blog", "httpd", "web", 1, FIGURES);
        String text = text(collector(fleet, null, null, 10_000));

        assertThat(text).contains("stratos_subscriptions 2.0")
                .contains("stratos_subscription_processes{alias=\"shop\",state=\"RUNNING\"} 3.0")
                .contains("stratos_subscription_processes{alias=\"shop\",state=\"PENDING\"} 0.0")
                .contains("stratos_subscription_desired_processes{alias=\"blog\"} 1.0")
                .contains("stratos_subscription_info{alias=\"shop\",cartridge=\"httpd\",policy=\"\",tenant=\"tenant1\",version=\"1.0\"} 1")
                .contains("stratos_processes{cartridge=\"httpd\",state=\"RUNNING\"} 4.0")
                .contains("stratos_vms{partition=\"web\",state=\"READY\"} 2.0")
                .contains("stratos_partition_cpu_capacity_cores{partition=\"web\"} 4.0")
                .contains("stratos_partition_cpu_allocated_cores{partition=\"web\"} 0.4")
                .contains("stratos_partition_cpu_free_cores{partition=\"web\"} 3.6")
                .contains("stratos_partition_memory_allocated_bytes{partition=\"web\"} " + (double) (4 * 64L << 20))
                .contains("stratos_vm_report_age_seconds{partition=\"web\",vm=\"web-vm0\"} 3.0")
                .contains("stratos_process_cpu_percent{alias=\"shop\",process=\"shop-p0\",vm=\"web-vm0\"} 12.5")
                .contains("stratos_process_memory_bytes{alias=\"shop\",process=\"shop-p1\",vm=\"web-vm1\"} " + (double) (64L << 20))
                .contains("stratos_process_pids{alias=\"blog\",process=\"blog-p0\",vm=\"web-vm0\"} 7.0")
                .contains("stratos_metrics_truncated 0.0")
                .contains("stratos_metrics_part_up{part=\"controller\"} 1.0")
                // absent services: their part is down, the scrape still answers
                .contains("stratos_metrics_part_up{part=\"router\"} 0.0")
                .contains("stratos_metrics_part_up{part=\"store\"} 0.0")
                .doesNotContain("stratos_router_requests");
    }

    @Test
    void perProcessSeriesStopAtTheCapByWholeSubscriptions() throws IOException {
        FakeFleet fleet = new FakeFleet().partition("web", "httpd", 1, new Resources(100_000, 100_000), NOW)
                .subscription("a", "httpd", "web", 3, FIGURES).subscription("b", "httpd", "web", 5, FIGURES)
                .subscription("c", "httpd", "web", 2, FIGURES);
        String text = text(collector(fleet, null, null, 6));

        assertThat(text).contains("alias=\"a\",process=\"a-p2\"").contains("alias=\"c\",process=\"c-p1\"")
                .doesNotContain("alias=\"b\",process=")
                .contains("stratos_metrics_truncated 1.0")
                .contains("stratos_metrics_process_series_limit 6.0")
                // the counts per subscription are never capped
                .contains("stratos_subscription_processes{alias=\"b\",state=\"RUNNING\"} 5.0");
    }

    @Test
    void routerAndAutoscaler() throws IOException {
        RouterMetrics router = new RouterMetrics() {
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
                return new RouterStats("127.0.0.1", 8280, "example", true,
                        List.of(new AliasTraffic("shop", 2, 100, 3, 4.0, 5, 50, 3, 1)));
            }

            @Override
            public LatencyHistogram latencyHistogram(String alias) {
                return new LatencyHistogram(List.of(0.005, 0.05, Double.POSITIVE_INFINITY), List.of(60L, 39L, 1L));
            }
        };
        Autoscaler autoscaler = new Autoscaler() {
            @Override
            public AutoscalePolicy createPolicy(AutoscalePolicy policy) {
                throw new UnsupportedOperationException();
            }

            @Override
            public List<AutoscalePolicy> policies() {
                return List.of();
            }

            @Override
            public AutoscalePolicy policy(String name) {
                throw new UnsupportedOperationException();
            }

            @Override
            public AutoscalePolicy updatePolicy(String name, AutoscalePolicy policy) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void deletePolicy(String name) {
            }

            @Override
            public List<ScalingDecision> decisions(int limit) {
                return List.of();
            }

            @Override
            public AutoscalerStatistics statistics() {
                return new AutoscalerStatistics(4, 2, 1, 0, 10, 0.5, 0.04);
            }
        };
        String text = text(collector(new FakeFleet(), router, autoscaler, 10));

        assertThat(text).contains("stratos_router_requests_total{alias=\"shop\"} 100.0")
                .contains("stratos_router_errors_total{alias=\"shop\"} 3.0")
                .contains("stratos_router_requests_in_flight{alias=\"shop\"} 2.0")
                .contains("stratos_router_backends_down{alias=\"shop\"} 1.0")
                .contains("stratos_router_request_duration_seconds_bucket{alias=\"shop\",le=\"0.005\"} 60")
                .contains("stratos_router_request_duration_seconds_bucket{alias=\"shop\",le=\"0.05\"} 99")
                .contains("stratos_router_request_duration_seconds_bucket{alias=\"shop\",le=\"+Inf\"} 100")
                .contains("stratos_router_request_duration_seconds_count{alias=\"shop\"} 100")
                .contains("stratos_autoscaler_decisions_total{direction=\"up\",level=\"subscription\"} 4.0")
                .contains("stratos_autoscaler_decisions_total{direction=\"down\",level=\"subscription\"} 2.0")
                .contains("stratos_autoscaler_pass_duration_seconds_count 10")
                .contains("stratos_autoscaler_pass_duration_seconds_sum 0.5")
                .contains("stratos_autoscaler_last_pass_duration_seconds 0.04")
                .contains("stratos_metrics_part_up{part=\"router\"} 1.0");
    }

    @Test
    void aFailingServiceLeavesOnlyItsPartOut() throws IOException {
        RouterMetrics broken = (RouterMetrics) java.lang.reflect.Proxy.newProxyInstance(RouterMetrics.class.getClassLoader(),
                new Class<?>[] {RouterMetrics.class}, (p, m, a) -> {
                    throw new IllegalStateException("restarting");
                });
        FakeFleet fleet = new FakeFleet().partition("web", "httpd", 1, new Resources(1000, 1000), NOW)
                .subscription("shop", "httpd", "web", 1, FIGURES);
        String text = text(collector(fleet, broken, null, 10));

        assertThat(text).contains("stratos_metrics_part_up{part=\"router\"} 0.0")
                .contains("stratos_subscription_processes{alias=\"shop\",state=\"RUNNING\"} 1.0");
    }
}
