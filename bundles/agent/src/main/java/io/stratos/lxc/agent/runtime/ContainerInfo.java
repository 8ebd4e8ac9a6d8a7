package io.stratos.lxc.agent.runtime;

/**
 * One container as its runtime sees it.
 *
 * @param processId  the process the container belongs to
 * @param name       the container name ({@code stratos-<processId>})
 * @param runtime    {@code lxc} or {@code docker}
 * @param state      its state
 * @param exitCode   exit code once stopped ({@code 128+signal} when killed), else null
 * @param oomKilled  whether the kernel's OOM killer killed a process in its memory cgroup
 * @param hostPort   the port published on the VM's publish address, 0 when unknown
 * @param address    where the process listens as seen from the VM ({@code ip:port}), may be empty
 * @param imageDigest the image it runs ({@code sha256:<hex>}), empty when unknown
 * @param detail     anything worth telling a user (why it stopped, which image), may be empty
 */
public record ContainerInfo(String processId, String name, String runtime, ContainerState state, Integer exitCode,
                            boolean oomKilled, int hostPort, String address, String imageDigest, String detail) {

    public ContainerInfo {
        address = address == null ? "" : address;
        imageDigest = imageDigest == null ? "" : imageDigest;
        detail = detail == null ? "" : detail;
    }

    public boolean running() {
        return state == ContainerState.RUNNING;
    }
}
