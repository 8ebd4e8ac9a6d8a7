package io.stratos.lxc.autoscaler.internal;

import static io.stratos.lxc.testsupport.FakeCloudController.vm;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.autoscaler.AutoscalePolicy;
import io.stratos.lxc.api.autoscaler.MetricSource;
import io.stratos.lxc.api.autoscaler.MetricTarget;
import io.stratos.lxc.api.autoscaler.ScalingDecision;
import io.stratos.lxc.api.controller.Partition;
import io.stratos.lxc.api.controller.Resources;
import io.stratos.lxc.api.controller.VmState;
import io.stratos.lxc.persistence.SchemaException;
import io.stratos.lxc.testsupport.FakeCloudController;
import io.stratos.lxc.testsupport.MutableClock;
import io.stratos.lxc.testsupport.Sql;
import io.stratos.lxc.testsupport.H2Databases;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.OptionalLong;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The core through its service interface, over a fake controller, an H2 database and a controllable clock. */
class AutoscalerCoreTest {


    DataSource dataSource;
    MutableClock clock;
    FakeCloudController controller;
    AtomicReference<AutoscalerSettings> settings;
    List<MetricSource> sources;
    AutoscalerCore core;

    @BeforeEach
    void setUp() throws Exception {
        dataSource = emptyDatabase();
        clock = new MutableClock();
        controller = new FakeCloudController();
        settings = new AtomicReference<>(AutoscalerSettings.initial());
        sources = new CopyOnWriteArrayList<>();
        core = newCore();
    }

    /** An empty database: the embedded H2 here, PostgreSQL in {@link AutoscalerCorePostgresTest}. */
    DataSource emptyDatabase() throws Exception {
        return H2Databases.empty("autoscaler");
    }

    AutoscalerCore newCore() throws Exception {
        JdbcPolicyStore store = new JdbcPolicyStore(dataSource);
        store.migrate();
        AutoscalerCore created = new AutoscalerCore(store, clock, settings::get, () -> controller, () -> sources);
        created.load();
        return created;
    }

    static AutoscalePolicy cpu(String name, double target) {
        return new AutoscalePolicy(name, Map.of("cpuPercent", new MetricTarget(target)), null, null, null, null, 0, null,
                null, null);
    }

    void tick(int seconds) {
        for (int i = 0; i < seconds; i++) {
            core.evaluate();
            clock.millis += 1000;
        }
    }

    // ---- policies --------------------------------------------------------------------------------

    @Test
    void policiesSurviveANewInstanceOverTheSameDatabase() throws Exception {
        AutoscalePolicy full = new AutoscalePolicy("web", Map.of("cpuPercent", new MetricTarget(60.0),
                "requestsInFlight", new MetricTarget(10.0)), 2, 8, 3, 2, 20, 90, 0.05, true);
        AutoscalePolicy created = core.createPolicy(full);
        core.createPolicy(cpu("batch", 80));
        core.updatePolicy("batch", new AutoscalePolicy(null, Map.of("memoryPercent", new MetricTarget(70.0)), null, 4, null,
                null, null, null, null, null));

        AutoscalerCore restarted = newCore();
        assertThat(restarted.policies()).extracting(AutoscalePolicy::name).containsExactly("batch", "web");
        assertThat(restarted.policy("web")).isEqualTo(created).isEqualTo(full);
        AutoscalePolicy batch = restarted.policy("batch");
        assertThat(batch.metrics()).containsOnlyKeys("memoryPercent");
        assertThat(batch.maxProcesses()).isEqualTo(4);
        assertThat(batch.minProcesses()).isNull();

        restarted.deletePolicy("batch");
        assertThat(newCore().policies()).extracting(AutoscalePolicy::name).containsExactly("web");
    }

    @Test
    void migrationIsIdempotent() throws Exception {
        JdbcPolicyStore store = new JdbcPolicyStore(dataSource);
        assertThat(store.migrate()).isEqualTo(3);
        assertThat(store.migrate()).isEqualTo(3);
    }

