package io.stratos.lxc.api.controller;

/** Life of a cartridge process (one container of a subscription). */
public enum ProcessState {
    PENDING, FETCHING, STARTING, RUNNING, STOPPING, STOPPED, FAILED;

    /** States in which the process holds resources on its VM. */
    public boolean holdsResources() {
        return this != PENDING && this != STOPPED;
    }
}
