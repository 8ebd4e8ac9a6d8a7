package io.stratos.lxc.agent.internal;

import io.stratos.lxc.api.config.ConfigValues;
import io.stratos.lxc.api.status.ComponentState;
import io.stratos.lxc.api.status.ComponentStatus;
import io.stratos.lxc.api.status.StatusContributor;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Path;
import io.stratos.lxc.agent.runtime.ContainerInfo;
import io.stratos.lxc.agent.runtime.ContainerRuntime;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent of one partition VM. This first slice reads and validates its settings and reports
 * itself ready; the image cache, runtimes and reconciler hang off it.
 */
@Component(immediate = true, configurationPid = AgentSettings.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {StatusContributor.class, AgentComponent.class})
public class AgentComponent implements StatusContributor {

    private static final Logger LOG = LoggerFactory.getLogger(AgentComponent.class);

    private volatile AgentSettings settings;
    private volatile String configProblems = "";
    private volatile AgentRuntimes runtimes;
    private final List<ServiceRegistration<ContainerRuntime>> registrations = new ArrayList<>();

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        configure(properties);
        AgentRuntimes built = new AgentRuntimes(settings);
        runtimes = built;
        for (ContainerRuntime runtime : built.runtimes().values()) {
            Dictionary<String, Object> props = new Hashtable<>();
            props.put("stratos.runtime", runtime.name());
            registrations.add(context.registerService(ContainerRuntime.class, runtime, props));
        }
        Thread adopt = new Thread(() -> {
            List<ContainerInfo> adopted = built.adopt();
            LOG.info("Runtimes: {}; re-adopted {} container(s)", built.describe(), adopted.size());
        }, "stratos-agent-adopt");
        adopt.setDaemon(true);
        adopt.start();
        LOG.info("Stratos agent ready {} ms after JVM start: {}",
                ManagementFactory.getRuntimeMXBean().getUptime(), settings);
    }

    @Deactivate
    void deactivate() {
        for (ServiceRegistration<ContainerRuntime> registration : registrations) {
            try {
                registration.unregister();
            } catch (IllegalStateException e) {
                // the framework took it down already
            }
        }
        registrations.clear();
        AgentRuntimes built = runtimes;
        runtimes = null;
        if (built != null) {
            // containers keep running; a restarted agent re-adopts them
            built.close();
        }
    }

    @Modified
    void configure(Map<String, Object> properties) {
        ConfigValues values = ConfigValues.of(AgentSettings.PID, AgentSettings.merge(properties, System.getenv()));
        AgentSettings read = AgentSettings.from(values, hostName(), defaultDataDir());
        if (values.valid() || settings == null) {
            if (settings != null && runtimes != null && !sameRuntimeSettings(settings, read)) {
                LOG.warn("Runtime settings (ports, network, dataDir, runtimes, image cache) apply when the agent restarts");
            }
            settings = read;
        }
        configProblems = values.describeProblems();
        if (!values.valid()) {
            LOG.error("Invalid agent configuration, using {}: {}", settings, configProblems);
        }
    }

    private static boolean sameRuntimeSettings(AgentSettings a, AgentSettings b) {
        return a.dataDir().equals(b.dataDir()) && a.portRangeStart() == b.portRangeStart() && a.portRangeEnd() == b.portRangeEnd()
                && a.runtimes().equals(b.runtimes()) && a.network().equals(b.network()) && a.bridge().equals(b.bridge())
                && a.bridgeSubnet().equals(b.bridgeSubnet()) && a.unprivileged() == b.unprivileged()
                && a.imageCacheMiB() == b.imageCacheMiB() && a.dockerHost().equals(b.dockerHost());
    }

    /** The port allocator, image cache and runtimes; null while inactive. */
    AgentRuntimes runtimes() {
        return runtimes;
    }

    AgentSettings settings() {
        return settings;
    }

    @Override
    public ComponentStatus componentStatus() {
        String problems = configProblems;
        AgentRuntimes built = runtimes;
        return problems.isEmpty()
                ? new ComponentStatus("agent", ComponentState.ACTIVE, settings + (built == null ? "" : "; " + built.describe()))
                : new ComponentStatus("agent", ComponentState.UNCONFIGURED, problems);
    }

    private static String defaultDataDir() {
        String karafData = System.getProperty("karaf.data", "data");
        return Path.of(karafData, "agent").toString();
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (Exception e) {
            return "localhost";
        }
    }
}
