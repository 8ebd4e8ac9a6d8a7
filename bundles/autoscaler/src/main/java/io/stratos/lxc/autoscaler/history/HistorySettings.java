package io.stratos.lxc.autoscaler.history;

import io.stratos.lxc.config.ConfigValues;
import java.util.Map;

/**
 * The history's settings from PID {@code io.stratos.lxc.history}, read without ever throwing.
 *
 * @param intervalSeconds  seconds between samples (1 to 60); an hour of them is kept
 * @param maxSubscriptions subscriptions tracked at most (0: none); the others get no history
 * @param maxPartitions    partitions tracked at most (0: none)
 */
public record HistorySettings(int intervalSeconds, int maxSubscriptions, int maxPartitions) {

    public static final String PID = "io.stratos.lxc.history";

    static final int HOUR_SECONDS = 3600;

    public static HistorySettings initial() {
        return from(ConfigValues.of(PID, Map.of()));
    }

    static ConfigValues read(Map<String, ?> properties) {
        return ConfigValues.of(PID, properties);
    }

    static HistorySettings from(ConfigValues values) {
        return new HistorySettings(values.integer("intervalSeconds", 5, 1, 60),
                values.integer("maxSubscriptions", 10_000, 0, 1_000_000),
                values.integer("maxPartitions", 1_000, 0, 100_000));
    }

    /** Samples per series: an hour's worth (720 at 5 s). */
    int capacity() {
        return (HOUR_SECONDS + intervalSeconds - 1) / intervalSeconds;
    }
}