    @Test
    void tablesOfTheMigratorBeforeFlywayAreAdoptedAtTheirVersionAndKeepTheirPolicies() throws Exception {
        core.createPolicy(cpu("web", 50));
        // what the hand-written migrator left: the tables of version 1, autoscaler_schema_version at 1, no Flyway history
        execute("DROP TABLE \"autoscaler_schema_history\"", "ALTER TABLE autoscale_policies DROP COLUMN scale_to_zero_after_s",
                "ALTER TABLE autoscale_policy_metrics DROP COLUMN metric_name", "ALTER TABLE autoscale_policy_metrics DROP COLUMN aggregate",
                "CREATE TABLE autoscaler_schema_version (version INTEGER PRIMARY KEY, script VARCHAR(255) NOT NULL)",
                "INSERT INTO autoscaler_schema_version (version, script) VALUES (1, 'V1__autoscaler.sql')");

        assertThat(new JdbcPolicyStore(dataSource).migrate()).isEqualTo(3);
        AutoscalerCore restarted = newCore();

        assertThat(restarted.policies()).extracting(AutoscalePolicy::name).containsExactly("web");
        // adopted, not run again
        assertThat(rows("SELECT \"version\", \"type\" FROM \"autoscaler_schema_history\" WHERE \"version\" IS NOT NULL"))
                .containsExactly("1|BASELINE", "2|SQL", "3|SQL");
    }

    @Test
    void tablesNewerThanTheAutoscalerAreRefused() throws Exception {
        execute("DROP TABLE \"autoscaler_schema_history\"",
                "CREATE TABLE autoscaler_schema_version (version INTEGER PRIMARY KEY, script VARCHAR(255) NOT NULL)",
                "INSERT INTO autoscaler_schema_version (version, script) VALUES (1, 'V1__autoscaler.sql'), "
                        + "(2, 'V2__scale_to_zero.sql'), (3, 'V3__application_metrics.sql'), (4, 'V4__later.sql')");

        assertThatThrownBy(() -> new JdbcPolicyStore(dataSource).migrate()).isInstanceOf(SchemaException.class)
                .hasMessageStartingWith("Autoscaler tables: schema version 4 is newer than this release knows (3)");
    }

    void execute(String... sql) throws SQLException {
        Sql.execute(dataSource, sql);
    }

    /** Each row's columns joined by '|'. */
    List<String> rows(String query) throws SQLException {
        return Sql.rows(dataSource, query);
    }

    @Test
    void crudErrors() {
        core.createPolicy(cpu("web", 50));
        assertThatThrownBy(() -> core.createPolicy(cpu("web", 60)))
                .isInstanceOfSatisfying(StratosException.class, e -> {
                    assertThat(e.kind()).isEqualTo(StratosException.Kind.CONFLICT);
                    assertThat(e.field()).isEqualTo("name");
                });
        assertThatThrownBy(() -> core.policy("nope"))
                .isInstanceOfSatisfying(StratosException.class, e -> assertThat(e.kind()).isEqualTo(StratosException.Kind.NOT_FOUND));
        assertThatThrownBy(() -> core.updatePolicy("web", cpu("other", 50)))
                .isInstanceOfSatisfying(StratosException.class, e -> assertThat(e.field()).isEqualTo("name"));
        assertThatThrownBy(() -> core.updatePolicy("web", new AutoscalePolicy("web", Map.of(), null, null, null, null, null,
                null, null, null)))
                .isInstanceOfSatisfying(StratosException.class, e -> assertThat(e.field()).isEqualTo("metrics"));
        assertThat(core.policy("web").metrics()).containsKey("cpuPercent");
    }

