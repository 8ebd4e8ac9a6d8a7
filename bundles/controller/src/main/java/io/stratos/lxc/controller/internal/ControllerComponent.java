package io.stratos.lxc.controller.internal;

import io.stratos.lxc.api.status.ComponentState;
import io.stratos.lxc.api.status.ComponentStatus;
import io.stratos.lxc.api.status.StatusContributor;
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
 * The cloud controller's configuration holder. A bad value never stops it: the problem is logged
 * with its key, the last good settings (or the defaults) stay in force, and the status says
 * UNCONFIGURED until the file is fixed.
 */
@Designate(ocd = ControllerConfig.class)
@Component(configurationPid = ControllerSettings.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {StatusContributor.class, ControllerComponent.class})
public class ControllerComponent implements StatusContributor {

    private static final Logger LOG = LoggerFactory.getLogger(ControllerComponent.class);

    private volatile ControllerSettings settings = ControllerSettings.from(ConfigValues.of(ControllerSettings.PID, Map.of()));
    private volatile String configProblems = "";

    @Activate
    @Modified
    void configure(Map<String, Object> properties) {
        ConfigValues values = ControllerSettings.read(properties);
        ControllerSettings read = ControllerSettings.from(values);
        if (values.valid()) {
            settings = read;
            configProblems = "";
            LOG.info("Controller configured: {}", read);
        } else {
            configProblems = values.describeProblems();
            LOG.error("Invalid configuration, keeping {}: {}", settings, configProblems);
        }
    }

    ControllerSettings settings() {
        return settings;
    }

    @Override
    public ComponentStatus componentStatus() {
        String problems = configProblems;
        return problems.isEmpty()
                ? ComponentStatus.active("controller")
                : new ComponentStatus("controller", ComponentState.UNCONFIGURED, problems);
    }
}
