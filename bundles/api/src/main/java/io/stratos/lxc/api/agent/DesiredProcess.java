package io.stratos.lxc.api.agent;

import java.util.Map;

/** One process the controller wants on an agent's VM. The image is fetched by digest from the store. */
public record DesiredProcess(String processId, String alias, String cartridge, String version, String imageDigest,
                             String runtime, int cpuMillis, int memoryMiB, Map<String, String> env) {
}
