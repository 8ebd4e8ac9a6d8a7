package io.stratos.lxc.api.ha;

/** What a controller may do: the active one writes, places and scales; a standby serves reads and waits. */
public enum ControllerRole {
    ACTIVE,
    STANDBY;

    /** As shown in JSON and the shell. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
