package io.stratos.lxc.api.config;

/**
 * One unusable configuration value: which PID and key, what was there, what is expected.
 *
 * @deprecated goes with {@link ConfigValues}; see {@code io.stratos.lxc.config.ConfigProblem}.
 */
@Deprecated
public record ConfigProblem(String pid, String key, String value, String expected) {

    @Override
    public String toString() {
        return pid + ": key '" + key + "' has value '" + value + "', expected " + expected;
    }
}
