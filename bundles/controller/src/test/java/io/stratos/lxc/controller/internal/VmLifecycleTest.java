package io.stratos.lxc.controller.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.agent.AgentCredentials;
import io.stratos.lxc.api.agent.AgentRegistration;
import io.stratos.lxc.api.agent.AgentReport;
import io.stratos.lxc.api.controller.PartitionSpec;
import io.stratos.lxc.api.controller.PartitionVm;
import io.stratos.lxc.api.controller.Resources;
import io.stratos.lxc.api.controller.VmState;
import io.stratos.lxc.api.iaas.IaasAdapter;
import io.stratos.lxc.api.iaas.VmRef;
import io.stratos.lxc.api.iaas.VmSpec;
import io.stratos.lxc.controller.internal.CartridgeResolver.ResolvedCartridge;
import io.stratos.lxc.testsupport.MutableClock;
import io.stratos.lxc.testsupport.H2Databases;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Partition VMs from request to destruction: what can never work, creation racing deletion, leaked and LOST VMs. */
class VmLifecycleTest {

    /** An adapter whose creation can be held on a latch, made to fail, and that lists what it was told to. */
    static final class TestAdapter implements IaasAdapter {
        final Map<String, VmSpec> asked = new ConcurrentHashMap<>();
        final Map<String, VmSpec> created = new ConcurrentHashMap<>();
        final List<String> destroyed = Collections.synchronizedList(new ArrayList<>());
        final List<VmRef> listed = Collections.synchronizedList(new ArrayList<>());
        volatile OptionalInt limit = OptionalInt.empty();
        volatile String createFailure;
        volatile String destroyFailure;
        volatile CountDownLatch creating;   // counted down when a creation starts
        volatile CountDownLatch mayFinish;  // a creation waits for it

        @Override
        public String id() {
            return "local";
        }

        @Override
        public VmRef createVm(VmSpec spec) {
            if (createFailure != null) {
                throw StratosException.unavailable(createFailure, null);
            }
            asked.put(spec.vmId(), spec);
            if (creating != null) {
                creating.countDown();
            }
            try {
                if (mayFinish != null && !mayFinish.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test never let the creation finish");
                }
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            created.put(spec.vmId(), spec);
            return new VmRef(spec.vmId(), "pid:" + spec.vmId());
        }

        @Override
        public void destroyVm(VmRef vm) {
            if (destroyFailure != null) {
                throw StratosException.unavailable(destroyFailure, null);
            }
            destroyed.add(vm.vmId());
        }

        @Override
        public List<VmRef> listVms() {
            return List.copyOf(listed);
        }

        @Override
        public OptionalInt maxVms() {
            return limit;
        }
    }

    final MutableClock clock = new MutableClock();
    final TestAdapter adapter = new TestAdapter();
    volatile ControllerSettings settings = new ControllerSettings(30, 2, "stratos.local", 8280, 1000, "");
    final List<String> warnings = Collections.synchronizedList(new ArrayList<>());
    final List<String> infos = Collections.synchronizedList(new ArrayList<>());
    final List<Map<String, Object>> events = Collections.synchronizedList(new ArrayList<>());
    final CartridgeResolver resolver = (name, version) -> {
        if (!name.equals("static-httpd")) {
            throw StratosException.notFound("no cartridge '" + name + "'", null);
        }
        return new ResolvedCartridge(name, "1.0", "sha256:abc", new Resources(250, 64), List.of("lxc"));
    };
    ControllerCore core;

    @BeforeEach
    void setUp() throws Exception {
        JdbcDataSource h2 = H2Databases.empty("lifecycle");
        Schema.migrate(h2);
        core = new ControllerCore(new Repository(h2), clock, () -> settings, Map.<String, IaasAdapter>of("local", adapter)::get,
                () -> resolver, () -> "http://127.0.0.1:8181/stratos");
        core.warnLog = warnings::add;
        core.infoLog = infos::add;
        core.events((topic, properties) -> {
            Map<String, Object> event = new java.util.HashMap<>(properties);
            event.put("topic", topic);
            events.add(event);
        });
        core.load();
    }

    private static PartitionSpec partition(String cartridge, int minVms, int maxVms) {
        return new PartitionSpec("web", cartridge, "local", minVms, maxVms, new Resources(1000, 1024), Map.of());
    }