    @Test
    void deleteIsRefusedWhileASubscriptionNamesThePolicy() {
        core.createPolicy(cpu("web", 50));
        controller.subscribe("shop", "web", 1, 10, 1);
        assertThatThrownBy(() -> core.deletePolicy("web"))
                .isInstanceOfSatisfying(StratosException.class, e -> {
                    assertThat(e.kind()).isEqualTo(StratosException.Kind.CONFLICT);
                    assertThat(e.getMessage()).contains("shop");
                });
        controller.unsubscribe("shop");
        core.deletePolicy("web");
        assertThat(core.policies()).isEmpty();
    }

    // ---- level 1 through the controller --------------------------------------------------------------

    @Test
    void scalesSubscriptionsThatNameAPolicyAndRecordsTheDecision() {
        core.createPolicy(cpu("web", 50));
        controller.subscribe("shop", "web", 1, 10, 2);
        controller.running("shop", 2, 100, 10, 0);
        controller.subscribe("manual", null, 1, 10, 2);
        controller.running("manual", 2, 100, 10, 0);
        controller.subscribe("orphan", "missing-policy", 1, 10, 2);
        controller.running("orphan", 2, 100, 10, 0);

        tick(1);

        assertThat(controller.scaleCalls).containsExactly("shop=4");
        List<ScalingDecision> decisions = core.decisions(10);
        assertThat(decisions).hasSize(1);
        ScalingDecision d = decisions.get(0);
        assertThat(d.level()).isEqualTo(ScalingDecision.Level.SUBSCRIPTION);
        assertThat(d.target()).isEqualTo("shop");
        assertThat(d.policy()).isEqualTo("web");
        assertThat(d.from()).isEqualTo(2);
        assertThat(d.to()).isEqualTo(4);
        assertThat(d.metrics()).containsEntry("cpuPercent", 100.0).containsEntry("running", 2.0);
        assertThat(d.reason()).contains("cpuPercent");
        assertThat(Instant.parse(d.time())).isEqualTo(Instant.ofEpochMilli(1_700_000_000_000L));
        assertThat(core.lastDecision()).isEqualTo(d);
        assertThat(core.decisionsPerMinute()).isEqualTo(1);
        assertThat(core.autoscaledSubscriptions()).isEqualTo(1);
    }

    // ---- scale to zero ----------------------------------------------------------------------------

    static AutoscalePolicy toZero(String name, int seconds) {
        return new AutoscalePolicy(name, Map.of("requestsInFlight", new MetricTarget(5.0)), null, null, null, null, 0, null,
                null, null, seconds);
    }

    /** A router that saw its last request of every alias at {@code lastRequest} and has none in flight. */
    record QuietRouter(long lastRequest) implements MetricSource {
        @Override
        public OptionalDouble value(String alias, String metric) {
            return OptionalDouble.of(0);
        }

        @Override
        public OptionalLong lastRequestMillis(String alias) {
            return OptionalLong.of(lastRequest);
        }
    }

    @Test
    void scaleToZeroIsStoredAndNeedsMinimumZero() throws Exception {
        AutoscalePolicy created = core.createPolicy(toZero("idle", 300));
        assertThat(created.minProcesses()).as("scale to zero implies a minimum of 0").isZero();
        assertThat(newCore().policy("idle").scaleToZeroAfterSeconds()).isEqualTo(300);
        assertThatThrownBy(() -> core.createPolicy(new AutoscalePolicy("bad", Map.of("cpuPercent", new MetricTarget(50.0)), 1,
                null, null, null, 0, null, null, null, 300)))
                .isInstanceOfSatisfying(StratosException.class, e -> {
                    assertThat(e.field()).isEqualTo("scaleToZeroAfterSeconds");
                    assertThat(e.getMessage()).contains("needs minProcesses 0");
                });
        assertThatThrownBy(() -> core.createPolicy(toZero("bad", 0)))
                .isInstanceOfSatisfying(StratosException.class, e -> assertThat(e.field()).isEqualTo("scaleToZeroAfterSeconds"));
    }

