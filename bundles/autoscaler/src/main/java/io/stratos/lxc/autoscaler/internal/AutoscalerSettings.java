package io.stratos.lxc.autoscaler.internal;

import io.stratos.lxc.config.ConfigValues;
import java.util.Map;

/**
 * The autoscaler's settings from PID {@code io.stratos.lxc.autoscaler}, read without ever throwing.
 *
 * @param enabled                off: nothing is scaled automatically (policies can still be managed)
 * @param intervalMillis         milliseconds between evaluations
 * @param decisionHistory        decisions kept in memory for the views
 * @param metricWindowSeconds    seconds of samples averaged (and fitted, for prediction) per metric
 * @param vmScalingEnabled       level 2 on or off
 * @param vmScaleInUtilisation   a VM is under-used below this fraction of its capacity allocated
 * @param vmScaleInWindowSeconds seconds all VMs of a partition must stay under-used before one is drained
 * @param defaults               what a policy gets for the fields it leaves out
 */
public record AutoscalerSettings(boolean enabled, int intervalMillis, int decisionHistory, int metricWindowSeconds,
                                 boolean vmScalingEnabled, double vmScaleInUtilisation, int vmScaleInWindowSeconds,
                                 PolicyDefaults defaults) {

    public static final String PID = "io.stratos.lxc.autoscaler";

    /** Policy field defaults. */
    public record PolicyDefaults(int scaleUpStep, int scaleDownStep, int scaleUpCooldownSeconds,
                                 int scaleDownStabilizationSeconds, double tolerance, boolean predict) {
    }

    public static AutoscalerSettings initial() {
        return from(ConfigValues.of(PID, Map.of()));
    }

    static ConfigValues read(Map<String, ?> properties) {
        return ConfigValues.of(PID, properties);
    }

    static AutoscalerSettings from(ConfigValues values) {
        boolean enabled = values.bool("enabled", true);
        int interval = values.integer("intervalMillis", 1000, 50, 3_600_000);
        int history = values.integer("decisionHistory", 1000, 1, 1_000_000);
        int window = values.integer("metricWindowSeconds", 10, 1, 3600);
        boolean vmScaling = values.bool("vmScalingEnabled", true);
        double utilisation = decimal(values, "vmScaleInUtilisation", 0.3, 0.0, 1.0);
        int scaleInWindow = values.integer("vmScaleInWindowSeconds", 120, 1, 86_400);
        int up = values.integer("defaultScaleUpStep", 4, 1, 1000);
        int down = values.integer("defaultScaleDownStep", 1, 1, 1000);
        int cooldown = values.integer("defaultScaleUpCooldownSeconds", 15, 0, 86_400);
        int stabilisation = values.integer("defaultScaleDownStabilizationSeconds", 60, 0, 86_400);
        double tolerance = decimal(values, "defaultTolerance", 0.1, 0.0, 0.99);
        boolean predict = values.bool("defaultPredict", false);
        return new AutoscalerSettings(enabled, interval, history, window, vmScaling, utilisation, scaleInWindow,
                new PolicyDefaults(up, down, cooldown, stabilisation, tolerance, predict));
    }

    /** A decimal number from min to max; a problem naming the key otherwise. */
    static double decimal(ConfigValues values, String key, double defaultValue, double min, double max) {
        String raw = values.raw(key);
        if (raw == null) {
            return defaultValue;
        }
        String expected = "a number from " + min + " to " + max;
        try {
            double value = Double.parseDouble(raw);
            if (!Double.isFinite(value) || value < min || value > max) {
                return values.problem(key, raw, expected, defaultValue);
            }
            return value;
        } catch (NumberFormatException e) {
            return values.problem(key, raw, expected, defaultValue);
        }
    }
}
