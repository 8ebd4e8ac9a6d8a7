package io.stratos.lxc.api.artifact;

import java.util.List;

/**
 * A subscription's application: what serves, what is wanted, how far the rollout between them is, and the history
 * (newest first).
 *
 * @param deployed version number serving on every process (0: the cartridge image's own content)
 * @param desired  version number wanted (equal to {@code deployed} when no rollout runs)
 * @param updated  processes already running the desired version
 * @param total    processes the subscription should have
 */
public record ArtifactStatus(String alias, int deployed, int desired, String rollout, int updated, int total,
                             List<ArtifactVersion> history) {

    public ArtifactStatus {
        history = history == null ? List.of() : List.copyOf(history);
    }
}