    @Test
    void aQuietSubscriptionGoesToZeroAndARequestWakesItAtOnce() {
        core.createPolicy(toZero("idle", 10));
        controller.subscribe("shop", "idle", 0, 5, 1);
        controller.running("shop", 1, 1, 1, 0);
        sources.add(new QuietRouter(clock.millis));
        tick(9);
        assertThat(controller.scaleCalls).isEmpty();
        tick(2);
        assertThat(controller.scaleCalls).containsExactly("shop=0");
        assertThat(core.decisions(1).get(0).reason()).contains("scaled to zero");
        controller.running("shop", 0, 1, 1, 0);

        assertThat(core.wake("shop")).isTrue();
        assertThat(controller.scaleCalls).containsExactly("shop=0", "shop=1");
        assertThat(core.decisions(1).get(0).reason()).contains("a request arrived while at zero");
        controller.running("shop", 1, 1, 1, 0);
        tick(5);
        assertThat(controller.scaleCalls).as("the wake starts a new quiet spell").hasSize(2);
    }

    @Test
    void aWakeDoesNotStartWhatWasScaledToZeroByHandOrIsUnknown() {
        core.createPolicy(cpu("web", 50));
        controller.subscribe("manual", null, 0, 5, 0);
        controller.subscribe("cpu", "web", 0, 5, 0);
        assertThat(core.wake("manual")).isFalse();
        assertThat(core.wake("cpu")).isFalse();
        assertThat(core.wake("nobody")).isFalse();
        assertThat(controller.scaleCalls).isEmpty();
        controller.subscribe("busy", null, 1, 5, 2);
        assertThat(core.wake("busy")).as("its processes are on their way").isTrue();
    }

    @Test
    void memoryPercentAndRequestsInFlightComeFromTheProcesses() {
        core.createPolicy(new AutoscalePolicy("mem", Map.of("memoryPercent", new MetricTarget(40.0)), null, null, null, null,
                0, null, null, null));
        core.createPolicy(new AutoscalePolicy("req", Map.of("requestsInFlight", new MetricTarget(5.0)), null, null, null, null,
                0, null, null, null));
        controller.subscribe("a", "mem", 1, 10, 2);
        controller.running("a", 2, 1, 80, 0);
        controller.subscribe("b", "req", 1, 10, 1);
        controller.running("b", 1, 1, 1, 15);
        tick(1);
        assertThat(controller.scaleCalls).containsExactlyInAnyOrder("a=4", "b=3");
    }

    @Test
    void aMetricSourceWinsAndCustomMetricsWork() {
        core.createPolicy(new AutoscalePolicy("q", Map.of("queueDepth", new MetricTarget(10.0), "requestsInFlight",
                new MetricTarget(5.0)), null, null, null, null, 0, null, null, null));
        controller.subscribe("jobs", "q", 1, 10, 1);
        controller.running("jobs", 1, 1, 1, 0);
        tick(1);
        assertThat(controller.scaleCalls).isEmpty(); // no custom value, requests 0 within... and down is stabilised
        sources.add((alias, metric) -> metric.equals("queueDepth") ? OptionalDouble.of(30) : OptionalDouble.empty());
        tick(1);
        assertThat(controller.scaleCalls).containsExactly("jobs=3");
        assertThat(core.decisions(1).get(0).metrics()).containsKey("queueDepth");
        // a failing source is skipped
        sources.add(0, (alias, metric) -> {
            throw new IllegalStateException("broken");
        });
        tick(1);
    }

    static AutoscalePolicy queue(String name, String aggregate) {
        return new AutoscalePolicy(name, Map.of("custom", new MetricTarget(5.0, "queue_depth", aggregate)), null, null,
                20, null, 0, null, null, null);
    }

