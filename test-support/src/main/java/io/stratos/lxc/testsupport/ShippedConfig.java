package io.stratos.lxc.testsupport;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The commented .cfg files the distribution ships (features/src/main/cfg) beside the metatype that describes the same
 * PID: a test per PID checks that both name the same keys and the same defaults, so neither drifts.
 */
public final class ShippedConfig {

    /** A key line, set ("key = value") or shown commented out ("# key = value"). */
    private static final Pattern KEY = Pattern.compile("^(#)? ?([A-Za-z][A-Za-z0-9._-]*) *=(.*)$", Pattern.MULTILINE);

    private ShippedConfig() {
    }

    /** Key to value as the shipped file writes it; null for a key shown commented out. */
    public static Map<String, String> keys(String pid) throws IOException {
        Map<String, String> keys = new LinkedHashMap<>();
        Matcher m = KEY.matcher(Files.readString(file(pid)));
        while (m.find()) {
            keys.putIfAbsent(m.group(2), m.group(1) == null ? m.group(3).trim() : null);
        }
        return keys;
    }

    /**
     * The attributes of an {@code @ObjectClassDefinition} type, by key (bnd's mapping of method names: "_" is ".",
     * "$_$" is "-"), each with its default as text, or null when it has none.
     */
    public static Map<String, String> attributes(Class<?> ocd) {
        Map<String, String> attributes = new LinkedHashMap<>();
        for (Method method : ocd.getDeclaredMethods()) {
            String key = method.getName().replace("$_$", "-").replace('_', '.');
            Object value = method.getDefaultValue();
            attributes.put(key, value == null ? null : String.valueOf(value));
        }
        return attributes;
    }

    /** What differs between the shipped file and the metatype; empty when they agree. */
    public static String differences(Class<?> ocd, String pid, String... notKeys) throws IOException {
        Map<String, String> shipped = keys(pid);
        for (String notKey : notKeys) {
            shipped.remove(notKey);
        }
        Map<String, String> described = attributes(ocd);
        StringBuilder out = new StringBuilder();
        TreeSet<String> all = new TreeSet<>(shipped.keySet());
        all.addAll(described.keySet());
        for (String key : all) {
            if (!shipped.containsKey(key)) {
                out.append(key).append(": described, but not in ").append(pid).append(".cfg; ");
            } else if (!described.containsKey(key)) {
                out.append(key).append(": in ").append(pid).append(".cfg, but not described; ");
            } else {
                String value = shipped.get(key);
                boolean placeholder = value != null && value.contains("${");
                if (!placeholder && !java.util.Objects.equals(value, described.get(key))) {
                    out.append(key).append(": shipped as ").append(value).append(", described default ")
                            .append(described.get(key)).append("; ");
                }
            }
        }
        return out.toString();
    }

    private static Path file(String pid) {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path cfg = dir.resolve("features/src/main/cfg").resolve(pid + ".cfg");
            if (Files.isRegularFile(cfg)) {
                return cfg;
            }
        }
        throw new IllegalStateException("no features/src/main/cfg/" + pid + ".cfg above " + Path.of("").toAbsolutePath());
    }
}
