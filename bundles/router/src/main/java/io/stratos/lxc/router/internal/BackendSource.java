package io.stratos.lxc.router.internal;

import java.util.List;

/** Where the router learns an alias's backends: the cloud controller, or a fake in tests. */
@FunctionalInterface
interface BackendSource {

    /**
     * The RUNNING, reachable backends of this alias (possibly none), or null when no subscription has
     * this alias.
     *
     * @throws SourceUnavailableException when it cannot tell right now (the controller is not there)
     */
    List<Backend> backends(String alias);

    /** The source cannot answer; the router keeps using what it knew or answers 503. */
    final class SourceUnavailableException extends RuntimeException {
        SourceUnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }
}
