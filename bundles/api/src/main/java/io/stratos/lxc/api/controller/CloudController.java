package io.stratos.lxc.api.controller;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.artifact.ArtifactStatus;
import io.stratos.lxc.api.artifact.GitArtifactSpec;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * The cloud controller: partitions, their VMs, subscriptions and their processes. Every change is
 * persisted in one transaction before it is visible. Failures are {@link io.stratos.lxc.api.StratosException}s.
 */
public interface CloudController {

    Partition createPartition(PartitionSpec spec);

    List<Partition> partitions();

    Partition partition(String name);

    /** Refused (CONFLICT) while subscriptions of its cartridge exist. Destroys its VMs. */
    void deletePartition(String name);

    /**
     * Sets how many VMs a partition should have, within its min and max. More: VMs are requested.
     * Fewer: the least-used VMs are drained (their processes re-placed on other VMs and RUNNING there
     * first) and then destroyed; a VM whose processes cannot be placed elsewhere is kept.
     */
    Partition scalePartition(String name, int vms);

    List<PartitionVm> vms();

    /**
     * For a VM whose agent lost its secret: issues a new join token, which works once, and ends the old secret.
     * The VM's adapter hands the token to the VM where it can. NOT_FOUND for an unknown VM; admins only.
     */
    default VmRejoin rejoinVm(String vmId) {
        throw StratosException.unavailable("this controller cannot issue new join tokens", null);
    }

    /**
     * Subscribes a tenant to a cartridge. The alias must be a DNS label (lower case letters, digits
     * and '-', at most 63 characters) not used by another subscription; CONFLICT otherwise.
     */
    Subscription subscribe(String tenant, SubscriptionSpec spec);

    List<Subscription> subscriptions();

    Subscription subscription(String alias);

    /** Stops and removes its processes and frees the alias. */
    void unsubscribe(String alias);

    /** Sets the number of processes, within the subscription's min and max. */
    Subscription scale(String alias, int processes);

    List<CartridgeProcess> processes(String alias);

    List<CartridgeProcess> processes();

    /**
     * The subscriptions that {@code which} selects, each with its processes, in one call: for a caller that looks at
     * many subscriptions in one pass (the autoscaler), so the controller answers once instead of once per subscription.
     * The controller may test {@code which} under its lock: it must be quick and must not call this controller.
     * This default asks {@link #subscriptions()} and then {@link #processes(String)} per selected subscription,
     * leaving out one removed in between.
     */
    default List<SubscriptionProcesses> subscriptionsWithProcesses(Predicate<Subscription> which) {
        List<SubscriptionProcesses> all = new ArrayList<>();
        for (Subscription subscription : subscriptions()) {
            if (!which.test(subscription)) {
                continue;
            }
            try {
                all.add(new SubscriptionProcesses(subscription, processes(subscription.alias())));
            } catch (StratosException e) {
                if (e.kind() != StratosException.Kind.NOT_FOUND) {
                    throw e;
                }
            }
        }
        return all;
    }

    /**
     * Deploys an uploaded application artifact (tar, tar.gz or zip) into the subscription: stored content-addressed,
     * then rolled out one process at a time (start one with the new version, wait for its health check, take an old
     * one out of the router, stop it). A process of the new version that fails stops the rollout and brings the
     * previous version back (automatic rollback), with the reason in the version's history.
     */
    default ArtifactStatus deployArtifact(String alias, InputStream artifact) {
        throw artifactsUnsupported();
    }

    /** Deploys a commit of a git repository (fetched by the controller), rolled out like an upload. */
    default ArtifactStatus deployArtifact(String alias, GitArtifactSpec git) {
        throw artifactsUnsupported();
    }

    /** Fetches the ref of the subscription's git artifact again and rolls it out if its commit changed (a webhook). */
    default ArtifactStatus refreshArtifact(String alias) {
        throw artifactsUnsupported();
    }

    /** The subscription's deployed and desired artifact versions, rollout progress and history. */
    default ArtifactStatus artifact(String alias) {
        throw artifactsUnsupported();
    }

    /**
     * The one answer for an alias the caller may not see, whether it does not exist or is another tenant's: the same
     * words, so that a 404 tells a tenant nothing about others' aliases.
     */
    static StratosException noSuchSubscription(String alias) {
        return StratosException.notFound("no subscription '" + alias + "'", "list yours with GET /stratos/api/v1/subscriptions");
    }

    private static StratosException artifactsUnsupported() {
        return StratosException.unavailable("this controller does not deploy application artifacts", null);
    }
}
