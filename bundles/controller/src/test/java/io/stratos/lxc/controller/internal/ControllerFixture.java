package io.stratos.lxc.controller.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.agent.AgentCredentials;
import io.stratos.lxc.api.agent.AgentRegistration;
import io.stratos.lxc.api.agent.AgentReport;
import io.stratos.lxc.api.agent.ProcessReport;
import io.stratos.lxc.api.artifact.ArtifactStore;
import io.stratos.lxc.api.artifact.GitFetcher;
import io.stratos.lxc.api.artifact.StoredArtifact;
import io.stratos.lxc.api.controller.CartridgeProcess;
import io.stratos.lxc.api.controller.PartitionSpec;
import io.stratos.lxc.api.controller.ProcessMetrics;
import io.stratos.lxc.api.controller.ProcessState;
import io.stratos.lxc.api.controller.Resources;
import io.stratos.lxc.api.iaas.IaasAdapter;
import io.stratos.lxc.api.iaas.VmRef;
import io.stratos.lxc.api.iaas.VmSpec;
import io.stratos.lxc.controller.internal.CartridgeResolver.ResolvedCartridge;
import io.stratos.lxc.testsupport.MutableClock;
import io.stratos.lxc.testsupport.H2Databases;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeEach;

/** What every test of the controller starts from: a controller on an empty database, fake adapter, store and git. */
abstract class ControllerFixture {


    static class FakeAdapter implements IaasAdapter {
        final Map<String, VmSpec> created = new ConcurrentHashMap<>();
        final List<String> destroyed = new ArrayList<>();
        volatile boolean sharesLoopback;
        volatile java.util.Optional<String> network = java.util.Optional.empty();

        @Override
        public boolean vmsShareHostLoopback() {
            return sharesLoopback;
        }

        @Override
        public java.util.Optional<String> vmNetwork() {
            return network;
        }

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
    volatile ControllerSettings settings = new ControllerSettings(30, 2, "stratos.local", 8280, 1000, "");

    /** An empty database; the embedded H2 here, PostgreSQL in {@link ControllerCorePostgresTest}. */
    DataSource emptyDatabase() throws Exception {
        return H2Databases.empty("controller");
    }

    @BeforeEach
    void setUp() throws Exception {
        dataSource = emptyDatabase();
        Schema.migrate(dataSource);
        core = newCore();
    }

    ControllerCore newCore() {
        ControllerCore c = new ControllerCore(new Repository(dataSource), clock,
                () -> settings, adapters::get, () -> resolver, () -> "http://127.0.0.1:8181/stratos");
        c.artifacts(() -> artifacts, () -> git);
        c.load();
        return c;
    }

    PartitionSpec partition(int vms) {
        return new PartitionSpec("web", "static-httpd", "local", vms, 4, new Resources(1000, 1024), Map.of());
    }

    /** Creates the partition's VMs through the adapter and registers an agent on each. */
    List<AgentCredentials> readyVms(int count) {
        core.createPartition(partition(1));
        if (count > 1) {
            core.scalePartition("web", count);
        }
        core.reconcile();
        List<AgentCredentials> agents = new ArrayList<>();
        int n = 2;
        for (VmSpec spec : adapter.created.values()) {
            agents.add(core.register(new AgentRegistration(spec.joinToken(), spec.vmId(), "web", new Resources(1000, 1024),
                    List.of("lxc", "docker"), List.of(), "test", null, "10.214.0." + n++)));
        }
        return agents;
    }

    List<String> desired(AgentCredentials agent) throws Exception {
        return core.desiredState(agent.agentId(), agent.secret(), 0).toCompletableFuture().get(1, TimeUnit.SECONDS)
                .processes().stream().map(d -> d.processId()).toList();
    }

    void reportAllRunning(List<AgentCredentials> agents) {
        for (AgentCredentials agent : agents) {
            List<ProcessReport> running = core.processes().stream()
                    .filter(p -> agent.agentId().equals(p.vmId()) && p.state() != ProcessState.STOPPING)
                    .map(p -> new ProcessReport(p.id(), ProcessState.RUNNING, 20000, "", ProcessMetrics.NONE)).toList();
            core.report(agent.agentId(), agent.secret(), new AgentReport(0, running, List.of()));
        }
    }

    /** What a subscription shows per state is what its processes say, through every kind of change. */
    void countsMatchProcesses() {
        for (io.stratos.lxc.api.controller.Subscription s : core.subscriptions()) {
            Map<ProcessState, Integer> counted = new java.util.EnumMap<>(ProcessState.class);
            core.processes(s.alias()).forEach(p -> counted.merge(p.state(), 1, Integer::sum));
            assertThat(s.processes()).as("counts of %s", s.alias()).isEqualTo(counted);
        }
        assertThat(core.counts().get("pending")).isEqualTo((int) core.processes().stream()
                .filter(p -> p.state() == ProcessState.PENDING).count());
    }

    static InputStream bytes(String content) {
        return new ByteArrayInputStream(content.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    /** The agent answers as a healthy agent would: what it was asked to run is RUNNING, except the given ids. */
    void agentRuns(AgentCredentials agent, ProcessState othersState, java.util.Set<String> others) {
        List<ProcessReport> reports = new ArrayList<>();
        for (CartridgeProcess p : core.processes()) {
            if (agent.agentId().equals(p.vmId()) && p.state() != ProcessState.STOPPING) {
                reports.add(new ProcessReport(p.id(), others.contains(p.id()) ? othersState : ProcessState.RUNNING, 20000,
                        others.contains(p.id()) ? "health check GET / answered HTTP 500" : "", ProcessMetrics.NONE));
            }
        }
        core.report(agent.agentId(), agent.secret(), new AgentReport(0, reports, List.of()));
    }

    void agentRunsAll(AgentCredentials agent) {
        agentRuns(agent, ProcessState.RUNNING, java.util.Set.of());
    }

    List<Integer> liveArtifactVersions(String alias) {
        return core.processes(alias).stream().filter(p -> p.state() != ProcessState.STOPPING).map(CartridgeProcess::artifact).sorted().toList();
    }
}