    @Test
    void anApplicationMetricScalesByItsAggregateAndTheDecisionNamesItsValues() throws Exception {
        core.createPolicy(queue("avg", "avg"));
        core.createPolicy(queue("max", "max"));
        core.createPolicy(queue("sum", "sum"));
        // the third process's scrape failed: avg leaves it out, sum counts it as 0
        Map<String, Double> ten = Map.of("queue_depth", 10.0);
        Map<String, Double> twenty = Map.of("queue_depth", 20.0);
        for (String policy : List.of("avg", "max", "sum")) {
            controller.subscribe(policy, policy, 1, 20, 3);
            controller.runningWithApplicationMetrics(policy, ten, twenty, null);
        }

        tick(1);

        // avg 15 -> ceil(3 * 15 / 5) = 9; max 20 -> 12; sum 30 over 3 running = 10 -> 6
        assertThat(controller.scaleCalls).containsExactlyInAnyOrder("avg=9", "max=12", "sum=6");
        ScalingDecision avg = core.decisions(10).stream().filter(d -> d.target().equals("avg")).findFirst().orElseThrow();
        assertThat(avg.reason()).contains("queue_depth.avg 15.0 per process vs target 5.0");
        assertThat(avg.metrics()).containsEntry("queue_depth.avg", 15.0).containsEntry("queue_depth.reported", 2.0)
                .containsEntry("queue_depth.min", 10.0).containsEntry("queue_depth.max", 20.0);
        // stored and given to the controller for the agents, without the autoscaler's lock
        assertThat(newCore().policy("sum").metrics().get("custom")).isEqualTo(new MetricTarget(5.0, "queue_depth", "sum"));
        assertThat(core.applicationMetrics("max")).containsExactly("queue_depth");
        assertThat(core.applicationMetrics("missing")).isEmpty();
        core.createPolicy(cpu("web", 50));
        assertThat(core.applicationMetrics("web")).isEmpty();
    }

    @Test
    void processesThatReportNoApplicationMetricFailNoPass() {
        core.createPolicy(queue("q", "avg"));
        core.createPolicy(cpu("web", 50));
        controller.subscribe("jobs", "q", 1, 10, 2);
        controller.runningWithApplicationMetrics("jobs", null, null);
        controller.subscribe("shop", "web", 1, 10, 2);
        controller.running("shop", 2, 100, 10, 0);

        tick(1);

        assertThat(controller.scaleCalls).containsExactly("shop=4");
    }

    @Test
    void requestsInFlightThroughEveryRouterAddUp() {
        core.createPolicy(new AutoscalePolicy("req", Map.of("requestsInFlight", new MetricTarget(5.0)), null, null, null, null,
                0, null, null, null));
        controller.subscribe("shop", "req", 1, 10, 2);
        controller.running("shop", 2, 1, 1, 0);
        // the embedded router and two routers apart: 4 + 3 + 3 = 10 per process, twice the target of 5
        sources.add((alias, metric) -> metric.equals("requestsInFlight") ? OptionalDouble.of(4) : OptionalDouble.empty());
        sources.add((alias, metric) -> metric.equals("requestsInFlight") ? OptionalDouble.of(3) : OptionalDouble.empty());
        sources.add((alias, metric) -> metric.equals("requestsInFlight") ? OptionalDouble.of(3) : OptionalDouble.empty());

        tick(1);

        assertThat(controller.scaleCalls).containsExactly("shop=4");
    }

    @Test
    void policyBoundsApplyWithinTheSubscriptions() {
        core.createPolicy(new AutoscalePolicy("web", Map.of("cpuPercent", new MetricTarget(50.0)), 3, 50, null, null, 0, null,
                null, null));
        controller.subscribe("shop", "web", 1, 6, 1);
        controller.running("shop", 1, 50, 10, 0);
        tick(1);
        assertThat(controller.scaleCalls).containsExactly("shop=3");
        controller.running("shop", 3, 500, 10, 0);
        tick(1);
        // wants 30, the subscription allows 6
        assertThat(controller.scaleCalls).containsExactly("shop=3", "shop=6");
    }

