package io.stratos.lxc.api.artifact;

import io.stratos.lxc.api.StratosException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

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

    /** A commit kept in an artifact store: the stored artifact and the commit id it was read at. */
    record StoredCommit(StoredArtifact stored, String commit) {
    }

    /**
     * {@link #snapshot} into {@code store} in one call: the tar is written to a temporary file, then stored like an upload,
     * and the file deleted.
     *
     * @throws io.stratos.lxc.api.StratosException as {@link #snapshot} and {@link ArtifactStore#put} do; UNAVAILABLE when
     *         the temporary file cannot be written
     */
    default StoredCommit snapshotInto(ArtifactStore store, String url, String ref, long maxBytes) {
        Path tar = null;
        try {
            tar = Files.createTempFile("stratos-git-", ".tar");
            String commit;
            try (OutputStream out = Files.newOutputStream(tar)) {
                commit = snapshot(url, ref, out, maxBytes);
            }
            try (InputStream in = Files.newInputStream(tar)) {
                return new StoredCommit(store.put(in), commit);
            }
        } catch (IOException e) {
            throw StratosException.unavailable("cannot keep the git snapshot: " + e.getMessage(), "check the controller's temporary directory");
        } finally {
            if (tar != null) {
                try {
                    Files.deleteIfExists(tar);
                } catch (IOException ignored) {
                    // a temporary file
                }
            }
        }
    }
}
