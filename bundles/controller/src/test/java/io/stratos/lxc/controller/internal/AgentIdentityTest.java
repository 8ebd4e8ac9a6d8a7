package io.stratos.lxc.controller.internal;

import io.stratos.lxc.testsupport.MutableClock;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.agent.AgentCredentials;
import io.stratos.lxc.api.agent.AgentRegistration;
import io.stratos.lxc.api.controller.CartridgeProcess;
import io.stratos.lxc.api.controller.PartitionSpec;
import io.stratos.lxc.api.controller.PartitionVm;
import io.stratos.lxc.api.controller.Resources;
import io.stratos.lxc.api.controller.SubscriptionSpec;
import io.stratos.lxc.api.controller.VmRejoin;
import io.stratos.lxc.api.controller.VmState;
import io.stratos.lxc.api.iaas.IaasAdapter;
import io.stratos.lxc.api.iaas.VmRef;
import io.stratos.lxc.api.iaas.VmSpec;
import io.stratos.lxc.controller.internal.CartridgeResolver.ResolvedCartridge;
import io.stratos.lxc.testsupport.H2Databases;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.h2.jdbcx.JdbcDataSource;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The agent's identity: a join token that works once, the secret it registers with afterwards, its capacity, a rejoin. */
class AgentIdentityTest {

    static final Resources CAPACITY = new Resources(1000, 1024);

    /** An adapter that can (while {@code reaches}) hand a new join token to its VMs, and remembers what it handed. */
    static final class HandingAdapter extends ControllerFixture.FakeAdapter {
        final Map<String, String> handed = new ConcurrentHashMap<>();
        volatile boolean reaches = true;

        @Override
        public boolean handOverJoinToken(VmRef vm, String joinToken) {
            if (reaches) {
                handed.put(vm.vmId(), joinToken);
            }
            return reaches;
        }
    }

    final MutableClock clock = new MutableClock();
    final HandingAdapter adapter = new HandingAdapter();
    final Map<String, IaasAdapter> adapters = new ConcurrentHashMap<>(Map.of("local", adapter));
    final CartridgeResolver resolver = (name, version) -> new ResolvedCartridge(name, "1.0", "sha256:abc", new Resources(250, 64),
            List.of("lxc"), "/www");
    JdbcDataSource dataSource;
    ControllerCore core;
    VmSpec vm;

    @BeforeEach
    void setUp() throws Exception {
        dataSource = H2Databases.empty("identity");
        Schema.migrate(dataSource);
        core = newCore();
        core.createPartition(new PartitionSpec("web", "static-httpd", "local", 1, 2, CAPACITY, Map.of()));
        core.reconcile();
        vm = adapter.created.values().iterator().next();
    }

    /** A controller on the same database: what a restart leaves. */
    private ControllerCore newCore() {
        ControllerCore c = new ControllerCore(new Repository(dataSource), clock,
                () -> new ControllerSettings(30, 2, "stratos.local", 8280, 1000, ""), adapters::get, () -> resolver,
                () -> "http://127.0.0.1:8181/stratos");
        c.load();
        return c;
    }

    private static AgentRegistration withToken(String token, String vmId, Resources capacity) {
        return new AgentRegistration(token, vmId, "web", capacity, List.of("lxc"), List.of(), "test", null, "10.214.0.2");
    }

    private static AgentRegistration withSecret(String token, String vmId, String secret) {
        return new AgentRegistration(token, vmId, "web", CAPACITY, List.of("lxc"), List.of(), "test", secret, "10.214.0.2");
    }

    private static void assertRefused(Runnable registration) {
        assertThatThrownBy(registration::run).isInstanceOfSatisfying(StratosException.class,
                e -> assertThat(e.kind()).isEqualTo(StratosException.Kind.NOT_FOUND)).hasMessage("unknown VM or wrong join token");
    }

    @Test
    void aJoinTokenWorksOnceAndItsReplayDoesNotCancelTheAgentsSecret() {
        AgentCredentials first = core.register(withToken(vm.joinToken(), vm.vmId(), CAPACITY));

        assertRefused(() -> core.register(withToken(vm.joinToken(), vm.vmId(), CAPACITY)));
        assertRefused(() -> core.register(withSecret(vm.joinToken(), vm.vmId(), "a-guessed-secret")));
        assertThat(core.authenticates(first.agentId(), first.secret())).isTrue();
    }

