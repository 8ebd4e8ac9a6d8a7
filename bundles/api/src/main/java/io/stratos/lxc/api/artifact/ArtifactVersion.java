package io.stratos.lxc.api.artifact;

/**
 * One deployment of an application artifact into a subscription: version {@code number} counts from 1 per
 * subscription.
 *
 * @param source    {@code upload} or {@code git}
 * @param git       the repository URL (git only)
 * @param ref       the ref asked for (git only)
 * @param commit    the commit it resolved to (git only)
 * @param state     ROLLING_OUT, DEPLOYED (serving), SUPERSEDED (a later version replaced it), FAILED (its rollout stopped,
 *                  see {@code reason}), CANCELLED (a newer deployment came before it finished)
 * @param reason    why it failed, or what its rollout waits for
 */
public record ArtifactVersion(int number, String digest, long size, String source, String git, String ref, String commit,
                              String createdAt, String state, String reason) {

    public static final String ROLLING_OUT = "ROLLING_OUT";
    public static final String DEPLOYED = "DEPLOYED";
    public static final String SUPERSEDED = "SUPERSEDED";
    public static final String FAILED = "FAILED";
    public static final String CANCELLED = "CANCELLED";
}
