package io.stratos.lxc.api.artifact;

import java.io.OutputStream;

/**
 * Reads one commit of a git repository as an artifact. Implemented with JGit; which URL schemes are allowed is
 * its configuration (PID {@code io.stratos.lxc.git}): {@code file:} is off by default, since a tenant could
 * otherwise read any repository on the controller's disk.
 */
public interface GitFetcher {

    /**
     * Fetches {@code ref} (a branch, tag or commit id) of the repository and writes the tree of that commit as a
     * plain tar (entries relative, without {@code .git}; symbolic links kept as links) to {@code tar}.
     *
     * @return the commit id (40 hex digits) that was written
     * @throws io.stratos.lxc.api.StratosException INVALID_INPUT for a URL that is malformed or not allowed, or a ref
     *         the repository does not have, or a repository that cannot be reached (with the reason: the URL is the
     *         user's to fix); UNAVAILABLE when the controller itself fails (no room for the temporary repository);
     *         TOO_LARGE past {@code maxBytes} of tree content
     */
    String snapshot(String url, String ref, OutputStream tar, long maxBytes);
}