    @Test
    void aRefusedScaleIsRecordedOnce() {
        core.createPolicy(cpu("web", 50));
        controller.subscribe("shop", "web", 1, 10, 2);
        controller.running("shop", 2, 100, 10, 0);
        FakeCloudController refusing = new FakeCloudController() {
            @Override
            public io.stratos.lxc.api.controller.Subscription scale(String alias, int count) {
                throw StratosException.unavailable("store away", null);
            }
        };
        refusing.subscriptions.putAll(controller.subscriptions);
        refusing.processes.putAll(controller.processes);
        controller = refusing;
        tick(5);
        assertThat(core.decisions(10)).hasSize(1);
        assertThat(core.decisions(10).get(0).reason()).contains("refused").contains("store away");
    }

    @Test
    void pendingProcessesHoldLevel1ScaleUp() {
        core.createPolicy(cpu("web", 50));
        controller.subscribe("shop", "web", 1, 10, 3);
        controller.running("shop", 2, 100, 10, 0);
        controller.processes.get("shop").add(PartitionScalerTest.process("p9", null,
                io.stratos.lxc.api.controller.ProcessState.PENDING));
        tick(3);
        assertThat(controller.scaleCalls).isEmpty();
    }

    @Test
    void disabledDoesNothing() {
        settings.set(new AutoscalerSettings(false, 1000, 1000, 10, true, 0.3, 120, AutoscalerSettings.initial().defaults()));
        core.createPolicy(cpu("web", 50));
        controller.subscribe("shop", "web", 1, 10, 2);
        controller.running("shop", 2, 100, 10, 0);
        tick(3);
        assertThat(controller.scaleCalls).isEmpty();
    }

    @Test
    void afterBeingDisabledTheStabilisationWindowStartsAfresh() {
        core.createPolicy(new AutoscalePolicy("web", Map.of("cpuPercent", new MetricTarget(50.0)), null, null, null, 10, 0,
                5, null, null));
        controller.subscribe("shop", "web", 1, 10, 4);
        controller.running("shop", 4, 100, 10, 0);
        tick(10); // busy: scaled up to 8
        assertThat(controller.scaleCalls).containsExactly("shop=8");
        controller.scaleCalls.clear();
        int n = controller.subscriptions.get("shop").desiredProcesses();
        controller.running("shop", n, 1, 10, 0);
        AutoscalerSettings on = settings.get();
        settings.set(new AutoscalerSettings(false, 1000, 1000, 10, true, 0.3, 120, on.defaults()));
        tick(10);
        settings.set(on);
        // idle all along, but only observed for the 5 s stabilisation window since scaling resumed
        tick(4);
        assertThat(controller.scaleCalls).isEmpty();
        tick(2);
        assertThat(controller.scaleCalls).containsExactly("shop=1");
    }

    @Test
    void decisionHistoryIsBoundedAndNewestFirst() {
        settings.set(new AutoscalerSettings(true, 1000, 3, 10, true, 0.3, 120, AutoscalerSettings.initial().defaults()));
        core.createPolicy(new AutoscalePolicy("web", Map.of("cpuPercent", new MetricTarget(50.0)), null, null, 1, null, 0,
                null, null, null));
        controller.subscribe("shop", "web", 1, 100, 1);
        for (int i = 0; i < 5; i++) {
            int n = controller.subscriptions.get("shop").desiredProcesses();
            controller.running("shop", n, 100, 10, 0);
            tick(1);
        }
        List<ScalingDecision> decisions = core.decisions(10);
        assertThat(decisions).hasSize(3);
        assertThat(decisions).extracting(ScalingDecision::to).containsExactly(6, 5, 4);
        assertThat(core.decisions(1)).extracting(ScalingDecision::to).containsExactly(6);
        assertThatThrownBy(() -> core.decisions(0)).isInstanceOfSatisfying(StratosException.class,
                e -> assertThat(e.field()).isEqualTo("limit"));
    }

