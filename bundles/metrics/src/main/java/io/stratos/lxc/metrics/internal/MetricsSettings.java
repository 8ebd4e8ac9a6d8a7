package io.stratos.lxc.metrics.internal;

import io.stratos.lxc.config.ConfigValues;
import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * PID {@code io.stratos.lxc.metrics}: {@code maxProcessSeries} (default 10000, 0 to 10,000,000), the most processes
 * that get series of their own; a bad value keeps the last good one (and is logged). A component apart from the servlet: a configuration given to the servlet's own
 * component changed its service properties, and Pax Web then took the servlet off the whiteboard without putting it
 * back (404 until a restart; seen in the fleet benchmark).
 */
@Designate(ocd = MetricsConfig.class)
@Component(service = MetricsSettings.class, configurationPid = MetricsSettings.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, immediate = true)
public class MetricsSettings {

    static final String PID = "io.stratos.lxc.metrics";
    static final int DEFAULT_MAX_PROCESS_SERIES = 10_000;
    private static final Logger LOG = LoggerFactory.getLogger(MetricsSettings.class);

    private volatile int maxProcessSeries = DEFAULT_MAX_PROCESS_SERIES;

    @Activate
    @Modified
    void configure(Map<String, Object> properties) {
        ConfigValues values = ConfigValues.of(PID, properties);
        int max = values.integer("maxProcessSeries", DEFAULT_MAX_PROCESS_SERIES, 0, 10_000_000);
        if (values.describeProblems().isEmpty()) {
            maxProcessSeries = max;
        } else {
            // as the other components do: a bad value keeps the last good one
            LOG.warn("Metrics: {}; maxProcessSeries stays {}", values.describeProblems(), maxProcessSeries);
        }
    }

    int maxProcessSeries() {
        return maxProcessSeries;
    }
}
