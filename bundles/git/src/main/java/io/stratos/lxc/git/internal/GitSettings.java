package io.stratos.lxc.git.internal;

import io.stratos.lxc.config.ConfigValues;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The git fetcher's settings from PID {@code io.stratos.lxc.git}, read without ever throwing.
 *
 * @param allowedSchemes URL schemes a repository may be fetched over ({@code file} for local paths too)
 * @param timeoutSeconds how long a connection or a read may stall before the fetch gives up
 * @param workDir        where the bare clones of fetches in progress live (each deleted when its fetch ends)
 * @param allowedHosts   the only hosts a repository may be on (names or addresses, lower case); empty: any host
 */
public record GitSettings(Set<String> allowedSchemes, int timeoutSeconds, Path workDir, Set<String> allowedHosts) {

    public GitSettings(Set<String> allowedSchemes, int timeoutSeconds, Path workDir) {
        this(allowedSchemes, timeoutSeconds, workDir, Set.of());
    }

    static final String PID = "io.stratos.lxc.git";

    /** What JGit can fetch over here; {@code file} is off by default (a tenant could read the controller's disk). */
    static final List<String> KNOWN_SCHEMES = List.of("https", "http", "git", "ssh", "file");
    static final Set<String> DEFAULT_SCHEMES = Set.of("https", "http", "git", "ssh");

    public GitSettings {
        allowedSchemes = Set.copyOf(allowedSchemes);
        allowedHosts = Set.copyOf(allowedHosts);
    }

    static ConfigValues read(Map<String, ?> properties) {
        return ConfigValues.of(PID, properties);
    }

    static String defaultWorkDir() {
        return System.getProperty("karaf.data", "data") + "/stratos/git";
    }

    static GitSettings from(ConfigValues values) {
        Set<String> schemes = new LinkedHashSet<>();
        String raw = values.raw("allowedSchemes");
        if (raw == null) {
            schemes.addAll(DEFAULT_SCHEMES);
        } else {
            for (String part : raw.split("[,\\s]+")) {
                String scheme = part.trim().toLowerCase(Locale.ROOT);
                if (scheme.isEmpty()) {
                    continue;
                }
                if (KNOWN_SCHEMES.contains(scheme)) {
                    schemes.add(scheme);
                } else {
                    values.problem("allowedSchemes", raw, "a comma-separated list out of " + KNOWN_SCHEMES, null);
                    schemes.clear();
                    schemes.addAll(DEFAULT_SCHEMES);
                    break;
                }
            }
        }
        int timeout = values.integer("timeoutSeconds", 60, 1, 3600);
        String dir = values.string("workDir", defaultWorkDir());
        Path workDir;
        try {
            workDir = Path.of(dir).toAbsolutePath();
        } catch (RuntimeException e) {
            workDir = values.problem("workDir", dir, "a directory path", Path.of(defaultWorkDir()).toAbsolutePath());
        }
        Set<String> hosts = new LinkedHashSet<>();
        String rawHosts = values.string("allowedHosts", "");
        for (String part : rawHosts.split("[,\\s]+")) {
            if (!part.isBlank()) {
                hosts.add(part.trim().toLowerCase(Locale.ROOT));
            }
        }
        return new GitSettings(schemes, timeout, workDir, hosts);
    }
}
