package io.stratos.lxc.agent.internal.lxc;

import io.stratos.lxc.api.StratosException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The subordinate id range root may map into user namespaces ({@code root:<first>:<count>} in
 * {@code /etc/subuid} and {@code /etc/subgid}; LXC calls newuidmap/newgidmap even when started by root).
 * Unprivileged containers map their uid/gid 0..65535 onto {@code first..first+65535} of the host.
 */
public record IdMap(int first, int count) {

    public static final int SIZE = 65536;

    /** The first root range of at least 65536 ids present in both files, if any. */
    public static Optional<IdMap> ofRoot(Path subuid, Path subgid) {
        Optional<IdMap> uids = read(subuid);
        Optional<IdMap> gids = read(subgid);
        if (uids.isEmpty() || gids.isEmpty() || uids.get().first() != gids.get().first()) {
            return Optional.empty();
        }
        return uids;
    }

    static Optional<IdMap> read(Path file) {
        try {
            return parse(Files.readAllLines(file));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    static Optional<IdMap> parse(List<String> lines) {
        for (String line : lines) {
            String[] parts = line.trim().split(":");
            if (parts.length == 3 && (parts[0].equals("root") || parts[0].equals("0"))) {
                try {
                    int first = Integer.parseInt(parts[1]);
                    int count = Integer.parseInt(parts[2]);
                    if (count >= SIZE && first > 0) {
                        return Optional.of(new IdMap(first, count));
                    }
                } catch (NumberFormatException e) {
                    // not a range line
                }
            }
        }
        return Optional.empty();
    }

    /** The host id of a container id. */
    public int host(int containerId) {
        if (containerId < 0 || containerId >= SIZE) {
            throw StratosException.invalid("image", "file owner " + containerId + " is outside the container's 0-65535 id range", null);
        }
        return first + containerId;
    }
}
