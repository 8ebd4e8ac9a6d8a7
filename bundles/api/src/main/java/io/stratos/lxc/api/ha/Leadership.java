package io.stratos.lxc.api.ha;

/**
 * The controller's leader lease, as a service: the REST layer marks a standby's answers with it, the autoscaler runs
 * only while its controller is active, and the status shows it.
 */
public interface Leadership {

    LeaseStatus lease();

    default boolean active() {
        return lease().role() == ControllerRole.ACTIVE;
    }
}
