package io.stratos.lxc.api.agent;

import java.util.Map;

/**
 * One process the controller wants on an agent's VM. The image is fetched by digest from the store.
 *
 * @param artifactDigest the application artifact to place into the process's {@code appDir} ({@code sha256:<hex>},
 *                       fetched from {@code /stratos/api/v1/artifacts/}), or null for the image's own content
 */
public record DesiredProcess(String processId, String alias, String cartridge, String version, String imageDigest,
                             String runtime, int cpuMillis, int memoryMiB, Map<String, String> env, String artifactDigest) {

    public DesiredProcess(String processId, String alias, String cartridge, String version, String imageDigest,
                          String runtime, int cpuMillis, int memoryMiB, Map<String, String> env) {
        this(processId, alias, cartridge, version, imageDigest, runtime, cpuMillis, memoryMiB, env, null);
    }
}
