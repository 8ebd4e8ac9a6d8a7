package io.stratos.lxc.controller.internal;

import io.stratos.lxc.api.ha.LeaseStatus;
import io.stratos.lxc.api.ha.Leadership;
import io.stratos.lxc.api.status.ComponentState;
import io.stratos.lxc.api.status.ComponentStatus;
import io.stratos.lxc.api.status.StatusContributor;
import io.stratos.lxc.api.status.StatusService;
import io.stratos.lxc.api.status.SystemStatus;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;

/** Collects the status of whatever components are registered (whiteboard), sorted by name. */
@Component(service = StatusService.class)
public class StatusServiceImpl implements StatusService {

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    volatile List<StatusContributor> contributors = List.of();

    /** Optional: the leader lease; without it this controller is alone on its database, so active. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile Leadership leadership;

    private String version = "unknown";

    @Activate
    void activate(BundleContext context) {
        version = context.getBundle().getVersion().toString();
    }

    @Override
    public SystemStatus status() {
        // Uptime of the controller process, not of this bundle: a bundle update must not reset it.
        long startMillis = ManagementFactory.getRuntimeMXBean().getStartTime();
        long uptime = Math.max(0, (System.currentTimeMillis() - startMillis) / 1000);
        List<ComponentStatus> components = new ArrayList<>();
        for (StatusContributor contributor : contributors) {
            components.add(contributor.componentStatus());
        }
        SystemStatus summary = summarise(version, Instant.ofEpochMilli(startMillis).toString(), uptime, components);
        Leadership lease = leadership;
        if (lease == null) {
            return summary;
        }
        LeaseStatus l = lease.lease();
        return new SystemStatus(summary.version(), summary.startedAt(), summary.uptimeSeconds(), summary.state(),
                summary.components(), l.role().label(), l.epoch(), l.holder());
    }

    static SystemStatus summarise(String version, String startedAt, long uptime, List<ComponentStatus> components) {
        List<ComponentStatus> sorted = new ArrayList<>(components);
        sorted.sort(Comparator.comparing(ComponentStatus::name));
        ComponentState worst = ComponentState.ACTIVE;
        for (ComponentStatus component : sorted) {
            if (component.state().compareTo(worst) > 0) {
                worst = component.state();
            }
        }
        return new SystemStatus(version, startedAt, uptime, worst, sorted);
    }
}
