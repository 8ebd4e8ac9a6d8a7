package io.stratos.lxc.controller.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.agent.AgentCredentials;
import io.stratos.lxc.api.agent.AgentReport;
import io.stratos.lxc.api.controller.CartridgeProcess;
import io.stratos.lxc.api.controller.PartitionSpec;
import io.stratos.lxc.api.controller.Resources;
import io.stratos.lxc.api.controller.SubscriptionSpec;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The façade: refused requests change nothing, state survives a restart, the views, and what is asked outside the lock. */
class ControllerCoreTest extends ControllerFixture {

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
}
