package io.stratos.lxc.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.artifact.GitArtifactSpec;
import io.stratos.lxc.api.controller.CloudController;
import io.stratos.lxc.api.controller.Subscription;
import io.stratos.lxc.api.controller.SubscriptionSpec;
import io.stratos.lxc.api.security.Caller;
import io.stratos.lxc.api.security.Role;
import io.stratos.lxc.testsupport.FakeCloudController;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** A tenant's view of the controller: its own subscriptions only, and nothing learnt of others' from an error. */
class TenantScopedCloudControllerTest {

    private final FakeCloudController controller = new FakeCloudController();
    private final Caller admin = new Caller("root", Set.of(Role.ADMIN));
    private final Caller alice = Caller.tenant("alice");

    @Test
    void anAdminSeesTheWholeController() {
        assertThat(TenantScopedCloudController.of(controller, admin)).isSameAs(controller);
    }

    @Test
    void anotherTenantsAliasAndAMissingOneFailAlikeOnEveryOperation() {
        controller.subscribe("bob", spec("shop", null));

        List<String> foreign = failures(TenantScopedCloudController.of(controller, alice), "shop");
        controller.unsubscribe("shop");
        List<String> missing = failures(TenantScopedCloudController.of(controller, alice), "shop");

        assertThat(foreign).isEqualTo(missing);
        assertThat(foreign).allSatisfy(f -> assertThat(f).startsWith("NOT_FOUND"));
    }

    @Test
    void aTenantSeesAndChangesOnlyItsOwnSubscriptionsAndSubscribesOnlyForItself() {
        controller.subscribe("bob", spec("bobs", null));
        CloudController view = TenantScopedCloudController.of(controller, alice);

        view.subscribe("ignored", spec("shop", null));

        assertThat(controller.subscription("shop").tenant()).isEqualTo("alice");
        assertThat(view.subscriptions()).extracting(Subscription::alias).containsExactly("shop");
        assertThat(view.scale("shop", 2).desiredProcesses()).isEqualTo(2);
        assertThatThrownBy(() -> view.subscribe("alice", spec("other", "bob")))
                .isInstanceOfSatisfying(StratosException.class, e -> assertThat(e.kind()).isEqualTo(StratosException.Kind.FORBIDDEN));
        assertThat(controller.subscriptions()).extracting(Subscription::alias).containsExactly("bobs", "shop");
    }

    @Test
    void partitionsAndVmsAreForAdminsOnly() {
        CloudController view = TenantScopedCloudController.of(controller, alice);

        List<Runnable> adminOnly = List.of(view::partitions, view::vms, () -> view.partition("web"), () -> view.rejoinVm("vm-1"),
                () -> view.scalePartition("web", 2), () -> view.deletePartition("web"));

        for (Runnable operation : adminOnly) {
            assertThatThrownBy(operation::run).isInstanceOfSatisfying(StratosException.class,
                    e -> assertThat(e.kind()).isEqualTo(StratosException.Kind.FORBIDDEN));
        }
    }

    private static SubscriptionSpec spec(String alias, String tenant) {
        return new SubscriptionSpec(alias, "static-httpd", null, null, 1, 5, null, tenant);
    }

    private static List<String> failures(CloudController view, String alias) {
        List<Runnable> operations = List.of(() -> view.subscription(alias), () -> view.unsubscribe(alias), () -> view.scale(alias, 1),
                () -> view.scale(alias, -5), () -> view.processes(alias), () -> view.artifact(alias), () -> view.refreshArtifact(alias),
                () -> view.deployArtifact(alias, new GitArtifactSpec(null, null)),
                () -> view.deployArtifact(alias, new GitArtifactSpec("https://127.0.0.1/x.git", "main")),
                () -> view.deployArtifact(alias, new ByteArrayInputStream(new byte[0])));
        List<String> failures = new ArrayList<>();
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
