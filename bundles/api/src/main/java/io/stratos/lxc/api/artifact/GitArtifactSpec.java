package io.stratos.lxc.api.artifact;

/** {@code POST .../subscriptions/{alias}/artifact}: deploy a git repository's ref; {@code ref} defaults to {@code main}. */
public record GitArtifactSpec(String git, String ref) {
}
