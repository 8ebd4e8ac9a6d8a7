package io.stratos.lxc.api.controller;

/**
 * Whiteboard service: something that sends requests to cartridge processes (the router) and must let
 * a leaving process finish them before it is stopped. When a process is to stop (scale-in, a draining
 * VM), the controller marks it STOPPING at once, which takes it out of service (it is no longer a
 * backend), but keeps it in its agent's desired state until every registered drain answers
 * {@link #drained} (or the controller's {@code drainTimeoutSeconds} pass); only then is it stopped.
 */
public interface ProcessDrain {

    /**
     * Whether no request is in flight to this process and none will be sent to it any more. Called
     * repeatedly (about once per reconciliation pass) until it answers true; the first call may be
     * the one that takes the process out of service, so it should not answer true before a later call.
     */
    boolean drained(String alias, String processId);
}