    private AgentCredentials register(String vmId) {
        VmSpec spec = adapter.created.get(vmId);
        return core.register(new AgentRegistration(spec.joinToken(), vmId, "web", new Resources(1000, 1024), List.of("lxc"),
                List.of(), "test", null, "10.214.0.2"));
    }

    private PartitionVm vm(String id) {
        return core.vms().stream().filter(vm -> vm.id().equals(id)).findFirst().orElse(null);
    }

    // ---- what can never work ----------------------------------------------------------------------

    @Test
    void aPartitionForACartridgeTheStoreDoesNotHaveIsRefusedNamingCartridge() {
        assertThatThrownBy(() -> core.createPartition(partition("nocart", 1, 1)))
                .isInstanceOfSatisfying(StratosException.class, e -> {
                    assertThat(e.kind()).isEqualTo(StratosException.Kind.INVALID_INPUT);
                    assertThat(e.field()).isEqualTo("cartridge");
                    assertThat(e.getMessage()).isEqualTo("no cartridge 'nocart' in the store");
                    assertThat(e.hint()).contains("GET /cartridges");
                });
        assertThat(core.partitions()).isEmpty();
        assertThat(core.vms()).isEmpty();
    }

    @Test
    void minVmsAboveWhatTheAdapterCanEverGiveIsRefusedWithItsLimitInTheHint() {
        adapter.limit = OptionalInt.of(3);

        assertThatThrownBy(() -> core.createPartition(partition("nocart", 2000, 2000)))
                .isInstanceOfSatisfying(StratosException.class, e -> {
                    assertThat(e.kind()).isEqualTo(StratosException.Kind.INVALID_INPUT);
                    assertThat(e.field()).isEqualTo("minVms");
                    assertThat(e.hint()).contains("at most 3 VMs");
                });
        assertThat(core.partitions()).isEmpty();
        // up to the limit is fine, and maxVms may go beyond it (the adapter's slots may be raised later)
        core.createPartition(partition("static-httpd", 3, 10));
        assertThat(core.vms()).hasSize(3);
    }

    @Test
    void aCreationFailingForEveryVmIsLoggedOnceThenSummarisedOnceAMinute() {
        adapter.createFailure = "all 3 local VM slots are in use";
        core.createPartition(partition("static-httpd", 2000, 2000));

        for (int pass = 0; pass < 10; pass++) {
            core.reconcile();
            clock.millis += 1000;
        }
        assertThat(warnings).singleElement().asString()
                .contains("Adapter local creating VMs failed for VM web-").contains("all 3 local VM slots are in use");

        clock.millis += 50_000;
        core.reconcile();
        assertThat(warnings).hasSize(2);
        assertThat(warnings.get(1)).isEqualTo("Adapter local creating VMs still failing: 2,000 VMs, last reason: all 3 local VM slots are in use");
        assertThat(core.vms()).allSatisfy(vm -> assertThat(vm.detail()).isEqualTo("adapter failed: all 3 local VM slots are in use"));

        adapter.createFailure = null;
        core.reconcile();
        assertThat(infos).singleElement().asString().startsWith("Adapter local creating VMs works again");
        assertThat(warnings).hasSize(2);
    }

    // ---- creation racing deletion -----------------------------------------------------------------

    @Test
    void aVmTheAdapterCreatesAfterItsPartitionWasDeletedIsDestroyedAtOnce() throws Exception {
        core.createPartition(partition("static-httpd", 1, 1));
        String vmId = core.vms().get(0).id();
        adapter.creating = new CountDownLatch(1);
        adapter.mayFinish = new CountDownLatch(1);
        Thread pass = new Thread(core::reconcile);
        pass.start();
        assertThat(adapter.creating.await(10, TimeUnit.SECONDS)).isTrue();

        core.deletePartition("web"); // while the adapter creates its VM
        adapter.mayFinish.countDown();
        pass.join(10_000);

        assertThat(adapter.created).containsKey(vmId);
        assertThat(adapter.destroyed).containsExactly(vmId);
        assertThat(core.vms()).isEmpty();
    }

