package io.stratos.lxc.store.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.store.CartridgeManifest;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads and checks {@code cartridge.json}. Unknown fields, wrong types and bad values are
 * INVALID_INPUT naming the field as {@code cartridge.json:<path>}.
 */
final class ManifestReader {

    static final String FILE = "cartridge.json";
    static final List<String> RUNTIMES = List.of("lxc", "docker");
    static final CartridgeManifest.Resources DEFAULT_RESOURCES = new CartridgeManifest.Resources(100, 64);
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern PORT_NAME = Pattern.compile("[a-z]([a-z0-9-]{0,13}[a-z0-9])?");

    static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

    private ManifestReader() {
    }

    static CartridgeManifest read(byte[] json) {
        CartridgeManifest manifest;
        try {
            manifest = MAPPER.readValue(json, CartridgeManifest.class);
        } catch (UnrecognizedPropertyException e) {
            String path = path(e);
            throw StratosException.invalid(FILE + ":" + path, "the manifest has an unknown field '" + path + "'",
                    "known fields: name, version, description, start, ports, env, resources, health, runtimes, appDir");
        } catch (JsonMappingException e) {
            String path = path(e);
            throw StratosException.invalid(FILE + (path.isEmpty() ? "" : ":" + path),
                    "the manifest field '" + path + "' has the wrong type or value: " + e.getOriginalMessage(),
                    "see the manifest format in the README");
        } catch (JsonProcessingException e) {
            throw StratosException.invalid(FILE, "the manifest is not valid JSON: " + e.getOriginalMessage(),
                    "cartridge.json must be one JSON object");
        } catch (IOException e) {
            throw StratosException.invalid(FILE, "the manifest cannot be read: " + e.getMessage(), null);
        }
        if (manifest == null) {
            throw StratosException.invalid(FILE, "the manifest is empty", "cartridge.json must be one JSON object");
        }
        return check(manifest);
    }

    /** Checks values and fills in defaults (resources, runtimes, port protocol). */
    static CartridgeManifest check(CartridgeManifest m) {
        Names.checkName(FILE + ":name", m.name());
        Names.checkVersion(FILE + ":version", m.version());
        if (m.start().isEmpty()) {
            throw invalid("start", "the manifest has no start command",
                    "give the process argv, e.g. \"start\": [\"/bin/busybox\", \"httpd\", \"-f\"]");
        }
        for (int i = 0; i < m.start().size(); i++) {
            if (m.start().get(i) == null || (i == 0 && m.start().get(0).isBlank())) {
                throw invalid("start[" + i + "]", "start argument " + i + " is empty", null);
            }
        }
        List<CartridgeManifest.Port> ports = new ArrayList<>();
        Set<String> portNames = new HashSet<>();
        for (int i = 0; i < m.ports().size(); i++) {
            CartridgeManifest.Port port = m.ports().get(i);
            String at = "ports[" + i + "]";
            if (port == null) {
                throw invalid(at, "port " + i + " is null", null);
            }
            if (port.name() == null || !PORT_NAME.matcher(port.name()).matches()) {
                throw invalid(at + ".name", "port name '" + port.name() + "' is not valid", "e.g. http");
            }
            if (!portNames.add(port.name())) {
                throw invalid(at + ".name", "port name '" + port.name() + "' is used twice", null);
            }
            if (port.port() < 1 || port.port() > 65535) {
                throw invalid(at + ".port", "port " + port.port() + " is out of range", "1 to 65535");
            }
            String protocol = port.protocol() == null ? "tcp" : port.protocol();
            if (!protocol.equals("tcp") && !protocol.equals("udp")) {
                throw invalid(at + ".protocol", "protocol '" + protocol + "' is not supported", "tcp or udp");
            }
            ports.add(new CartridgeManifest.Port(port.name(), port.port(), protocol));
        }
        for (Map.Entry<String, String> env : m.env().entrySet()) {
            if (!ENV_NAME.matcher(env.getKey()).matches()) {
                throw invalid("env." + env.getKey(), "environment variable name '" + env.getKey() + "' is not valid", null);
            }
            String value = env.getValue();
            if (value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\0') >= 0) {
                // it becomes an "lxc.environment = K=V" line of the container's config: a line break would add lines
                throw invalid("env." + env.getKey(), "environment variable " + env.getKey()
                        + " contains a line break or NUL character", "values are one line of text");
            }
        }
        CartridgeManifest.Resources resources = m.resources() == null ? DEFAULT_RESOURCES : m.resources();
        if (resources.cpuMillis() < 1 || resources.cpuMillis() > 256_000) {
            throw invalid("resources.cpuMillis", "cpuMillis " + resources.cpuMillis() + " is out of range", "1 to 256000");
        }
        if (resources.memoryMiB() < 1 || resources.memoryMiB() > 4_194_304) {
            throw invalid("resources.memoryMiB", "memoryMiB " + resources.memoryMiB() + " is out of range", "1 to 4194304");
        }
        CartridgeManifest.Health health = m.health();
        if (health != null) {
            if ((health.http() == null) == (health.tcp() == null)) {
                throw invalid("health", "the health check needs exactly one of http or tcp",
                        "e.g. {\"http\": \"/\"} or {\"tcp\": 8080}");
            }
            if (health.http() != null && !health.http().startsWith("/")) {
                throw invalid("health.http", "health path '" + health.http() + "' must start with /", null);
            }
            if (health.tcp() != null && (health.tcp() < 1 || health.tcp() > 65535)) {
                throw invalid("health.tcp", "health port " + health.tcp() + " is out of range", "1 to 65535");
            }
        }
        List<String> runtimes = m.runtimes().isEmpty() ? RUNTIMES : m.runtimes();
        for (int i = 0; i < runtimes.size(); i++) {
            if (!RUNTIMES.contains(runtimes.get(i))) {
                throw invalid("runtimes[" + i + "]", "runtime '" + runtimes.get(i) + "' is not known", "lxc or docker");
            }
        }
        if (m.appDir() != null && (!m.appDir().startsWith("/") || m.appDir().contains(".."))) {
            throw invalid("appDir", "appDir '" + m.appDir() + "' must be an absolute path inside the rootfs without '..'", null);
        }
        CartridgeManifest.Metrics metrics = m.metrics();
        if (metrics != null) {
            String path = metrics.http();
            // read by the agent on the process's own address: a path, never a URL or another host ("//host/...")
            if (path == null || !path.startsWith("/") || path.startsWith("//") || path.length() > 256
                    || path.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
                throw invalid("metrics.http", "metrics path '" + path + "' is not a path on the process's own port",
                        "e.g. {\"http\": \"/metrics\"}: where the process serves OpenMetrics or Prometheus text");
            }
        }
        return new CartridgeManifest(m.name(), m.version(), m.description(), m.start(), ports, m.env(), resources,
                health, List.copyOf(new java.util.LinkedHashSet<>(runtimes)), m.appDir(), metrics);
    }

    private static StratosException invalid(String field, String message, String hint) {
        return StratosException.invalid(FILE + ":" + field, message, hint);
    }

    private static String path(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }
}
