package io.stratos.lxc.api.controller;

/**
 * One container of a subscription on a partition VM.
 *
 * @param vmId     null while PENDING
 * @param hostPort the port published on its VM's address, 0 until the agent reports it
 * @param reason   why it is in its state (PENDING: what is missing; FAILED: what went wrong)
 * @param artifact the version number of the subscription's application it runs (0: the image's own content)
 * @param endpoint where it is reached, {@code <VM address>:<hostPort>} ({@code [v6]:port} for IPv6); null until both
 *                 are known
 */
public record CartridgeProcess(String id, String alias, String cartridge, String version, String vmId, String runtime,
                               ProcessState state, int hostPort, String reason, Resources request,
                               ProcessMetrics metrics, int artifact, String endpoint) {

    public CartridgeProcess(String id, String alias, String cartridge, String version, String vmId, String runtime,
                            ProcessState state, int hostPort, String reason, Resources request,
                            ProcessMetrics metrics, int artifact) {
        this(id, alias, cartridge, version, vmId, runtime, state, hostPort, reason, request, metrics, artifact, null);
    }

    public CartridgeProcess(String id, String alias, String cartridge, String version, String vmId, String runtime,
                            ProcessState state, int hostPort, String reason, Resources request, ProcessMetrics metrics) {
        this(id, alias, cartridge, version, vmId, runtime, state, hostPort, reason, request, metrics, 0);
    }
}
