package io.stratos.lxc.api.autoscaler;

/**
 * Called by a router that got a request for a subscription without a RUNNING process, before it holds the request.
 * The autoscaler registers it.
 */
public interface ScaleFromZero {

    /**
     * Starts one process at once when the subscription was scaled to zero by a policy with
     * {@code scaleToZeroAfterSeconds} (a process is then on its way: the router holds the request until it is RUNNING).
     *
     * @return true when the subscription has, or is about to have, a process to serve the request (it was woken, or
     *         its processes are starting anyway); false when it stays at zero (no such subscription, or it was scaled
     *         to zero by hand or by a policy without scale to zero): the router answers 503 at once
     */
    boolean wake(String alias);
}
