package io.stratos.lxc.config;

/** One unusable configuration value: which PID and key, what was there, what is expected. */
public record ConfigProblem(String pid, String key, String value, String expected) {

    @Override
    public String toString() {
        return pid + ": key '" + key + "' has value '" + value + "', expected " + expected;
    }
}
