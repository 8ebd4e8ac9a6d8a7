package io.stratos.lxc.api.store;

import java.util.List;
import java.util.Map;

/**
 * The manifest {@code cartridge.json} at the top of a cartridge image tarball. Immutable; absent
 * collections become empty. The store checks the values (see the store's validator), this record
 * only carries them.
 *
 * @param name        cartridge name, a DNS label such as {@code static-httpd}
 * @param version     semver-like version such as {@code 1.0.0} or {@code 8.2.7-1}
 * @param description free text, may be null
 * @param start       argv of the process; {@code start[0]} must exist in the rootfs (or be found on
 *                    the PATH of the rootfs when relative)
 * @param ports       ports the process listens on inside its container; it also gets {@code PORT}
 * @param env         environment defaults
 * @param resources   resource request, may be null (the store fills in defaults)
 * @param health      health check, may be null (no check)
 * @param runtimes    supported runtimes: {@code lxc}, {@code docker}
 * @param appDir      optional directory in the rootfs where application content is placed
 * @param metrics     where the process serves its own metrics (OpenMetrics or Prometheus text), may be null:
 *                    the agent scrapes it when a subscription's autoscale policy targets an application metric
 */
public record CartridgeManifest(String name, String version, String description, List<String> start,
                                List<Port> ports, Map<String, String> env, Resources resources, Health health,
                                List<String> runtimes, String appDir, Metrics metrics) {

    public CartridgeManifest(String name, String version, String description, List<String> start,
                             List<Port> ports, Map<String, String> env, Resources resources, Health health,
                             List<String> runtimes, String appDir) {
        this(name, version, description, start, ports, env, resources, health, runtimes, appDir, null);
    }

    public CartridgeManifest {
        start = start == null ? List.of() : List.copyOf(start);
        ports = ports == null ? List.of() : List.copyOf(ports);
        env = env == null ? Map.of() : Map.copyOf(env);
        runtimes = runtimes == null ? List.of() : List.copyOf(runtimes);
    }

    /** A port the process listens on inside the container. Protocol {@code tcp} (default) or {@code udp}. */
    public record Port(String name, int port, String protocol) {
    }

    /** Resource request: CPU in millicores, memory in MiB. */
    public record Resources(int cpuMillis, int memoryMiB) {
    }

    /** Health check: exactly one of an HTTP path (e.g. {@code /}) or a TCP port. */
    public record Health(String http, Integer tcp) {
    }

    /** Application metrics: an HTTP path on the process's own port, e.g. {@code /metrics}. */
    public record Metrics(String http) {
    }
}
