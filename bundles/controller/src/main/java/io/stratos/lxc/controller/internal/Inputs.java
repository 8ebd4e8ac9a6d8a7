package io.stratos.lxc.controller.internal;

import io.stratos.lxc.api.StratosException;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Checks of the free-form maps users send (a subscription's {@code env}, a partition's {@code template})
 * before the controller keeps them. They travel on: env ends up as {@code lxc.environment = K=V} lines of
 * a container's LXC config, where a line break in a value would add config lines of the sender's choosing
 * (a mount of the host's root, say); template goes to the IaaS adapter. Nulls would break the copies
 * the controller keeps.
 */
final class Inputs {

    static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,255}");
    static final Pattern TEMPLATE_KEY = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    static final int MAX_ENTRIES = 256;
    static final int MAX_ENV_VALUE = 32 * 1024;
    static final int MAX_TEMPLATE_VALUE = 64 * 1024;
    /** What the database keeps of a whole env or template (VARCHAR(8000)), as stored (Properties-escaped). */
    static final int MAX_STORED = 8000;

    private Inputs() {
    }

    /** Environment variables: POSIX names, values without NUL, CR or LF. */
    static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,62}");

    /** A tenant named by an admin subscribing on its behalf: a user name of the realm (the column holds 63 characters). */
    static String tenant(String tenant) {
        if (!TENANT.matcher(tenant).matches()) {
            throw StratosException.invalid("tenant", "tenant '" + printable(tenant) + "' is not a user name",
                    "1 to 63 letters, digits and . _ @ -, as in etc/users.properties");
        }
        return tenant;
    }

    static Map<String, String> env(Map<String, String> env) {
        if (env == null) {
            return Map.of();
        }
        checkSize("env", env);
        for (Map.Entry<String, String> e : env.entrySet()) {
            String name = e.getKey();
            if (name == null || !ENV_NAME.matcher(name).matches()) {
                throw StratosException.invalid("env", "environment variable name '" + printable(name) + "' is not valid",
                        "names are letters, digits and '_', not starting with a digit (at most 256)");
            }
            String value = e.getValue();
            if (value == null) {
                throw StratosException.invalid("env." + name, "environment variable " + name + " has no value",
                        "send a string, \"\" for empty");
            }
            if (value.length() > MAX_ENV_VALUE) {
                throw StratosException.invalid("env." + name, "environment variable " + name + " has "
                        + value.length() + " characters, more than " + MAX_ENV_VALUE, null);
            }
            if (hasLineBreakOrNul(value)) {
                throw StratosException.invalid("env." + name, "environment variable " + name
                        + " contains a line break or NUL character", "values are one line of text");
            }
        }
        checkStored("env", env);
        return Map.copyOf(env);
    }

    /** IaaS template keys and values: short keys, string values, nothing null. */
    /** Refused here rather than by the database (whose refusal was a 503 quoting the SQL, and an error in the log). */
    private static void checkStored(String field, Map<String, String> map) {
        int stored = Repository.encode(map).length();
        if (stored > MAX_STORED) {
            throw StratosException.invalid(field, field + " takes " + stored + " characters as stored, more than " + MAX_STORED,
                    "send fewer or shorter values (as stored, \\ = : # ! and control characters take two or more)");
        }
    }

    static Map<String, String> template(Map<String, String> template) {
        if (template == null) {
            return Map.of();
        }
        checkSize("template", template);
        for (Map.Entry<String, String> e : template.entrySet()) {
            String key = e.getKey();
            if (key == null || !TEMPLATE_KEY.matcher(key).matches()) {
                throw StratosException.invalid("template", "template key '" + printable(key) + "' is not valid",
                        "keys are letters, digits, '.', '_' and '-' (at most 128)");
            }
            String value = e.getValue();
            if (value == null) {
                throw StratosException.invalid("template." + key, "template key " + key + " has no value",
                        "send a string");
            }
            if (value.length() > MAX_TEMPLATE_VALUE || value.indexOf('\0') >= 0) {
                throw StratosException.invalid("template." + key, "template key " + key
                        + " has a value that is too long (over " + MAX_TEMPLATE_VALUE + " characters) or contains NUL", null);
            }
        }
        checkStored("template", template);
        return Map.copyOf(template);
    }

    private static void checkSize(String field, Map<String, String> map) {
        if (map.size() > MAX_ENTRIES) {
            throw StratosException.invalid(field, field + " has " + map.size() + " entries, more than " + MAX_ENTRIES, null);
        }
    }

    static boolean hasLineBreakOrNul(String value) {
        return value.indexOf('\n') >= 0 || value.indexOf('\r') >= 0 || value.indexOf('\0') >= 0;
    }

    /** For messages: at most 64 characters, control characters escaped. */
    static String printable(String value) {
        return printable(value, 64);
    }

    /** For messages: at most {@code max} characters, control characters escaped. */
    static String printable(String value, int max) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < value.length() && i < max; i++) {
            char c = value.charAt(i);
            out.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", (int) c) : String.valueOf(c));
        }
        return value.length() > max ? out + "..." : out.toString();
    }
}
