package io.stratos.lxc.agent.internal.image;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratos.lxc.api.StratosException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What the agent needs from an image's {@code cartridge.json}: the start command, the port the process
 * listens on inside, its environment and resource request, the runtimes it supports, its health and metrics paths.
 * Unknown fields are ignored; a missing or malformed required field is INVALID_INPUT naming it.
 */
public record ImageManifest(String name, String version, List<String> start, int port, Map<String, String> env,
                            int cpuMillis, int memoryMiB, List<String> runtimes, String appDir, String healthPath,
                            String metricsPath) {

    public ImageManifest(String name, String version, List<String> start, int port, Map<String, String> env,
                         int cpuMillis, int memoryMiB, List<String> runtimes, String appDir, String healthPath) {
        this(name, version, start, port, env, cpuMillis, memoryMiB, runtimes, appDir, healthPath, null);
    }

    public ImageManifest(String name, String version, List<String> start, int port, Map<String, String> env,
                         int cpuMillis, int memoryMiB, List<String> runtimes) {
        this(name, version, start, port, env, cpuMillis, memoryMiB, runtimes, null, null, null);
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    public ImageManifest {
        start = List.copyOf(start);
        env = Map.copyOf(env);
        runtimes = List.copyOf(runtimes);
    }

    public static ImageManifest read(Path file) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw StratosException.invalid("cartridge.json", "cannot read " + file + ": " + e.getMessage(), null);
        }
        if (root == null || !root.isObject()) {
            throw StratosException.invalid("cartridge.json", file + " is not a JSON object", null);
        }
        String name = text(root, "name", null);
        if (name == null || name.isBlank()) {
            throw StratosException.invalid("name", "cartridge.json has no name", null);
        }
        List<String> start = new ArrayList<>();
        JsonNode startNode = root.get("start");
        if (startNode == null || !startNode.isArray() || startNode.isEmpty()) {
            throw StratosException.invalid("start", "cartridge.json has no start command (a list of strings)", null);
        }
        startNode.forEach(n -> start.add(n.asText()));
        int port = 8080;
        JsonNode ports = root.get("ports");
        if (ports != null && ports.isArray() && !ports.isEmpty()) {
            port = ports.get(0).path("port").asInt(0);
            if (port < 1 || port > 65535) {
                throw StratosException.invalid("ports", "cartridge.json's first port is not 1-65535", null);
            }
        }
        Map<String, String> env = new LinkedHashMap<>();
        JsonNode envNode = root.get("env");
        if (envNode != null && envNode.isObject()) {
            envNode.fields().forEachRemaining(e -> env.put(e.getKey(), e.getValue().asText()));
        }
        JsonNode resources = root.path("resources");
        List<String> runtimes = new ArrayList<>();
        JsonNode runtimesNode = root.get("runtimes");
        if (runtimesNode != null && runtimesNode.isArray()) {
            runtimesNode.forEach(n -> runtimes.add(n.asText()));
        } else {
            runtimes.addAll(List.of("lxc", "docker"));
        }
        String appDir = text(root, "appDir", null);
        if (appDir != null && (!appDir.startsWith("/") || appDir.contains("..") || appDir.indexOf('\n') >= 0 || appDir.equals("/"))) {
            throw StratosException.invalid("appDir", "cartridge.json's appDir '" + appDir + "' is not an absolute directory below /", null);
        }
        String health = root.path("health").path("http").isTextual() ? root.path("health").path("http").asText() : null;
        if (health != null && !health.startsWith("/")) {
            health = "/" + health;
        }
        // Where the process serves its own metrics, read on its own address: a path only, never another host.
        String metrics = root.path("metrics").path("http").isTextual() ? root.path("metrics").path("http").asText() : null;
        if (metrics != null && (!metrics.startsWith("/") || metrics.startsWith("//") || metrics.chars().anyMatch(c -> c <= ' '))) {
            throw StratosException.invalid("metrics.http", "cartridge.json's metrics.http '" + metrics
                    + "' is not a path such as /metrics", null);
        }
        return new ImageManifest(name, text(root, "version", ""), start, port, env, resources.path("cpuMillis").asInt(0),
                resources.path("memoryMiB").asInt(0), runtimes, appDir, health, metrics);
    }

    private static String text(JsonNode root, String field, String fallback) {
        JsonNode node = root.get(field);
        return node == null || node.isNull() ? fallback : node.asText();
    }
}