    @Test
    void aVmWhoseAgentRegisteredBeforeTheAdapterReturnedKeepsTheAdaptersReference() throws Exception {
        core.createPartition(partition("static-httpd", 1, 1));
        adapter.creating = new CountDownLatch(1);
        adapter.mayFinish = new CountDownLatch(1);
        Thread pass = new Thread(core::reconcile);
        pass.start();
        assertThat(adapter.creating.await(10, TimeUnit.SECONDS)).isTrue();
        String vmId = core.vms().get(0).id();
        // a fast agent (a cloud's cloud-init) registers before the adapter's call returns
        core.register(new AgentRegistration(adapter.asked.get(vmId).joinToken(), vmId, "web", new Resources(1000, 1024),
                List.of("lxc"), List.of(), "test", null, "10.214.0.2"));
        adapter.mayFinish.countDown();
        pass.join(10_000);

        assertThat(vm(vmId).state()).isEqualTo(VmState.READY);
        assertThat(vm(vmId).adapterRef()).isEqualTo("pid:" + vmId);
        assertThat(adapter.destroyed).isEmpty();
    }

    @Test
    void aVmTheControllerBeforeThisOneAskedForIsAdoptedNotCreatedTwice() {
        core.createPartition(partition("static-httpd", 1, 1));
        String vmId = core.vms().get(0).id();
        // the last controller died (or lost its lease) while the adapter created the VM: its row is still REQUESTED
        adapter.listed.add(new VmRef(vmId, "pid:earlier"));
        core.load();

        core.reconcile();

        assertThat(adapter.asked).doesNotContainKey(vmId);
        assertThat(vm(vmId).adapterRef()).isEqualTo("pid:earlier");
        assertThat(vm(vmId).state()).isEqualTo(VmState.BOOTING);
    }

    @Test
    void aVmRequestedBeforeTheLoadThatTheAdapterDoesNotHaveIsCreatedOnce() {
        core.createPartition(partition("static-httpd", 1, 1));
        String vmId = core.vms().get(0).id();
        core.load();

        core.reconcile();
        core.reconcile();

        assertThat(adapter.asked).containsOnlyKeys(vmId);
    }

    // ---- VMs the controller does not know ---------------------------------------------------------

    @Test
    void anAdaptersVmTheControllerDoesNotKnowIsDestroyedAfterTheGracePeriodAndAKnownOneNever() {
        settings = settings.withVmCleanup(600, 300);
        core.createPartition(partition("static-httpd", 1, 1));
        core.reconcile();
        String known = core.vms().get(0).id();
        adapter.listed.add(new VmRef(known, "pid:1"));
        adapter.listed.add(new VmRef("i-f2c17735", "pid:9554"));
        VmJanitor janitor = new VmJanitor(clock, () -> List.of(adapter), core::knownVmIds, () -> settings.unknownVmGraceSeconds());

        assertThat(janitor.sweep()).isEmpty();
        clock.millis += 240_000;
        assertThat(janitor.sweep()).isEmpty();
        clock.millis += 59_000;
        assertThat(janitor.sweep()).isEmpty(); // swept at most once a minute
        assertThat(adapter.destroyed).isEmpty();
        clock.millis += 1_000;
        assertThat(janitor.sweep()).containsExactly(new VmRef("i-f2c17735", "pid:9554"));
        assertThat(adapter.destroyed).containsExactly("i-f2c17735");
    }

    @Test
    void noVmIsSweptWhileTheControllersStateIsNotLoadedOrWhenTheGraceIsZero() {
        adapter.listed.add(new VmRef("i-1", "pid:1"));
        VmJanitor unloaded = new VmJanitor(clock, () -> List.of(adapter), () -> null, () -> 1);
        VmJanitor disabled = new VmJanitor(clock, () -> List.of(adapter), Set::of, () -> 0);
        for (int i = 0; i < 5; i++) {
            unloaded.sweep();
            disabled.sweep();
            clock.millis += 10_000;
        }
        assertThat(adapter.destroyed).isEmpty();
    }

    // ---- LOST VMs ---------------------------------------------------------------------------------

    private AgentCredentials replacement;

    /** One ready VM, then silent: LOST, and a replacement VM registered. Returns the lost VM's id. */
    /** The credentials the agent of the VM that goes LOST was given. */
    private AgentCredentials lostAgent;

    private String lostAndReplaced() {
        String lost = lost(true);
        replacement = register(adapter.created.keySet().stream().filter(id -> !id.equals(lost)).findFirst().orElseThrow());
        return lost;
    }