    // ---- level 2 through the controller ------------------------------------------------------------

    @Test
    void pendingProcessesScaleThePartitionOut() {
        Resources capacity = new Resources(2000, 2048);
        controller.partitions.put("php", new Partition("php", "php", "local", 1, 4, capacity, Map.of(), "ACTIVE", 1, 1, 1, 6,
                new Resources(3000, 1536)));
        controller.vms.add(vm("php-1", "php", VmState.READY, capacity, capacity));
        controller.subscribe("shop", null, 1, 10, 10);
        for (int i = 0; i < 6; i++) {
            controller.processes.get("shop").add(PartitionScalerTest.process("p" + i, null,
                    io.stratos.lxc.api.controller.ProcessState.PENDING));
        }
        tick(1);
        // 6 x 500m/512MiB: 4 per VM, 2 more VMs
        assertThat(controller.scaleCalls).containsExactly("php=3");
        ScalingDecision d = core.decisions(1).get(0);
        assertThat(d.level()).isEqualTo(ScalingDecision.Level.PARTITION);
        assertThat(d.target()).isEqualTo("php");
        assertThat(d.policy()).isNull();
        assertThat(d.metrics()).containsEntry("pending", 6.0);
    }

    @Test
    void underUsedPartitionLosesOneVmAfterTheWindow() {
        settings.set(new AutoscalerSettings(true, 1000, 1000, 10, true, 0.3, 5, AutoscalerSettings.initial().defaults()));
        Resources capacity = new Resources(2000, 2048);
        controller.partitions.put("php", new Partition("php", "php", "local", 1, 4, capacity, Map.of(), "ACTIVE", 2, 2, 2, 0,
                Resources.ZERO));
        controller.vms.add(vm("php-1", "php", VmState.READY, capacity, Resources.ZERO));
        controller.vms.add(vm("php-2", "php", VmState.READY, capacity, Resources.ZERO));
        tick(5);
        assertThat(controller.scaleCalls).isEmpty();
        tick(1);
        assertThat(controller.scaleCalls).containsExactly("php=1");
        // at min now
        controller.vms.remove(1);
        tick(20);
        assertThat(controller.scaleCalls).containsExactly("php=1");
    }

    @Test
    void level2CanBeSwitchedOff() {
        settings.set(new AutoscalerSettings(true, 1000, 1000, 10, false, 0.3, 5, AutoscalerSettings.initial().defaults()));
        Resources capacity = new Resources(2000, 2048);
        controller.partitions.put("php", new Partition("php", "php", "local", 1, 4, capacity, Map.of(), "ACTIVE", 1, 1, 1, 6,
                new Resources(3000, 1536)));
        tick(3);
        assertThat(controller.scaleCalls).isEmpty();
    }

    @Test
    void theLoopsPassTimesAreKeptForTheMBeanTheLongestUntilItIsRead() {
        core.evaluated(3_000_000);
        core.evaluated(9_000_000);
        core.evaluated(2_000_000);

        assertThat(core.lastEvaluationNanos()).isEqualTo(2_000_000);
        assertThat(core.takeMaxEvaluationNanos()).isEqualTo(9_000_000);
        assertThat(core.takeMaxEvaluationNanos()).isZero();
    }

    @Test
    void aPartitionWithNothingPendingAndBusyVmsCostsNoCopyOfEveryProcess() {
        Resources capacity = new Resources(2000, 2048);
        controller.partitions.put("php", new Partition("php", "php", "local", 1, 4, capacity, Map.of(), "ACTIVE", 2, 2, 2, 0,
                Resources.ZERO));
        controller.vms.add(vm("php-1", "php", VmState.READY, capacity, capacity));
        controller.vms.add(vm("php-2", "php", VmState.READY, capacity, capacity));
        tick(3);
        assertThat(controller.scaleCalls).isEmpty();
        assertThat(controller.allProcessesCalls).isZero();
    }
}
