package io.stratos.lxc.api.agent;

import java.util.List;
import java.util.Map;

/**
 * One process the controller wants on an agent's VM. The image is fetched by digest from the store.
 *
 * @param artifactDigest     the application artifact to place into the process's {@code appDir} ({@code sha256:<hex>},
 *                           fetched from {@code /stratos/api/v1/artifacts/}), or null for the image's own content
 * @param applicationMetrics the application metrics its subscription's autoscale policy targets: the agent scrapes
 *                           them from the process (where its manifest declares {@code metrics.http}) and reports only
 *                           these; empty: no scrape
 */
public record DesiredProcess(String processId, String alias, String cartridge, String version, String imageDigest,
                             String runtime, int cpuMillis, int memoryMiB, Map<String, String> env, String artifactDigest,
                             List<String> applicationMetrics) {

    public DesiredProcess {
        applicationMetrics = applicationMetrics == null ? List.of() : List.copyOf(applicationMetrics);
    }

    public DesiredProcess(String processId, String alias, String cartridge, String version, String imageDigest,
                          String runtime, int cpuMillis, int memoryMiB, Map<String, String> env, String artifactDigest) {
        this(processId, alias, cartridge, version, imageDigest, runtime, cpuMillis, memoryMiB, env, artifactDigest, null);
    }

    public DesiredProcess(String processId, String alias, String cartridge, String version, String imageDigest,
                          String runtime, int cpuMillis, int memoryMiB, Map<String, String> env) {
        this(processId, alias, cartridge, version, imageDigest, runtime, cpuMillis, memoryMiB, env, null, null);
    }
}
