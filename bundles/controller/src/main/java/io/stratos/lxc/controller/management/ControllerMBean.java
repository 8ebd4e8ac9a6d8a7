package io.stratos.lxc.controller.management;

/** JMX view {@code io.stratos.lxc:type=Controller}: the same status as {@code GET /status}. */
public interface ControllerMBean {

    String getVersion();

    String getStartedAt();

    long getUptimeSeconds();

    /** The worst component state: ACTIVE, UNCONFIGURED, DEGRADED or UNAVAILABLE. */
    String getState();

    /** One line per component: {@code name STATE detail}. */
    String[] getComponents();

    /** {@code active} or {@code standby}: whether this controller holds the leader lease. */
    String getRole();

    /** The leader lease's epoch (one more at every change of active controller). */
    long getLeaseEpoch();

    /** The node name of the active controller. */
    String getLeaseHolder();
}