    /** One ready VM, then silent: LOST, its replacement requested (and created, if replaceable). */
    private String lost(boolean replaceable) {
        settings = settings.withVmCleanup(600, 300);
        core.createPartition(partition("static-httpd", 1, 1));
        core.reconcile();
        String lost = core.vms().get(0).id();
        lostAgent = register(lost);
        if (!replaceable) {
            adapter.createFailure = "no room for a replacement"; // so the partition keeps the one that comes back
        }
        clock.millis += 31_000;
        core.reconcile();
        assertThat(vm(lost).state()).isEqualTo(VmState.LOST);
        return lost;
    }

    /** Time passes, the replacement's agent reporting every 20 s, a reconciliation pass after each report. */
    private void passes(long millis) {
        for (long left = millis; left > 0; left -= 20_000) {
            clock.millis += Math.min(20_000, left);
            core.report(replacement.agentId(), replacement.secret(), new AgentReport(0, List.of(), List.of()));
            core.reconcile();
        }
    }

    @Test
    void aReplacedLostVmIsDestroyedAfterLostVmDestroySecondsThenRemovedWithALogLineAndAnEvent() {
        String lost = lostAndReplaced();

        passes(599_000);
        assertThat(adapter.destroyed).isEmpty();
        assertThat(vm(lost).state()).isEqualTo(VmState.LOST);

        passes(1_000);
        assertThat(adapter.destroyed).containsExactly(lost);
        assertThat(vm(lost)).isNull();
        assertThat(core.vms()).singleElement().extracting(PartitionVm::state).isEqualTo(VmState.READY);
        // posted asynchronously, beside the VM state events
        org.awaitility.Awaitility.await().until(() -> destroyedEvents().size() == 1);
        assertThat(destroyedEvents()).singleElement().satisfies(e -> {
            assertThat(e).containsEntry("topic", "io/stratos/lxc/controller/VM_DESTROYED").containsEntry("vmId", lost)
                    .containsEntry("partition", "web").containsEntry("adapter", "local").containsEntry("adapterRef", "pid:" + lost);
            assertThat((String) e.get("reason")).contains("LOST for 600 s");
        });
        core.load(); // removed from the database too
        assertThat(vm(lost)).isNull();
    }

    @Test
    void aLostVmStaysListedUntilItsAdapterConfirmsTheDestructionAskedAgainAMinuteLater() {
        String lost = lostAndReplaced();
        adapter.destroyFailure = "the cloud API is down";

        passes(600_000);
        assertThat(vm(lost).state()).isEqualTo(VmState.LOST);
        assertThat(vm(lost).detail()).contains("the cloud API is down");
        assertThat(warnings).singleElement().asString().contains("destroying LOST VMs failed for VM " + lost);

        adapter.destroyFailure = null;
        passes(40_000);
        assertThat(adapter.destroyed).isEmpty(); // not asked again yet
        passes(20_000);
        assertThat(adapter.destroyed).containsExactly(lost);
        assertThat(vm(lost)).isNull();
    }

    @Test
    void aLostVmWhoseAgentComesBackBeforeTheTimeoutRejoinsAndIsKept() {
        String lost = lost(false);
        // it comes back as an agent does after a restart: with the secret it kept (its join token is used up)
        AgentCredentials agent = core.register(new AgentRegistration(null, lost, "web",
                new Resources(1000, 1024), List.of("lxc"), List.of(), "test", lostAgent.secret(), "10.214.0.2"));

        for (int i = 0; i < 30; i++) {
            clock.millis += 20_000;
            core.report(agent.agentId(), agent.secret(), new AgentReport(0, List.of(), List.of()));
            core.reconcile();
        }
        assertThat(vm(lost).state()).isEqualTo(VmState.READY);
        assertThat(adapter.destroyed).doesNotContain(lost);
        assertThat(destroyedEvents()).isEmpty();
    }

    private List<Map<String, Object>> destroyedEvents() {
        synchronized (events) {
            return events.stream().filter(e -> "io/stratos/lxc/controller/VM_DESTROYED".equals(e.get("topic"))).toList();
        }
    }

    @Test
    void aLostVmIsKeptWhenLostVmDestroySecondsIsZero() {
        String lost = lostAndReplaced();
        settings = settings.withVmCleanup(0, 300);
        clock.millis += 3_600_000;
        core.reconcile();
        assertThat(vm(lost).state()).isEqualTo(VmState.LOST);
        assertThat(adapter.destroyed).isEmpty();
    }
}
