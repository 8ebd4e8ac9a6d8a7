package io.stratos.lxc.controller.internal;

import io.stratos.lxc.api.status.ComponentStatus;
import io.stratos.lxc.api.status.StatusService;
import io.stratos.lxc.controller.management.ControllerMBean;
import javax.management.NotCompliantMBeanException;
import javax.management.StandardMBean;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/** Exported by Karaf's JMX whiteboard because of its {@code jmx.objectname} property. */
@Component(service = ControllerMBean.class, property = "jmx.objectname=io.stratos.lxc:type=Controller")
public class ControllerMBeanImpl extends StandardMBean implements ControllerMBean {

    @Reference
    StatusService statusService;

    public ControllerMBeanImpl() throws NotCompliantMBeanException {
        super(ControllerMBean.class);
    }

    @Override
    public String getVersion() {
        return statusService.status().version();
    }

    @Override
    public String getStartedAt() {
        return statusService.status().startedAt();
    }

    @Override
    public long getUptimeSeconds() {
        return statusService.status().uptimeSeconds();
    }

    @Override
    public String getState() {
        return statusService.status().state().name();
    }

    @Override
    public String[] getComponents() {
        return statusService.status().components().stream()
                .map(ControllerMBeanImpl::line)
                .toArray(String[]::new);
    }

    @Override
    public String getRole() {
        return statusService.status().role();
    }

    @Override
    public long getLeaseEpoch() {
        return statusService.status().leaseEpoch();
    }

    @Override
    public String getLeaseHolder() {
        return statusService.status().leaseHolder();
    }

    private static String line(ComponentStatus component) {
        return (component.name() + " " + component.state() + " " + component.detail()).trim();
    }
}