    @Test
    void theTokensUseSurvivesAControllerRestartAndTheAgentRegistersAgainWithItsSecret() {
        AgentCredentials first = core.register(withToken(vm.joinToken(), vm.vmId(), CAPACITY));
        core.subscribe("alice", new SubscriptionSpec("hello", "static-httpd", null, null, 2, 5, Map.of()));
        List<String> placed = core.processes("hello").stream().map(CartridgeProcess::id).toList();

        ControllerCore restarted = newCore();

        assertRefused(() -> restarted.register(withToken(vm.joinToken(), vm.vmId(), CAPACITY)));
        // the agent restarts too: it sends the secret it kept (and the old token, which no longer matters)
        AgentCredentials again = restarted.register(withSecret(vm.joinToken(), vm.vmId(), first.secret()));
        assertThat(again.secret()).isEqualTo(first.secret());
        assertThat(restarted.authenticates(vm.vmId(), first.secret())).isTrue();
        assertThat(restarted.processes("hello")).extracting(CartridgeProcess::id).containsExactlyInAnyOrderElementsOf(placed)
                .hasSize(2);
        assertThat(restarted.processes("hello")).extracting(CartridgeProcess::vmId).containsOnly(vm.vmId());
        assertThat(restarted.vms()).extracting(PartitionVm::state).containsOnly(VmState.READY);
    }

    @Test
    void anAgentClaimingMoreThanItsVmWasCreatedWithIsRefusedAndTheCapacityStays() {
        assertThatThrownBy(() -> core.register(withToken(vm.joinToken(), vm.vmId(), new Resources(999_999, 9_999_999))))
                .isInstanceOfSatisfying(StratosException.class, e -> {
                    assertThat(e.kind()).isEqualTo(StratosException.Kind.INVALID_INPUT);
                    assertThat(e.field()).isEqualTo("capacity");
                    assertThat(e.hint()).contains("STRATOS_AGENT_CPU_MILLIS");
                });
        assertThatThrownBy(() -> core.register(withToken(vm.joinToken(), vm.vmId(), new Resources(1000, 1025))))
                .hasMessageContaining("1025");
        assertThat(core.vms().get(0).state()).isEqualTo(VmState.BOOTING);

        // a refused claim does not use the token up; a smaller claim registers, but placement keeps the created capacity
        AgentCredentials agent = core.register(withToken(vm.joinToken(), vm.vmId(), new Resources(500, 512)));
        assertThat(agent.agentId()).isEqualTo(vm.vmId());
        assertThat(core.vms().get(0).capacity()).isEqualTo(CAPACITY);
        assertThat(newCore().vms().get(0).capacity()).isEqualTo(CAPACITY);
    }

    @Test
    void aRejoinIssuesANewTokenThatWorksOnceAndEndsTheOldSecret() {
        AgentCredentials first = core.register(withToken(vm.joinToken(), vm.vmId(), CAPACITY));

        VmRejoin rejoin = core.rejoinVm(vm.vmId());

        assertThat(rejoin.joinToken()).hasSize(32).isNotEqualTo(vm.joinToken());
        assertThat(rejoin.handedToVm()).isTrue();
        assertThat(adapter.handed).containsEntry(vm.vmId(), rejoin.joinToken());
        assertThat(core.authenticates(vm.vmId(), first.secret())).isFalse();
        assertRefused(() -> core.register(withSecret(vm.joinToken(), vm.vmId(), first.secret())));
        // persisted: a controller restart between the rejoin and the agent's registration changes nothing
        ControllerCore restarted = newCore();
        AgentCredentials rejoined = restarted.register(withSecret(rejoin.joinToken(), vm.vmId(), first.secret()));
        assertThat(rejoined.secret()).isNotEqualTo(first.secret());
        assertRefused(() -> restarted.register(withToken(rejoin.joinToken(), vm.vmId(), CAPACITY)));
        assertThat(restarted.vms().get(0).detail()).isEmpty();
    }

    @Test
    void aRejoinOfAnUnknownVmIsNotFound() {
        assertThatThrownBy(() -> core.rejoinVm("nope")).isInstanceOfSatisfying(StratosException.class,
                e -> assertThat(e.kind()).isEqualTo(StratosException.Kind.NOT_FOUND));
    }

    @Test
    void withoutAnAdapterThatReachesTheVmTheOperatorIsToldHowToHandTheTokenOver() {
        adapter.reaches = false;

        VmRejoin rejoin = core.rejoinVm(vm.vmId());

        assertThat(rejoin.handedToVm()).isFalse();
        assertThat(rejoin.hint()).contains("join-token");
        assertThat(core.register(withToken(rejoin.joinToken(), vm.vmId(), CAPACITY)).agentId()).isEqualTo(vm.vmId());
    }
}
