package io.stratos.lxc.rest.internal;

import java.util.Map;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.Designate;

/**
 * PID {@code io.stratos.lxc.rest}: {@code maxJsonBytes}, the largest JSON request body (default 1 MiB, at
 * least 1 KiB; a value that is not a number keeps the default). A service: the JSON filter of every published
 * server and the agent and router servlets read it from here, at each request.
 */
@Designate(ocd = RestConfig.class)
@Component(configurationPid = "io.stratos.lxc.rest", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = RestSettings.class, immediate = true)
public class RestSettings {

    private volatile long maxJsonBytes = BodyLimit.DEFAULT_MAX_JSON_BYTES;

    /** The largest JSON request body, in bytes. */
    public long maxJsonBytes() {
        return maxJsonBytes;
    }

    @Activate
    @Modified
    void configure(Map<String, Object> properties) {
        Object value = properties.get("maxJsonBytes");
        long max = BodyLimit.DEFAULT_MAX_JSON_BYTES;
        if (value != null) {
            try {
                max = Long.parseLong(value.toString().trim());
            } catch (NumberFormatException e) {
                max = BodyLimit.DEFAULT_MAX_JSON_BYTES;
            }
        }
        maxJsonBytes = Math.max(max, 1024);
    }
}
