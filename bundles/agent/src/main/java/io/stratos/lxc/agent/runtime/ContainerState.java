package io.stratos.lxc.agent.runtime;

/** What a runtime says about one container. */
public enum ContainerState {
    /** Created, not started yet. */
    CREATED,
    RUNNING,
    /** Exited or stopped; see the exit code and OOM flag. */
    STOPPED,
    /** The runtime could not tell. */
    UNKNOWN
}
