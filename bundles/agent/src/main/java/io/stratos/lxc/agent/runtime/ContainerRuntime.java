package io.stratos.lxc.agent.runtime;

import io.stratos.lxc.agent.status.LogTail;
import java.util.List;
import java.util.Optional;

/**
 * A way to run cartridge processes as containers on this VM (SPI; implementations: {@code lxc},
 * {@code docker}). The agent finds them as OSGi services (a whiteboard): the LXC runtime is its own, the
 * Docker runtime comes with the optional feature {@code stratos-agent-docker}. Containers are named {@code stratos-<processId>} (see {@link ContainerNames}), so a
 * restarted agent finds and re-adopts the ones it owns through {@link #list()}.
 *
 * <p>Failures the user can act on (bad spec, name taken, port in use, runtime missing) are
 * {@link io.stratos.lxc.api.StratosException}s with a reason; nothing here kills the agent.
 */
public interface ContainerRuntime {

    /** Stable runtime name: {@code lxc} or {@code docker}. */
    String name();

    /** Whether this runtime can start containers on this host, and if not, why. */
    RuntimeAvailability available();

    /** Creates and starts a container for the spec; returns once it is running (or has already exited). */
    ContainerInfo start(ContainerSpec spec);

    /** Stops the process's container (kills it); no-op when it is not running or unknown. */
    void stop(String processId);

    /** Stops and deletes the container and its writable layer; no-op when unknown. */
    void remove(String processId);

    /** Containers this agent owns under this runtime, running or stopped. */
    List<ContainerInfo> list();

    /** State of one process's container, empty when there is none. */
    Optional<ContainerInfo> inspect(String processId);

    /** Resource usage of a running container, empty when it does not run. */
    Optional<ContainerStats> stats(String processId);

    /** The last {@code lines} lines of the container's console output (stdout, stderr), empty when there is no container. */
    Optional<LogTail> logTail(String processId, int lines);

    /**
     * The containers a previous run of the agent left, put back in place (linked, published) so the agent can hold
     * their ports; by default just {@link #list()}.
     */
    default List<ContainerInfo> adopt() {
        return list();
    }

    /** The agent evicted this image (sha256 digest) from its cache: drop this runtime's copy of it, if any. */
    default void imageEvicted(String imageDigest) {
    }

    /** The agent stops using this runtime: release its clients and threads; its containers keep running. */
    default void close() {
    }
}
