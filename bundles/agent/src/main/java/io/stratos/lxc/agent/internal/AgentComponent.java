package io.stratos.lxc.agent.internal;

import io.stratos.lxc.agent.protocol.AgentConnection;
import io.stratos.lxc.agent.protocol.ControllerClient;
import io.stratos.lxc.agent.protocol.ProcessSupervisor;
import io.stratos.lxc.api.agent.AgentRegistration;
import io.stratos.lxc.api.config.ConfigValues;
import io.stratos.lxc.api.controller.Resources;
import io.stratos.lxc.api.status.ComponentState;
import io.stratos.lxc.api.status.ComponentStatus;
import io.stratos.lxc.api.status.StatusContributor;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
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
    private final ProcessSupervisor supervisor = new WaitingSupervisor();
    private volatile String configProblems = "";

    private volatile AgentConnection connection;

    @Activate
    void activate(Map<String, Object> properties) {
        configure(properties);
        LOG.info("Stratos agent ready {} ms after JVM start: {}",
                ManagementFactory.getRuntimeMXBean().getUptime(), settings);
        connect();
    }

    @Deactivate
    void deactivate() {
        if (connection != null) {
            connection.stop();
            connection = null;
        }
    }

    /** Without a join token the agent runs standalone (no controller), e.g. for tests and benchmarks. */
    private void connect() {
        AgentSettings current = settings;
        if (current.joinToken().isEmpty()) {
            LOG.info("No join token: not connecting to a controller");
            return;
        }
        connection = new AgentConnection(new ControllerClient(current.controllerUrl()), this::registration, supervisor);
        connection.start();
    }

    private AgentRegistration registration() {
        AgentSettings s = settings;
        return new AgentRegistration(s.joinToken(), s.vmId(), s.partition(), new Resources(s.cpuMillis(), s.memoryMiB()),
                s.runtimes(), List.of(), FrameworkUtil.getBundle(AgentComponent.class) == null ? "dev"
                        : FrameworkUtil.getBundle(AgentComponent.class).getVersion().toString());
    }

    @Modified
    void configure(Map<String, Object> properties) {
        ConfigValues values = ConfigValues.of(AgentSettings.PID, AgentSettings.merge(properties, System.getenv()));
        AgentSettings read = AgentSettings.from(values, hostName(), defaultDataDir());
        if (values.valid() || settings == null) {
            settings = read;
        }
        configProblems = values.describeProblems();
        if (!values.valid()) {
            LOG.error("Invalid agent configuration, using {}: {}", settings, configProblems);
        }
    }

    AgentSettings settings() {
        return settings;
    }

    @Override
    public ComponentStatus componentStatus() {
        String problems = configProblems;
        AgentConnection current = connection;
        String link = current == null ? "standalone" : current.state();
        if (problems.isEmpty() && current != null && !current.registered()) {
            return new ComponentStatus("agent", ComponentState.DEGRADED, link);
        }
        return problems.isEmpty()
                ? new ComponentStatus("agent", ComponentState.ACTIVE, link + "; " + settings)
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
