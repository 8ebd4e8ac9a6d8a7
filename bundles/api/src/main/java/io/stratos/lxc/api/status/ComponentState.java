package io.stratos.lxc.api.status;

/** The state a component of the suite reports about itself. */
public enum ComponentState {
    /** Configured and working. */
    ACTIVE,
    /** Its configuration is invalid; it keeps the last good settings or does nothing until fixed. */
    UNCONFIGURED,
    /** Working, but something it needs is missing or slow. */
    DEGRADED,
    /** Not working. */
    UNAVAILABLE
}
