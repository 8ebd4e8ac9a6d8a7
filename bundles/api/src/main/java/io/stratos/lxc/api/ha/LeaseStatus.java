package io.stratos.lxc.api.ha;

/**
 * This controller's view of the leader lease.
 *
 * @param role           what this controller is now
 * @param epoch          the lease's epoch: one more at every change of holder (0 before anyone held it)
 * @param holder         the node name of the active controller ("" when nobody holds the lease)
 * @param holderUrl      where the active controller answers ("" when unknown): where writes go
 * @param self           this controller's node name
 * @param stateAgeMillis on a standby, how old the state it serves reads from is; 0 on the active one
 */
public record LeaseStatus(ControllerRole role, long epoch, String holder, String holderUrl, String self,
                          long stateAgeMillis) {

    /** A controller alone on its database before its first lease: active, epoch 0. */
    public static LeaseStatus alone(String self) {
        return new LeaseStatus(ControllerRole.ACTIVE, 0, self, "", self, 0);
    }
}
