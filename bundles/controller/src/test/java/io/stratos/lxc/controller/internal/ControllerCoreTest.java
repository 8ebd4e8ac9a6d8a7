package io.stratos.lxc.controller.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.agent.AgentCredentials;
import io.stratos.lxc.api.agent.AgentRegistration;
import io.stratos.lxc.api.agent.AgentReport;
import io.stratos.lxc.api.agent.DesiredState;
import io.stratos.lxc.api.agent.ProcessReport;
import io.stratos.lxc.api.artifact.ArtifactStatus;
import io.stratos.lxc.api.artifact.ArtifactStore;
import io.stratos.lxc.api.artifact.ArtifactVersion;
import io.stratos.lxc.api.artifact.GitArtifactSpec;
import io.stratos.lxc.api.artifact.GitFetcher;
import io.stratos.lxc.api.artifact.StoredArtifact;
import io.stratos.lxc.api.agent.DesiredProcess;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import io.stratos.lxc.api.controller.CartridgeProcess;
import io.stratos.lxc.api.controller.PartitionSpec;
import io.stratos.lxc.api.controller.PartitionVm;
import io.stratos.lxc.api.controller.ProcessMetrics;
import io.stratos.lxc.api.controller.ProcessState;
import io.stratos.lxc.api.controller.Resources;
import io.stratos.lxc.api.controller.SubscriptionSpec;
import io.stratos.lxc.api.controller.VmState;
import io.stratos.lxc.api.iaas.IaasAdapter;
import io.stratos.lxc.api.iaas.VmRef;
import io.stratos.lxc.api.iaas.VmSpec;
import io.stratos.lxc.controller.internal.CartridgeResolver.ResolvedCartridge;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ControllerCoreTest {

    static final class MutableClock extends Clock {
        long millis = 1_700_000_000_000L;

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return Instant.ofEpochMilli(millis);
        }
    }

    static final class FakeAdapter implements IaasAdapter {
        final Map<String, VmSpec> created = new ConcurrentHashMap<>();
        final List<String> destroyed = new ArrayList<>();

        @Override
        public String id() {
            return "local";
        }

        @Override
        public VmRef createVm(VmSpec spec) {
            created.put(spec.vmId(), spec);
            return new VmRef(spec.vmId(), "pid-" + spec.vmId());
        }

        @Override
        public void destroyVm(VmRef vm) {
            destroyed.add(vm.vmId());
        }

        @Override
        public List<VmRef> listVms() {
            return List.of();
        }
    }

    final MutableClock clock = new MutableClock();
    final FakeAdapter adapter = new FakeAdapter();
    final Map<String, IaasAdapter> adapters = new ConcurrentHashMap<>(Map.of("local", adapter));
    final CartridgeResolver resolver = (name, version) -> {
        if (!name.equals("static-httpd")) {
            throw StratosException.notFound("no cartridge '" + name + "'", null);
        }
        return new ResolvedCartridge(name, version == null ? "1.0" : version, "sha256:abc", new Resources(250, 64), List.of("lxc", "docker"),
                this.appDir);
    };
    volatile String appDir = "/www";

    /** Artifacts by digest: the digest of the bytes, as the real store's is of its normalised tarball. */
    static final class MemoryArtifacts implements ArtifactStore {
        final Map<String, byte[]> stored = new ConcurrentHashMap<>();

        @Override
        public StoredArtifact put(InputStream artifact) {
            try {
                byte[] bytes = artifact.readAllBytes();
                String digest = "sha256:" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
                stored.put(digest, bytes);
                return new StoredArtifact(digest, bytes.length, 1);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }

        @Override
        public java.util.Optional<io.stratos.lxc.api.store.ImageBlob> open(String digest) {
            return java.util.Optional.empty();
        }

        @Override
        public int retainOnly(java.util.Set<String> keep, java.time.Duration minAge) {
            int before = stored.size();
            stored.keySet().retainAll(keep);
            return before - stored.size();
        }
    }

    final MemoryArtifacts artifacts = new MemoryArtifacts();
    /** A git "repository": the commit id and content each ref is at. */
    final Map<String, String[]> refs = new ConcurrentHashMap<>();
    final GitFetcher git = (url, ref, tar, max) -> {
        String[] at = refs.get(ref);
        if (at == null) {
            throw StratosException.invalid("ref", "ref '" + ref + "' not found in " + url, null);
        }
        try {
            tar.write(at[1].getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        return at[0];
    };
    DataSource dataSource;
    ControllerCore core;

    /** An empty database; the embedded H2 here, PostgreSQL in {@link ControllerCorePostgresTest}. */
    DataSource emptyDatabase() throws Exception {
        JdbcDataSource h2 = new JdbcDataSource();
        h2.setURL("jdbc:h2:mem:controller-" + System.nanoTime() + ";DB_CLOSE_DELAY=-1");
        return h2;
    }

    @BeforeEach
    void setUp() throws Exception {
        dataSource = emptyDatabase();
        Schema.migrate(dataSource);
        core = newCore();
    }

    private ControllerCore newCore() {
        ControllerCore c = new ControllerCore(new Repository(dataSource), clock,
                () -> new ControllerSettings(30, 2, "stratos.local", 8280, 1000, ""), adapters::get, () -> resolver,
                () -> "http://127.0.0.1:8181/stratos");
        c.artifacts(() -> artifacts, () -> git);
        c.load();
        return c;
    }

    private PartitionSpec partition(int vms) {
        return new PartitionSpec("web", "static-httpd", "local", vms, 4, new Resources(1000, 1024), Map.of());
    }

    /** Creates the partition's VMs through the adapter and registers an agent on each. */
    private List<AgentCredentials> readyVms(int count) {
        core.createPartition(partition(1));
        if (count > 1) {
            core.scalePartition("web", count);
        }
        core.reconcile();
        List<AgentCredentials> agents = new ArrayList<>();
        for (VmSpec spec : adapter.created.values()) {
            agents.add(core.register(new AgentRegistration(spec.joinToken(), spec.vmId(), "web", new Resources(1000, 1024),
                    List.of("lxc", "docker"), List.of(), "test")));
        }
        return agents;
    }

    @Test
    void creatingAPartitionRequestsItsMinimumVmsThroughTheAdapter() {
        core.createPartition(partition(2));
        assertThat(core.vms()).extracting(PartitionVm::state).containsOnly(VmState.REQUESTED);

        core.reconcile();

        assertThat(adapter.created).hasSize(2);
        assertThat(core.vms()).extracting(PartitionVm::state).containsOnly(VmState.BOOTING);
        assertThat(adapter.created.values()).allSatisfy(spec -> {
            assertThat(spec.controllerUrl()).isEqualTo("http://127.0.0.1:8181/stratos");
            assertThat(spec.joinToken()).hasSize(32);
        });
    }

    @Test
    void anAgentWithTheJoinTokenRegistersAndItsVmBecomesReady() {
        List<AgentCredentials> agents = readyVms(1);

        assertThat(agents).hasSize(1);
        assertThat(core.vms()).extracting(PartitionVm::state).containsOnly(VmState.READY);
        assertThat(core.partition("web").readyVms()).isEqualTo(1);
    }

    @Test
    void aVmShowsItsAgentsVersionAndTheImagesInItsCacheAsLastReported() {
        AgentCredentials agent = readyVms(1).get(0);
        assertThat(core.vms().get(0).agentVersion()).isEqualTo("test");
        assertThat(core.vms().get(0).cachedImages()).isEmpty();

        core.report(agent.agentId(), agent.secret(), new AgentReport(0, List.of(), List.of("sha256:" + "a".repeat(64)), "1.2.3"));
        assertThat(core.vms().get(0).cachedImages()).containsExactly("sha256:" + "a".repeat(64));
        // the heartbeat carries the version too: a restarted controller learns it without a new registration
        assertThat(core.vms().get(0).agentVersion()).isEqualTo("1.2.3");
    }

    @Test
    void aWrongJoinTokenIsRefusedWithoutSayingWhetherTheVmExists() {
        core.createPartition(partition(1));
        String vmId = core.vms().get(0).id();

        assertThatThrownBy(() -> core.register(new AgentRegistration("wrong", vmId, "web", null, List.of("lxc"), List.of(), "t")))
                .hasMessage("unknown VM or wrong join token");
        assertThatThrownBy(() -> core.register(new AgentRegistration("wrong", "nope", "web", null, List.of("lxc"), List.of(), "t")))
                .hasMessage("unknown VM or wrong join token");
    }

    @Test
    void subscribingPlacesProcessesAndTheAgentSeesThemInItsDesiredState() throws Exception {
        AgentCredentials agent = readyVms(1).get(0);

        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 2, 5, Map.of("GREETING", "hi")));

        List<CartridgeProcess> processes = core.processes("hello");
        assertThat(processes).hasSize(2).allSatisfy(p -> {
            assertThat(p.vmId()).isEqualTo(agent.agentId());
            assertThat(p.state()).isEqualTo(ProcessState.STARTING);
            assertThat(p.runtime()).isEqualTo("lxc");
        });
        DesiredState desired = core.desiredState(agent.agentId(), agent.secret(), 0).toCompletableFuture().get(1, TimeUnit.SECONDS);
        assertThat(desired.processes()).hasSize(2).allSatisfy(d -> {
            assertThat(d.imageDigest()).isEqualTo("sha256:abc");
            assertThat(d.env()).containsEntry("GREETING", "hi");
            assertThat(d.memoryMiB()).isEqualTo(64);
        });
        assertThat(core.vms().get(0).allocated()).isEqualTo(new Resources(500, 128));
    }

    @Test
    void aLongPollIsAnsweredAsSoonAsTheDesiredStateChanges() throws Exception {
        AgentCredentials agent = readyVms(1).get(0);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 1, 5, null));
        DesiredState first = core.desiredState(agent.agentId(), agent.secret(), 0).toCompletableFuture().get();

        CompletableFuture<DesiredState> poll = core.desiredState(agent.agentId(), agent.secret(), first.revision()).toCompletableFuture();
        assertThat(poll).isNotDone();
        core.scale("hello", 3);

        DesiredState next = poll.get(1, TimeUnit.SECONDS);
        assertThat(next.revision()).isGreaterThan(first.revision());
        assertThat(next.processes()).hasSize(3);
    }

    @Test
    void processesSpreadOverVmsThenPackTheMostAllocatedOne() {
        readyVms(2);
        core.subscribe("alice", new SubscriptionSpec("one", "static-httpd", null, null, 2, 5, null));

        assertThat(core.processes("one")).extracting(CartridgeProcess::vmId).doesNotHaveDuplicates();

        core.subscribe("bob", new SubscriptionSpec("two", "static-httpd", null, null, 1, 5, null));
        core.scale("one", 3);
        // Both VMs hold one of "one"; "two" went to one of them; the third "one" packs onto the fuller VM.
        String fuller = core.processes("two").get(0).vmId();
        assertThat(core.processes("one")).extracting(CartridgeProcess::vmId).filteredOn(fuller::equals).hasSize(2);
    }

    @Test
    void whenNoVmHasRoomTheProcessStaysPendingWithTheReasonAndThePartitionShowsTheShortfall() {
        readyVms(1);
        core.subscribe("alice", new SubscriptionSpec("big", "static-httpd", null, null, 1, 10, null));
        core.scale("big", 5); // 5 x 250m on a 1000m VM: the fifth does not fit

        List<CartridgeProcess> pending = core.processes("big").stream().filter(p -> p.state() == ProcessState.PENDING).toList();
        assertThat(pending).hasSize(1);
        assertThat(pending.get(0).reason()).contains("no ready VM of partition 'web' has 250m CPU and 64 MiB free");
        assertThat(core.partition("web").pending()).isEqualTo(1);
        assertThat(core.partition("web").shortfall()).isEqualTo(new Resources(250, 64));
    }

    @Test
    void badRequestsAreRefusedAndChangeNothing() {
        readyVms(1);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 1, 3, null));

        assertThatThrownBy(() -> core.subscribe("bob", new SubscriptionSpec("hello", "static-httpd", null, null, 1, 3, null)))
                .isInstanceOf(StratosException.class).hasMessage("alias 'hello' is taken")
                .extracting(e -> ((StratosException) e).kind()).isEqualTo(StratosException.Kind.CONFLICT);
        assertThatThrownBy(() -> core.subscribe("bob", new SubscriptionSpec("Hello_World", "static-httpd", null, null, 1, 3, null)))
                .hasMessageContaining("is not a DNS label");
        assertThatThrownBy(() -> core.subscribe("bob", new SubscriptionSpec("other", "nginx", null, null, 1, 3, null)))
                .hasMessage("no cartridge 'nginx'");
        assertThatThrownBy(() -> core.scale("hello", 4)).hasMessage("subscription 'hello' can have 1 to 3 processes, not 4");
        assertThatThrownBy(() -> core.scale("hello", 0)).isInstanceOf(StratosException.class);
        assertThatThrownBy(() -> core.createPartition(new PartitionSpec("other", "php", "openstack", 1, 1, null, null)))
                .hasMessage("no IaaS adapter 'openstack' is available");
        assertThatThrownBy(() -> core.deletePartition("web")).hasMessageContaining("still serves subscriptions [hello]");

        assertThat(core.subscriptions()).hasSize(1);
        assertThat(core.processes()).hasSize(1);
        assertThat(core.partitions()).hasSize(1);
    }

    @Test
    void aSilentAgentIsLostAfterTheGracePeriodAndItsProcessesMoveToAnotherVm() {
        List<AgentCredentials> agents = readyVms(2);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 2, 5, null));
        AgentCredentials survivor = agents.get(0);

        clock.millis += 31_000;
        core.report(survivor.agentId(), survivor.secret(), new AgentReport(0, List.of(), List.of()));
        core.reconcile();

        assertThat(core.vms()).filteredOn(vm -> vm.id().equals(agents.get(1).agentId()))
                .extracting(PartitionVm::state).containsExactly(VmState.LOST);
        assertThat(core.processes("hello")).hasSize(2).extracting(CartridgeProcess::vmId).containsOnly(survivor.agentId());
    }

    @Test
    void agentReportsUpdateProcessesAndScaledDownOnesDisappearOnceStopped() {
        AgentCredentials agent = readyVms(1).get(0);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 1, 5, null));
        core.scale("hello", 2);
        List<ProcessReport> running = core.processes("hello").stream()
                .map(p -> new ProcessReport(p.id(), ProcessState.RUNNING, 20000, "", new ProcessMetrics(5, 1 << 20, 64 << 20, 3, 0)))
                .toList();
        core.report(agent.agentId(), agent.secret(), new AgentReport(0, running, List.of()));
        assertThat(core.processes("hello")).extracting(CartridgeProcess::state).containsOnly(ProcessState.RUNNING);

        core.scale("hello", 1);
        assertThat(core.processes("hello")).extracting(CartridgeProcess::state).contains(ProcessState.STOPPING);
        CartridgeProcess kept = core.processes("hello").stream().filter(p -> p.state() == ProcessState.RUNNING).findFirst().orElseThrow();
        core.report(agent.agentId(), agent.secret(), new AgentReport(0,
                running.stream().filter(r -> r.processId().equals(kept.id())).toList(), List.of()));

        assertThat(core.processes("hello")).extracting(CartridgeProcess::id).containsExactly(kept.id());
        assertThat(core.vms().get(0).allocated()).isEqualTo(new Resources(250, 64));
    }

    /** Scale-in with a router in front: a leaving process stops only once the router has drained it. */
    @Test
    void aScaledDownProcessLeavesServiceAtOnceButStopsOnlyOnceDrained() throws Exception {
        Map<String, Boolean> drained = new ConcurrentHashMap<>();
        List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
        core.drains(() -> List.of((alias, id) -> {
            asked.add(alias + "/" + id);
            return drained.getOrDefault(id, false);
        }));
        AgentCredentials agent = readyVms(1).get(0);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 1, 5, null));
        core.scale("hello", 3);
        List<ProcessReport> running = core.processes("hello").stream()
                .map(p -> new ProcessReport(p.id(), ProcessState.RUNNING, 20000, "", ProcessMetrics.NONE)).toList();
        core.report(agent.agentId(), agent.secret(), new AgentReport(0, running, List.of()));

        core.scale("hello", 2);
        CartridgeProcess leaving = core.processes("hello").stream().filter(p -> p.state() == ProcessState.STOPPING)
                .findFirst().orElseThrow();
        assertThat(leaving.reason()).contains("draining");
        // out of service (STOPPING: no longer a router backend) but its agent keeps running it
        assertThat(desired(agent)).contains(leaving.id()).hasSize(3);
        core.reconcile();
        core.report(agent.agentId(), agent.secret(), new AgentReport(0, running, List.of()));
        assertThat(asked).contains("hello/" + leaving.id());
        assertThat(desired(agent)).contains(leaving.id());
        assertThat(core.processes("hello")).filteredOn(p -> p.id().equals(leaving.id()))
                .extracting(CartridgeProcess::state).containsExactly(ProcessState.STOPPING);

        drained.put(leaving.id(), true);
        core.reconcile();
        assertThat(desired(agent)).doesNotContain(leaving.id()).hasSize(2);
        core.report(agent.agentId(), agent.secret(), new AgentReport(0,
                running.stream().filter(r -> !r.processId().equals(leaving.id())).toList(), List.of()));
        assertThat(core.processes("hello")).hasSize(2).extracting(CartridgeProcess::state).containsOnly(ProcessState.RUNNING);
    }

    @Test
    void aProcessThatDoesNotDrainStopsAfterTheDrainTimeoutAndOneNotServingStopsAtOnce() throws Exception {
        core.drains(() -> List.of((alias, id) -> false));
        AgentCredentials agent = readyVms(1).get(0);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 1, 5, null));
        core.scale("hello", 2);
        CartridgeProcess serving = core.processes("hello").get(0);
        core.report(agent.agentId(), agent.secret(), new AgentReport(0,
                List.of(new ProcessReport(serving.id(), ProcessState.RUNNING, 20000, "", ProcessMetrics.NONE)), List.of()));

        // the STARTING one goes first and at once: nothing was routed to it
        core.scale("hello", 1);
        assertThat(desired(agent)).containsExactly(serving.id());

        core.scale("hello", 2);
        List<ProcessReport> both = core.processes("hello").stream()
                .map(p -> new ProcessReport(p.id(), ProcessState.RUNNING, 20000, "", ProcessMetrics.NONE)).toList();
        core.report(agent.agentId(), agent.secret(), new AgentReport(0, both, List.of()));
        core.scale("hello", 1);
        String leaving = core.processes("hello").stream().filter(p -> p.state() == ProcessState.STOPPING).findFirst().orElseThrow().id();
        core.reconcile();
        assertThat(desired(agent)).contains(leaving);
        clock.millis += TimeUnit.SECONDS.toMillis(ControllerSettings.DEFAULT_DRAIN_TIMEOUT_SECONDS) + 1;
        core.report(agent.agentId(), agent.secret(), new AgentReport(0, both, List.of())); // the agent is alive
        core.reconcile();
        assertThat(desired(agent)).doesNotContain(leaving).hasSize(1);
    }

    private List<String> desired(AgentCredentials agent) throws Exception {
        return core.desiredState(agent.agentId(), agent.secret(), 0).toCompletableFuture().get(1, TimeUnit.SECONDS)
                .processes().stream().map(d -> d.processId()).toList();
    }

    @Test
    void aRestartedControllerHasTheSameSubscriptionsAndProcessesAndNoDuplicates() {
        AgentCredentials agent = readyVms(1).get(0);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 1, 5, null));
        core.scale("hello", 3);
        List<String> ids = core.processes("hello").stream().map(CartridgeProcess::id).sorted().toList();

        ControllerCore restarted = newCore();
        restarted.reconcile();

        assertThat(restarted.subscriptions()).hasSize(1);
        assertThat(restarted.processes("hello").stream().map(CartridgeProcess::id).sorted().toList()).isEqualTo(ids);
        assertThat(restarted.vms().get(0).allocated()).isEqualTo(new Resources(750, 192));
        // The agent keeps its credentials across a controller restart.
        restarted.report(agent.agentId(), agent.secret(), new AgentReport(0, List.of(), List.of()));
    }

    @Test
    void unsubscribingFreesTheAlias() {
        readyVms(1);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 2, 5, null));
        core.unsubscribe("hello");

        assertThat(core.processes()).isEmpty();
        assertThat(core.vms().get(0).allocated()).isEqualTo(Resources.ZERO);
        core.subscribe("bob", new SubscriptionSpec("hello", "static-httpd", null, null, 1, 5, null));
        assertThat(core.subscription("hello").tenant()).isEqualTo("bob");
    }

    @Test
    void whileTheAdapterIsAwayVmRequestsWaitAndProceedWhenItReturns() {
        adapters.clear();
        adapters.put("local", adapter);
        core.createPartition(partition(1));
        adapters.remove("local");
        core.reconcile();
        assertThat(core.partition("web").state()).isEqualTo("ADAPTER_UNAVAILABLE");
        assertThat(core.vms()).extracting(PartitionVm::state).containsExactly(VmState.REQUESTED);

        adapters.put("local", adapter);
        core.reconcile();

        assertThat(core.partition("web").state()).isEqualTo("ACTIVE");
        assertThat(core.vms()).extracting(PartitionVm::state).containsExactly(VmState.BOOTING);
    }

    private void reportAllRunning(List<AgentCredentials> agents) {
        for (AgentCredentials agent : agents) {
            List<ProcessReport> running = core.processes().stream()
                    .filter(p -> agent.agentId().equals(p.vmId()) && p.state() != ProcessState.STOPPING)
                    .map(p -> new ProcessReport(p.id(), ProcessState.RUNNING, 20000, "", ProcessMetrics.NONE)).toList();
            core.report(agent.agentId(), agent.secret(), new AgentReport(0, running, List.of()));
        }
    }

    @Test
    void scalingAPartitionOutRequestsVmsWithinItsMaximum() {
        readyVms(1);
        core.scalePartition("web", 3);
        core.reconcile();

        assertThat(adapter.created).hasSize(3);
        assertThat(core.partition("web").desiredVms()).isEqualTo(3);
        assertThatThrownBy(() -> core.scalePartition("web", 5)).hasMessage("partition 'web' can have 1 to 4 VMs, not 5");
    }

    @Test
    void scalingInDrainsAVmMovingItsProcessesBeforeDestroyingIt() {
        List<AgentCredentials> agents = readyVms(2);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 2, 5, null));
        reportAllRunning(agents);
        assertThat(core.processes("hello")).extracting(CartridgeProcess::vmId).doesNotHaveDuplicates();

        core.scalePartition("web", 1);
        String draining = core.vms().stream().filter(vm -> vm.state() == VmState.DRAINING).findFirst().orElseThrow().id();
        core.reconcile();
        // A replacement runs elsewhere before the process on the draining VM stops.
        assertThat(core.processes("hello")).hasSize(3);
        assertThat(core.processes("hello")).filteredOn(p -> draining.equals(p.vmId()))
                .extracting(CartridgeProcess::state).containsExactly(ProcessState.RUNNING);

        reportAllRunning(agents);
        core.reconcile();
        assertThat(core.processes("hello")).filteredOn(p -> draining.equals(p.vmId()))
                .extracting(CartridgeProcess::state).containsExactly(ProcessState.STOPPING);

        reportAllRunning(agents); // the draining VM's agent no longer reports the stopped process
        core.reconcile();

        assertThat(adapter.destroyed).containsExactly(draining);
        assertThat(core.vms()).extracting(PartitionVm::id).doesNotContain(draining);
        assertThat(core.processes("hello")).hasSize(2).extracting(CartridgeProcess::vmId).doesNotContain(draining);
    }

    @Test
    void aDrainingVmWhoseProcessesCannotMoveIsKept() {
        List<AgentCredentials> agents = readyVms(2);
        core.subscribe("alice", new SubscriptionSpec("big", "static-httpd", null, null, 8, 8, null)); // 8 x 250m: both VMs full
        reportAllRunning(agents);

        core.scalePartition("web", 1);
        core.reconcile();
        reportAllRunning(agents);
        core.reconcile();

        assertThat(adapter.destroyed).isEmpty();
        assertThat(core.vms()).hasSize(2);
        assertThat(core.processes("big")).filteredOn(p -> p.state() == ProcessState.RUNNING).hasSize(8);
    }

    @Test
    void aLostVmForgetsItsStoppingProcessesAndRePlacesTheOthers() {
        List<AgentCredentials> agents = readyVms(2);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 1, 5, null));
        core.scale("hello", 4);
        reportAllRunning(agents);
        core.scale("hello", 2); // two processes STOPPING, on whichever VMs
        AgentCredentials survivor = agents.get(0);

        clock.millis += 31_000;
        core.report(survivor.agentId(), survivor.secret(), new AgentReport(0, List.of(), List.of()));
        core.reconcile();

        assertThat(core.processes("hello")).extracting(CartridgeProcess::state).doesNotContain(ProcessState.STOPPING);
        assertThat(core.processes("hello").stream().filter(p -> !p.state().equals(ProcessState.STOPPING)).count()).isEqualTo(2);
        assertThat(core.processes("hello")).extracting(CartridgeProcess::vmId).containsOnly(survivor.agentId());
    }

    /** What a subscription shows per state is what its processes say, through every kind of change. */
    private void countsMatchProcesses() {
        for (io.stratos.lxc.api.controller.Subscription s : core.subscriptions()) {
            Map<ProcessState, Integer> counted = new java.util.EnumMap<>(ProcessState.class);
            core.processes(s.alias()).forEach(p -> counted.merge(p.state(), 1, Integer::sum));
            assertThat(s.processes()).as("counts of %s", s.alias()).isEqualTo(counted);
        }
        assertThat(core.counts().get("pending")).isEqualTo((int) core.processes().stream()
                .filter(p -> p.state() == ProcessState.PENDING).count());
    }

    @Test
    void aSubscriptionsCountsPerStateFollowPlacementReportsScalingLostVmsAndARestart() {
        List<AgentCredentials> agents = readyVms(2);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 1, 10, null));
        core.scale("hello", 3);
        core.subscribe("alice", new SubscriptionSpec("big", "static-httpd", null, null, 6, 10, null)); // 9 x 250m on 2 x 1000m
        countsMatchProcesses();
        assertThat(core.subscription("big").processes()).containsEntry(ProcessState.PENDING, 1);

        reportAllRunning(agents);
        countsMatchProcesses();
        CartridgeProcess one = core.processes("hello").get(0);
        AgentCredentials itsAgent = agents.stream().filter(a -> a.agentId().equals(one.vmId())).findFirst().orElseThrow();
        core.report(itsAgent.agentId(), itsAgent.secret(), new AgentReport(0, List.of(
                new ProcessReport(one.id(), ProcessState.FAILED, 0, "exited 1", ProcessMetrics.NONE)), List.of()));
        countsMatchProcesses();
        assertThat(core.subscription("hello").processes()).containsEntry(ProcessState.FAILED, 1);

        core.scale("hello", 1);
        countsMatchProcesses();
        assertThat(core.subscription("hello").processes()).containsKey(ProcessState.STOPPING);

        AgentCredentials survivor = agents.get(0);
        clock.millis += 31_000;
        reportAllRunning(List.of(survivor));
        core.reconcile();
        countsMatchProcesses();

        core = newCore(); // a restart counts what it loads
        countsMatchProcesses();
        core.unsubscribe("big");
        countsMatchProcesses();
        assertThat(core.counts().get("pending")).isZero();
    }

    @Test
    void aReportThatChangesNothingAnswersNoLongPollAndKeepsTheRevision() throws Exception {
        AgentCredentials agent = readyVms(1).get(0);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 1, 5, null));
        core.scale("hello", 2);
        reportAllRunning(List.of(agent));
        DesiredState now = core.desiredState(agent.agentId(), agent.secret(), 0).toCompletableFuture().get(1, TimeUnit.SECONDS);
        CompletableFuture<DesiredState> poll = core.desiredState(agent.agentId(), agent.secret(), now.revision()).toCompletableFuture();

        reportAllRunning(List.of(agent));
        reportAllRunning(List.of(agent));

        assertThat(poll).isNotDone();
        assertThat(core.processes("hello")).extracting(CartridgeProcess::state).containsOnly(ProcessState.RUNNING);
        // a report that does change something (here: a process stopped by the agent) is still seen
        core.scale("hello", 1);
        assertThat(poll.get(1, TimeUnit.SECONDS).processes()).hasSize(1);
    }

    @Test
    void subscriptionsWithProcessesIsTheSelectedSubscriptionsWithTheirProcessesAsTheSingleCallsShowThem() throws Exception {
        List<AgentCredentials> agents = readyVms(2);
        core.policyExists(name -> true);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, "cpu", 3, 10, null));
        core.subscribe("bob", new SubscriptionSpec("manual", "static-httpd", null, null, 2, 10, null));
        reportAllRunning(agents);

        List<io.stratos.lxc.api.controller.SubscriptionProcesses> all = core.subscriptionsWithProcesses(s -> true);
        assertThat(all).extracting(v -> v.subscription().alias()).containsExactly("hello", "manual");
        for (io.stratos.lxc.api.controller.SubscriptionProcesses view : all) {
            assertThat(view.subscription()).isEqualTo(core.subscription(view.subscription().alias()));
            assertThat(view.processes()).isEqualTo(core.processes(view.subscription().alias()));
        }
        assertThat(core.subscriptionsWithProcesses(s -> s.policy() != null)).extracting(v -> v.subscription().alias())
                .containsExactly("hello");
        // copied a few processes per hold of the lock: the same view
        core.viewProcessesPerHold = 2;
        assertThat(core.subscriptionsWithProcesses(s -> true)).isEqualTo(all);
        core.viewProcessesPerHold = 1;
        assertThat(core.subscriptionsWithProcesses(s -> s.policy() != null)).extracting(v -> v.subscription().alias())
                .containsExactly("hello");

        // the API's default (for controllers without their own) gives the same
        io.stratos.lxc.api.controller.CloudController plain = (io.stratos.lxc.api.controller.CloudController)
                java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                        new Class<?>[] {io.stratos.lxc.api.controller.CloudController.class}, (proxy, method, args) ->
                                method.getName().equals("subscriptionsWithProcesses")
                                        ? java.lang.reflect.InvocationHandler.invokeDefault(proxy, method, args)
                                        : method.invoke(core, args));
        assertThat(plain.subscriptionsWithProcesses(s -> true)).isEqualTo(all);
        assertThat(plain.subscriptionsWithProcesses(s -> s.policy() != null)).hasSize(1);
    }

    @Test
    void anAgentIsAuthenticatedByItsSecretWithoutWaitingForTheControllersLock() throws Exception {
        core.createPartition(partition(1));
        String unregistered = core.vms().get(0).id();
        assertThat(core.authenticates(unregistered, "")).isFalse();
        core.reconcile();
        VmSpec spec = adapter.created.values().iterator().next();
        AgentCredentials agent = core.register(new AgentRegistration(spec.joinToken(), spec.vmId(), "web", new Resources(1000, 1024),
                List.of("lxc"), List.of(), "test"));

        assertThat(core.authenticates(agent.agentId(), agent.secret())).isTrue();
        assertThat(core.authenticates(agent.agentId(), "0".repeat(32))).isFalse();
        assertThat(core.authenticates("nope", agent.secret())).isFalse();
        assertThat(core.authenticates(null, agent.secret())).isFalse();
        assertThat(core.authenticates(agent.agentId(), null)).isFalse();

        java.util.concurrent.CountDownLatch held = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        Thread holder = new Thread(() -> {
            synchronized (core) {
                held.countDown();
                try {
                    release.await(5, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        holder.start();
        try {
            held.await(5, TimeUnit.SECONDS);
            assertThat(CompletableFuture.supplyAsync(() -> core.authenticates(agent.agentId(), agent.secret()))
                    .get(2, TimeUnit.SECONDS)).isTrue();
        } finally {
            release.countDown();
            holder.join();
        }

        core = newCore(); // the secret survives a restart
        assertThat(core.authenticates(agent.agentId(), agent.secret())).isTrue();
    }

    @Test
    void aSubscriptionNamingAnUnknownPolicyIsRefusedWhileTheAutoscalerCanTell() {
        readyVms(1);
        core.policyExists(name -> name.equals("web-policy"));

        assertThatThrownBy(() -> core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, "typo", 1, 3, null)))
                .hasMessage("no autoscale policy 'typo'");
        assertThat(core.subscriptions()).isEmpty();
        assertThat(core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, "web-policy", 1, 3, null)).policy())
                .isEqualTo("web-policy");
    }

    @Test
    void thePolicyIsAskedForWithoutHoldingTheControllerSoTheAutoscalerReadingSubscriptionsMeanwhileIsNotBlocked() {
        readyVms(1);
        // The autoscaler answers under its own lock, which its evaluation also holds while it reads subscriptions.
        core.policyExists(name -> {
            java.util.concurrent.CompletableFuture<Integer> evaluation =
                    java.util.concurrent.CompletableFuture.supplyAsync(() -> core.subscriptions().size());
            try {
                return evaluation.get(5, java.util.concurrent.TimeUnit.SECONDS) >= 0 && name.equals("web-policy");
            } catch (Exception e) {
                throw new IllegalStateException("the autoscaler could not read subscriptions while asked for a policy", e);
            }
        });

        assertThat(core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, "web-policy", 1, 3, null)).policy())
                .isEqualTo("web-policy");
    }

    @Test
    void aPartitionWhoseVmsCannotBeDestroyedIsNotForgotten() {
        readyVms(1);
        adapters.remove("local");

        assertThatThrownBy(() -> core.deletePartition("web")).hasMessageContaining("IaaS adapter 'local' is unavailable");
        assertThat(core.vms()).hasSize(1);

        adapters.put("local", adapter);
        core.deletePartition("web");
        assertThat(adapter.destroyed).hasSize(1);
        assertThat(core.partitions()).isEmpty();
    }

    @Test
    void nullsAndLineBreaksInEnvAndTemplateAreRefusedAndChangeNothing() {
        readyVms(1);
        Map<String, String> nullValue = new java.util.HashMap<>();
        nullValue.put("imageId", null);
        assertThatThrownBy(() -> core.createPartition(new PartitionSpec("other", "php", "local", 0, 1, null, nullValue)))
                .isInstanceOf(StratosException.class).hasMessage("template key imageId has no value");
        assertThatThrownBy(() -> core.subscribe("bob", new SubscriptionSpec("evil", "static-httpd", null, null, 1, 1,
                Map.of("X", "1\nlxc.mount.entry = / host none bind 0 0"))))
                .isInstanceOf(StratosException.class).hasMessageContaining("line break");

        assertThat(core.partitions()).hasSize(1);
        assertThat(core.subscriptions()).isEmpty();
    }

    @Test
    void theLongestNamesAndAliasesGiveVmAndProcessIdsThatFitTheirColumnsAndContainerNames() {
        String longest = "a" + "-b".repeat(30) + "cd";
        assertThat(longest).hasSize(63);
        core.createPartition(new PartitionSpec(longest, "static-httpd", "local", 1, 1, new Resources(1000, 1024), Map.of()));
        core.subscribe("alice", new SubscriptionSpec(longest, "static-httpd", null, null, 1, 1, null));

        assertThat(core.vms()).singleElement().satisfies(vm -> assertThat(vm.id()).hasSizeLessThanOrEqualTo(63).startsWith("a-b-b"));
        assertThat(core.processes()).singleElement().satisfies(p -> assertThat(p.id()).hasSizeLessThanOrEqualTo(63));
    }

    // ---- application artifacts -------------------------------------------------------------------

    private static InputStream bytes(String content) {
        return new ByteArrayInputStream(content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The agent answers as a healthy agent would: what it was asked to run is RUNNING, except the given ids. */
    private void agentRuns(AgentCredentials agent, ProcessState othersState, java.util.Set<String> others) {
        List<ProcessReport> reports = new ArrayList<>();
        for (CartridgeProcess p : core.processes()) {
            if (agent.agentId().equals(p.vmId()) && p.state() != ProcessState.STOPPING) {
                reports.add(new ProcessReport(p.id(), others.contains(p.id()) ? othersState : ProcessState.RUNNING, 20000,
                        others.contains(p.id()) ? "health check GET / answered HTTP 500" : "", ProcessMetrics.NONE));
            }
        }
        core.report(agent.agentId(), agent.secret(), new AgentReport(0, reports, List.of()));
    }

    private void agentRunsAll(AgentCredentials agent) {
        agentRuns(agent, ProcessState.RUNNING, java.util.Set.of());
    }

    private List<Integer> liveArtifactVersions(String alias) {
        return core.processes(alias).stream().filter(p -> p.state() != ProcessState.STOPPING).map(CartridgeProcess::artifact).sorted().toList();
    }

    @Test
    void aNewArtifactRollsOutOneProcessAtATimeNeverBelowTheDesiredCount() throws Exception {
        AgentCredentials agent = readyVms(1).get(0);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 3, 5, null));
        agentRunsAll(agent);

        ArtifactStatus started = core.deployArtifact("hello", bytes("v1"));

        assertThat(started.desired()).isEqualTo(1);
        assertThat(started.deployed()).isZero();
        assertThat(started.rollout()).isEqualTo("ROLLING_OUT");
        assertThat(started.history()).singleElement().satisfies(v -> {
            assertThat(v.state()).isEqualTo(ArtifactVersion.ROLLING_OUT);
            assertThat(v.source()).isEqualTo("upload");
        });
        String digest = started.history().get(0).digest();
        List<Integer> serving = new ArrayList<>();
        for (int step = 0; step < 20 && core.artifact("hello").deployed() != 1; step++) {
            // never fewer RUNNING processes than desired, never more than one extra
            long running = core.processes("hello").stream().filter(p -> p.state() == ProcessState.RUNNING).count();
            serving.add((int) running);
            assertThat(core.processes("hello").stream().filter(p -> p.state() != ProcessState.STOPPING)).hasSizeBetween(3, 4);
            agentRunsAll(agent);
            core.reconcile();
        }

        assertThat(serving).allSatisfy(n -> assertThat(n).isGreaterThanOrEqualTo(3));
        ArtifactStatus done = core.artifact("hello");
        assertThat(done.deployed()).isEqualTo(1);
        assertThat(done.rollout()).isEqualTo("IDLE");
        assertThat(done.history().get(0).state()).isEqualTo(ArtifactVersion.DEPLOYED);
        agentRunsAll(agent);
        assertThat(liveArtifactVersions("hello")).containsExactly(1, 1, 1);
        assertThat(desired(agent)).hasSize(3);
        DesiredState state = core.desiredState(agent.agentId(), agent.secret(), 0).toCompletableFuture().get(1, TimeUnit.SECONDS);
        assertThat(state.processes()).extracting(DesiredProcess::artifactDigest).containsOnly(digest);
        assertThat(core.subscription("hello").artifact()).isEqualTo(
                new io.stratos.lxc.api.controller.Subscription.Artifact(1, digest, 1, digest, "IDLE"));
    }

    @Test
    void aVersionWhoseNewProcessFailsStopsTheRolloutAndTheOldVersionKeepsServing() {
        AgentCredentials agent = readyVms(1).get(0);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 2, 5, null));
        agentRunsAll(agent);
        core.deployArtifact("hello", bytes("v1"));
        for (int i = 0; i < 10 && core.artifact("hello").deployed() != 1; i++) {
            agentRunsAll(agent);
            core.reconcile();
        }
        assertThat(core.artifact("hello").deployed()).isEqualTo(1);

        core.deployArtifact("hello", bytes("v2 broken"));
        String surge = core.processes("hello").stream().filter(p -> p.artifact() == 2).findFirst().orElseThrow().id();
        // its health check keeps failing: STARTING, past the rollout's health timeout
        agentRuns(agent, ProcessState.STARTING, java.util.Set.of(surge));
        clock.millis += TimeUnit.SECONDS.toMillis(ControllerSettings.DEFAULT_ROLLOUT_HEALTH_TIMEOUT_SECONDS + 1);
        agentRuns(agent, ProcessState.STARTING, java.util.Set.of(surge)); // its heartbeat: the VM is not lost
        core.reconcile();

        ArtifactStatus status = core.artifact("hello");
        assertThat(status.desired()).isEqualTo(1);
        assertThat(status.deployed()).isEqualTo(1);
        assertThat(status.rollout()).isEqualTo("FAILED");
        assertThat(status.history().get(0)).satisfies(v -> {
            assertThat(v.number()).isEqualTo(2);
            assertThat(v.state()).isEqualTo(ArtifactVersion.FAILED);
            assertThat(v.reason()).contains(surge).contains("answered HTTP 500").contains("rolled back to version 1");
        });
        assertThat(status.history().get(1).state()).isEqualTo(ArtifactVersion.DEPLOYED);
        agentRunsAll(agent);
        assertThat(liveArtifactVersions("hello")).containsExactly(1, 1);
        assertThat(core.processes("hello")).filteredOn(p -> p.state() == ProcessState.RUNNING).hasSize(2);
    }

    @Test
    void aProcessReportedFailedStopsTheRolloutAtOnce() {
        AgentCredentials agent = readyVms(1).get(0);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 1, 5, null));
        agentRunsAll(agent);

        core.deployArtifact("hello", bytes("v1"));
        String surge = core.processes("hello").stream().filter(p -> p.artifact() == 1).findFirst().orElseThrow().id();
        agentRuns(agent, ProcessState.FAILED, java.util.Set.of(surge));

        assertThat(core.artifact("hello").history().get(0).state()).isEqualTo(ArtifactVersion.FAILED);
        assertThat(core.artifact("hello").desired()).isZero();
        assertThat(liveArtifactVersions("hello")).containsExactly(0);
    }

    @Test
    void theSameContentTwiceIsOneVersionAndAStateSurvivesARestart() {
        AgentCredentials agent = readyVms(1).get(0);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 1, 5, null));
        agentRunsAll(agent);
        core.deployArtifact("hello", bytes("v1"));
        core.deployArtifact("hello", bytes("v1"));
        assertThat(core.artifact("hello").history()).hasSize(1);

        core.deployArtifact("hello", bytes("v2"));
        ArtifactStatus before = core.artifact("hello");
        assertThat(before.history()).extracting(ArtifactVersion::state).containsExactly(ArtifactVersion.ROLLING_OUT, ArtifactVersion.CANCELLED);

        core = newCore();
        assertThat(core.artifact("hello")).isEqualTo(before);
        assertThat(core.processes("hello")).extracting(CartridgeProcess::artifact).containsExactlyInAnyOrderElementsOf(
                before.history().isEmpty() ? List.of() : core.processes("hello").stream().map(CartridgeProcess::artifact).toList());
    }

    @Test
    void aGitArtifactRollsOutAndARefreshRollsOutOnlyANewCommit() {
        AgentCredentials agent = readyVms(1).get(0);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 1, 5, null));
        agentRunsAll(agent);
        refs.put("main", new String[] {"a".repeat(40), "first"});

        ArtifactStatus first = core.deployArtifact("hello", new GitArtifactSpec("git://127.0.0.1:9418/app", null));
        assertThat(first.history().get(0)).satisfies(v -> {
            assertThat(v.source()).isEqualTo("git");
            assertThat(v.ref()).isEqualTo("main");
            assertThat(v.commit()).isEqualTo("a".repeat(40));
        });
        assertThat(core.refreshArtifact("hello").history()).hasSize(1);

        refs.put("main", new String[] {"b".repeat(40), "second"});
        ArtifactStatus refreshed = core.refreshArtifact("hello");

        assertThat(refreshed.history()).hasSize(2);
        assertThat(refreshed.history().get(0).commit()).isEqualTo("b".repeat(40));
        assertThat(refreshed.desired()).isEqualTo(2);
    }

    @Test
    void badArtifactRequestsAreRefusedAndChangeNothing() {
        readyVms(1);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 1, 5, null));

        assertThatThrownBy(() -> core.deployArtifact("hello", new GitArtifactSpec("git://127.0.0.1:9418/app", "nope")))
                .hasMessageContaining("ref 'nope' not found");
        assertThatThrownBy(() -> core.deployArtifact("hello", new GitArtifactSpec(" ", "main"))).hasMessageContaining("repository URL");
        assertThatThrownBy(() -> core.refreshArtifact("hello")).hasMessageContaining("no git artifact");
        assertThatThrownBy(() -> core.deployArtifact("nobody", bytes("x"))).hasMessageContaining("no subscription 'nobody'");
        appDir = null;
        assertThatThrownBy(() -> core.deployArtifact("hello", bytes("x"))).hasMessageContaining("has no appDir");

        assertThat(core.artifact("hello").history()).isEmpty();
        assertThat(core.subscription("hello").artifact()).isNull();
        assertThat(artifacts.stored).isEmpty();
    }

    @Test
    void theHistoryKeepsTheNewestVersionsAndTheStoreDropsWhatNoSubscriptionKeeps() {
        readyVms(1);
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 1, 5, null));
        for (int i = 1; i <= ControllerSettings.DEFAULT_ARTIFACT_VERSIONS_KEPT + 5; i++) {
            core.deployArtifact("hello", bytes("version " + i));
        }

        ArtifactStatus status = core.artifact("hello");
        assertThat(status.history()).hasSize(ControllerSettings.DEFAULT_ARTIFACT_VERSIONS_KEPT);
        assertThat(status.history().get(0).number()).isEqualTo(ControllerSettings.DEFAULT_ARTIFACT_VERSIONS_KEPT + 5);
        // the oldest go first, except versions a (leaving) process still runs
        java.util.Set<Integer> running = new java.util.HashSet<>();
        core.processes("hello").forEach(p -> running.add(p.artifact()));
        for (ArtifactVersion v : status.history()) {
            assertThat(v.number() > 5 || running.contains(v.number())).as("version " + v.number() + " kept").isTrue();
        }
        java.util.Set<String> kept = core.referencedArtifacts();
        assertThat(kept).hasSize(status.history().size());

        assertThat(artifacts.retainOnly(kept, java.time.Duration.ZERO)).isGreaterThanOrEqualTo(3);
        assertThat(artifacts.stored.keySet()).isEqualTo(kept);
        // the pruned rows are gone from the database too
        assertThat(newCore().artifact("hello").history()).isEqualTo(status.history());
        core.unsubscribe("hello");
        assertThat(core.referencedArtifacts()).isEmpty();
    }

    @Test
    void anAdminSubscribesOnATenantsBehalfAndATenantOnlyForItself() {
        readyVms(1);
        io.stratos.lxc.api.security.Caller admin = new io.stratos.lxc.api.security.Caller("root", java.util.Set.of(io.stratos.lxc.api.security.Role.ADMIN));
        io.stratos.lxc.api.security.Caller alice = new io.stratos.lxc.api.security.Caller("alice", java.util.Set.of(io.stratos.lxc.api.security.Role.TENANT));

        core.scopedTo(admin).subscribe("root", new SubscriptionSpec("shop", "static-httpd", null, null, 1, 2, null, "alice"));

        assertThat(core.subscription("shop").tenant()).isEqualTo("alice");
        assertThat(core.scopedTo(alice).subscriptions()).extracting(io.stratos.lxc.api.controller.Subscription::alias).containsExactly("shop");
        assertThatThrownBy(() -> core.scopedTo(alice).subscribe("alice", new SubscriptionSpec("other", "static-httpd", null, null, 1, 2, null, "bob")))
                .isInstanceOfSatisfying(StratosException.class, e -> assertThat(e.kind()).isEqualTo(StratosException.Kind.FORBIDDEN));
        assertThatThrownBy(() -> core.subscribe("root", new SubscriptionSpec("bad", "static-httpd", null, null, 1, 2, null, "x\ny")))
                .hasMessageContaining("is not a user name");
        assertThat(core.subscriptions()).hasSize(1);
    }

    /** A tenant learns nothing from a 404: another tenant's alias and a missing one fail alike, on every operation. */
    @Test
    void anotherTenantsAliasAndAMissingOneFailAlikeOnEveryOperation() {
        readyVms(1);
        io.stratos.lxc.api.security.Caller alice = new io.stratos.lxc.api.security.Caller("alice", java.util.Set.of(io.stratos.lxc.api.security.Role.TENANT));
        core.subscribe("bob", new SubscriptionSpec("shop", "static-httpd", null, null, 1, 2, null, "bob"));

        List<String> foreign = tenantFailures(core.scopedTo(alice), "shop");
        core.unsubscribe("shop");
        List<String> missing = tenantFailures(core.scopedTo(alice), "shop");

        assertThat(foreign).isEqualTo(missing);
        assertThat(foreign).allSatisfy(f -> assertThat(f).startsWith("NOT_FOUND"));
    }

    private static List<String> tenantFailures(io.stratos.lxc.api.controller.CloudController view, String alias) {
        List<Runnable> operations = List.of(() -> view.subscription(alias), () -> view.unsubscribe(alias), () -> view.scale(alias, 1),
                () -> view.scale(alias, -5), () -> view.processes(alias), () -> view.artifact(alias), () -> view.refreshArtifact(alias),
                () -> view.deployArtifact(alias, new GitArtifactSpec(null, null)),
                () -> view.deployArtifact(alias, new GitArtifactSpec("https://127.0.0.1/x.git", "main")),
                () -> view.deployArtifact(alias, new ByteArrayInputStream(new byte[0])));
        List<String> failures = new java.util.ArrayList<>();
        for (Runnable operation : operations) {
            try {
                operation.run();
                failures.add("no failure");
            } catch (StratosException e) {
                failures.add(e.kind() + " " + e.getMessage() + " | " + e.field() + " | " + e.hint());
            }
        }
        return failures;
    }
}
