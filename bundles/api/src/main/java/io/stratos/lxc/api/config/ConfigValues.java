package io.stratos.lxc.api.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * A typed reader over a Config Admin dictionary that never throws: an unparsable value is
 * recorded as a {@link ConfigProblem} naming the key, and the default is used in its place.
 * Components read all their keys, then check {@link #problems()} and show themselves as
 * UNCONFIGURED instead of failing to activate.
 *
 * @deprecated logic does not belong in the api bundle: bundles carry their own copy of
 *     {@code io.stratos.lxc.config.ConfigValues} (module config-values). Kept until the router, agent and store
 *     bundles have moved too; then it goes, with a major bump of this package.
 */
@Deprecated
public final class ConfigValues {

    private final String pid;
    private final Map<String, ?> properties;
    private final List<ConfigProblem> problems = new ArrayList<>();

    private ConfigValues(String pid, Map<String, ?> properties) {
        this.pid = pid;
        this.properties = properties == null ? Map.of() : properties;
    }

    public static ConfigValues of(String pid, Map<String, ?> properties) {
        return new ConfigValues(pid, properties);
    }

    public String pid() { return pid; }

    /** The raw value as text, trimmed, or null when the key is absent or blank. */
    public String raw(String key) {
        Object value = properties.get(key);
        if (value == null) {
            return null;
        }
        String text = String.valueOf(value).trim();
        return text.isEmpty() ? null : text;
    }

    public String string(String key, String defaultValue) {
        String raw = raw(key);
        return raw == null ? defaultValue : raw;
    }

    public int integer(String key, int defaultValue, int min, int max) {
        return (int) longValue(key, defaultValue, min, max);
    }

    public long longValue(String key, long defaultValue, long min, long max) {
        String raw = raw(key);
        if (raw == null) {
            return defaultValue;
        }
        try {
            long value = Long.parseLong(raw);
            if (value < min || value > max) {
                return problem(key, raw, "a whole number from " + min + " to " + max, defaultValue);
            }
            return value;
        } catch (NumberFormatException e) {
            return problem(key, raw, "a whole number from " + min + " to " + max, defaultValue);
        }
    }

    public boolean bool(String key, boolean defaultValue) {
        String raw = raw(key);
        if (raw == null) {
            return defaultValue;
        }
        if (raw.equalsIgnoreCase("true")) {
            return true;
        }
        if (raw.equalsIgnoreCase("false")) {
            return false;
        }
        return problem(key, raw, "true or false", defaultValue);
    }

    /** A TCP port, 1 to 65535. */
    public int port(String key, int defaultValue) {
        return integer(key, defaultValue, 1, 65535);
    }

    public <E extends Enum<E>> E enumValue(String key, Class<E> type, E defaultValue) {
        String raw = raw(key);
        if (raw == null) {
            return defaultValue;
        }
        for (E constant : type.getEnumConstants()) {
            if (constant.name().equalsIgnoreCase(raw.replace('-', '_'))) {
                return constant;
            }
        }
        List<String> names = new ArrayList<>();
        for (E constant : type.getEnumConstants()) {
            names.add(constant.name().toLowerCase());
        }
        return problem(key, raw, "one of " + names, defaultValue);
    }

    /** Records a problem found by the caller's own check (e.g. a relation between two keys). */
    public <T> T problem(String key, String value, String expected, T fallback) {
        problems.add(new ConfigProblem(pid, key, value, expected));
        return fallback;
    }

    public List<ConfigProblem> problems() {
        return Collections.unmodifiableList(problems);
    }

    public boolean valid() {
        return problems.isEmpty();
    }

    /** All problems on one line, for logs and the UNCONFIGURED status detail. */
    public String describeProblems() {
        StringBuilder text = new StringBuilder();
        for (ConfigProblem problem : problems) {
            if (text.length() > 0) {
                text.append("; ");
            }
            text.append(problem);
        }
        return text.toString();
    }
}
