package io.stratos.lxc.rest.internal;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.artifact.ArtifactStatus;
import io.stratos.lxc.api.artifact.GitArtifactSpec;
import io.stratos.lxc.api.controller.CartridgeProcess;
import io.stratos.lxc.api.controller.CloudController;
import io.stratos.lxc.api.controller.Partition;
import io.stratos.lxc.api.controller.PartitionSpec;
import io.stratos.lxc.api.controller.PartitionVm;
import io.stratos.lxc.api.controller.Subscription;
import io.stratos.lxc.api.controller.SubscriptionSpec;
import io.stratos.lxc.api.controller.VmRejoin;
import io.stratos.lxc.api.security.Caller;
import java.io.InputStream;
import io.stratos.lxc.api.security.Role;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A tenant's view of a {@link CloudController}: its own subscriptions and processes only. Another tenant's
 * alias answers NOT_FOUND like an unknown one, so a tenant learns nothing about others beyond the alias
 * being taken when it tries to subscribe under it (aliases are unique across the controller by design).
 * <p>
 * It lives here, in the REST bundle, because REST is the one front end a tenant reaches (the console calls REST; the
 * shell and JMX are for operators): the rule runs where the caller is known.
 */
final class TenantScopedCloudController implements CloudController {

    private final CloudController controller;
    private final Caller caller;

    private TenantScopedCloudController(CloudController controller, Caller caller) {
        this.controller = controller;
        this.caller = caller;
    }

    /**
     * The controller as the caller may see and use it: all of it for an admin; for a tenant only its own subscriptions
     * and their processes (another tenant's alias is NOT_FOUND, as if it did not exist), and partitions and VMs are
     * FORBIDDEN.
     */
    static CloudController of(CloudController controller, Caller caller) {
        return caller.isAdmin() ? controller : new TenantScopedCloudController(controller, caller);
    }

    private StratosException adminOnly(String what) {
        return StratosException.forbidden(what + " is for the " + Role.ADMIN + " role; " + caller.name() + " is not an admin",
                "ask an operator, or sign in as a user with the admin role");
    }

    private Subscription own(String alias) {
        Subscription subscription = controller.subscription(alias);
        if (!caller.name().equals(subscription.tenant()) || !caller.has(Role.TENANT)) {
            throw CloudController.noSuchSubscription(alias);
        }
        return subscription;
    }

    @Override
    public Partition createPartition(PartitionSpec spec) {
        throw adminOnly("creating a partition");
    }

    @Override
    public List<Partition> partitions() {
        throw adminOnly("listing partitions");
    }

    @Override
    public Partition partition(String name) {
        throw adminOnly("reading a partition");
    }

    @Override
    public void deletePartition(String name) {
        throw adminOnly("deleting a partition");
    }

    @Override
    public Partition scalePartition(String name, int vms) {
        throw adminOnly("scaling a partition");
    }

    @Override
    public List<PartitionVm> vms() {
        throw adminOnly("listing VMs");
    }

    @Override
    public VmRejoin rejoinVm(String vmId) {
        throw adminOnly("rejoining a VM");
    }

    @Override
    public Subscription subscribe(String tenant, SubscriptionSpec spec) {
        if (!caller.has(Role.TENANT)) {
            throw StratosException.forbidden("subscribing needs the " + Role.TENANT + " or " + Role.ADMIN + " role", null);
        }
        if (spec != null && spec.tenant() != null && !spec.tenant().equals(caller.name())) {
            throw StratosException.forbidden("subscribing for another tenant ('" + spec.tenant() + "') is for the "
                    + Role.ADMIN + " role", "leave tenant out: a tenant's subscriptions are its own");
        }
        // A tenant always subscribes for itself.
        return controller.subscribe(caller.name(), spec);
    }

    @Override
    public List<Subscription> subscriptions() {
        return controller.subscriptions().stream().filter(s -> caller.has(Role.TENANT) && caller.name().equals(s.tenant())).toList();
    }

    @Override
    public Subscription subscription(String alias) {
        return own(alias);
    }

    @Override
    public void unsubscribe(String alias) {
        own(alias);
        controller.unsubscribe(alias);
    }

    @Override
    public Subscription scale(String alias, int processes) {
        own(alias);
        return controller.scale(alias, processes);
    }

    @Override
    public List<CartridgeProcess> processes(String alias) {
        own(alias);
        return controller.processes(alias);
    }

    @Override
    public List<CartridgeProcess> processes() {
        Set<String> aliases = subscriptions().stream().map(Subscription::alias).collect(Collectors.toSet());
        return controller.processes().stream().filter(p -> aliases.contains(p.alias())).toList();
    }

    @Override
    public ArtifactStatus deployArtifact(String alias, InputStream artifact) {
        own(alias);
        return controller.deployArtifact(alias, artifact);
    }

    @Override
    public ArtifactStatus deployArtifact(String alias, GitArtifactSpec git) {
        own(alias);
        return controller.deployArtifact(alias, git);
    }

    @Override
    public ArtifactStatus refreshArtifact(String alias) {
        own(alias);
        return controller.refreshArtifact(alias);
    }

    @Override
    public ArtifactStatus artifact(String alias) {
        own(alias);
        return controller.artifact(alias);
    }

}
