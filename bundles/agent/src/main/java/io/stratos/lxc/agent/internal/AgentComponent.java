package io.stratos.lxc.agent.internal;

import io.stratos.lxc.agent.protocol.AgentConnection;
import io.stratos.lxc.agent.protocol.ControllerClient;
import io.stratos.lxc.agent.runtime.ContainerInfo;
import io.stratos.lxc.agent.runtime.ContainerRuntime;
import io.stratos.lxc.agent.runtime.RuntimeHost;
import io.stratos.lxc.agent.status.AgentImage;
import io.stratos.lxc.agent.status.AgentProcess;
import io.stratos.lxc.agent.status.AgentStatus;
import io.stratos.lxc.agent.status.AgentSummary;
import io.stratos.lxc.agent.status.LogTail;
import io.stratos.lxc.api.agent.AgentRegistration;
import io.stratos.lxc.config.ConfigValues;
import io.stratos.lxc.api.controller.Resources;
import io.stratos.lxc.api.status.ComponentState;
import io.stratos.lxc.api.status.ComponentStatus;
import io.stratos.lxc.api.status.StatusContributor;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.EnumSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.karaf.features.FeaturesService;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agent of one partition VM: builds the runtimes, image cache and port allocator from its settings,
 * re-adopts the containers a previous run left running, then connects to the controller (when it has a
 * join token) and lets the {@link Reconciler} make the containers match the desired state.
 */
@Component(immediate = true, configurationPid = AgentSettings.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        service = {StatusContributor.class, AgentComponent.class, AgentStatus.class})
@Designate(ocd = AgentConfig.class)
public class AgentComponent implements StatusContributor, AgentStatus {

    private static final Logger LOG = LoggerFactory.getLogger(AgentComponent.class);

    private volatile AgentSettings settings;
    private volatile String configProblems = "";
    private volatile AgentRuntimes runtimes;
    private volatile Reconciler reconciler;
    private volatile AgentConnection connection;
    private volatile AgentIdentity identity;
    private final List<ServiceRegistration<?>> registrations = new ArrayList<>();
    /** Runtime services (the whiteboard): the agent's own LXC runtime and those of optional bundles (Docker). */
    private final List<ContainerRuntime> runtimeServices = new CopyOnWriteArrayList<>();
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile FeaturesService features;
    private volatile String version = "dev";
    private final AgentStatusView view = new AgentStatusView(() -> settings, () -> runtimes, () -> reconciler,
            this::connectionState);

    @Activate
    void activate(BundleContext context, Map<String, Object> properties) {
        configure(properties);
        version = context.getBundle().getVersion().toString();
        view.version(version);
        AgentRuntimes built = new AgentRuntimes(settings);
        built.installWith(this::install);
        for (ContainerRuntime runtime : runtimeServices) {
            built.add(runtime);
        }
        runtimes = built;
        // a runtime bound between the loop and here is added by bindRuntime, which sees runtimes set
        for (ContainerRuntime runtime : runtimeServices) {
            built.add(runtime);
        }
        for (ContainerRuntime runtime : built.runtimes().values()) {
            Dictionary<String, Object> props = new Hashtable<>();
            props.put("stratos.runtime", runtime.name());
            registrations.add(context.registerService(ContainerRuntime.class, runtime, props));
        }
        registrations.add(context.registerService(RuntimeHost.class, built, null));
        LOG.info("Stratos agent ready {} ms after JVM start: {}", ManagementFactory.getRuntimeMXBean().getUptime(), settings);
        // Adopt first, then connect: the first desired state must not start duplicates of adopted containers.
        Thread start = new Thread(() -> {
            List<ContainerInfo> adopted = built.adopt();
            LOG.info("Runtimes: {}; re-adopted {} container(s)", built.describe(), adopted.size());
            reconciler = new Reconciler(built, System::currentTimeMillis);
            connect();
        }, "stratos-agent-start");
        start.setDaemon(true);
        start.start();
    }

    /** Without a join token or a kept secret the agent runs standalone (no controller), e.g. for tests and benchmarks. */
    private void connect() {
        AgentSettings current = settings;
        identity = new AgentIdentity(Path.of(current.dataDir()), () -> settings.joinToken());
        if (!identity.any()) {
            LOG.info("No join token and no kept secret: not connecting to a controller");
            return;
        }
        AgentRuntimes built = runtimes;
        ControllerClient client = new ControllerClient(current.controllerUrl());
        built.controllerAt(client::controllerUrl);
        AgentConnection created = new AgentConnection(client, this::registration, reconciler,
                credentials -> {
                    identity.keep(credentials.secret());
                    built.publishing().controllerAllows(credentials.allowedSources());
                });
        reconciler.onChange(created::reportQuietly);
        runtimes.images().authorizeWith(created::authorization);
        runtimes.artifacts().authorizeWith(created::authorization);
        connection = created;
        created.start();
    }

    private AgentRegistration registration() {
        AgentSettings s = settings;
        AgentRuntimes built = runtimes;
        List<String> images = built == null ? List.of() : built.images().list().stream().map(i -> i.digest()).toList();
        AgentIdentity id = identity;
        String address = built == null ? null : built.publishing().addressText();
        return new AgentRegistration(id.joinToken(), s.vmId(), s.partition(), new Resources(s.cpuMillis(), s.memoryMiB()),
                s.runtimes(), images, version, id.secret(), address);
    }

    @Deactivate
    void deactivate() {
        AgentConnection current = connection;
        connection = null;
        if (current != null) {
            current.stop();
        }
        Reconciler r = reconciler;
        reconciler = null;
        if (r != null) {
            r.close();
        }
        for (ServiceRegistration<?> registration : registrations) {
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

    /** The runtime whiteboard: every ContainerRuntime service, the agent's own LXC one included (added once). */
    @Reference(service = ContainerRuntime.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            unbind = "unbindRuntime")
    void bindRuntime(ContainerRuntime runtime) {
        runtimeServices.add(runtime);
        AgentRuntimes built = runtimes;
        if (built != null) {
            built.add(runtime);
        }
    }

    void unbindRuntime(ContainerRuntime runtime) {
        runtimeServices.remove(runtime);
        AgentRuntimes built = runtimes;
        if (built != null) {
            built.remove(runtime);
        }
    }

    /**
     * Installs an offered runtime's feature from the agent distribution's own (offline) repository, off the caller's
     * thread. No bundle refresh: the agent bundle keeps running and finds the runtime as a service.
     */
    private void install(String runtime) {
        String feature = AgentRuntimes.FEATURES.get(runtime);
        Thread installer = new Thread(() -> {
            FeaturesService service = features;
            AgentRuntimes built = runtimes;
            try {
                if (service == null) {
                    throw new IllegalStateException("no Karaf features service");
                }
                LOG.info("Installing feature {}: a {} process is wanted", feature, runtime);
                service.installFeature(feature, EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles));
            } catch (Exception e) {
                LOG.warn("Cannot install feature {}: {}", feature, e.toString());
                if (built != null) {
                    built.installFailed(runtime, e.getMessage() == null ? e.toString() : e.getMessage());
                }
            }
        }, "stratos-agent-install-" + feature);
        installer.setDaemon(true);
        installer.start();
    }

    @Modified
    void configure(Map<String, Object> properties) {
        ConfigValues values = ConfigValues.of(AgentSettings.PID, AgentSettings.merge(properties, System.getenv()));
        AgentSettings read = AgentSettings.from(values, hostName(), defaultDataDir());
        if (values.valid() || settings == null) {
            if (settings != null && runtimes != null && !sameRuntimeSettings(settings, read)) {
                LOG.warn("Runtime settings (ports, network, dataDir, runtimes, image cache, publishAddress, allowedSources) apply "
                        + "when the agent restarts");
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
                && a.imageCacheMiB() == b.imageCacheMiB() && a.dockerHost().equals(b.dockerHost())
                && a.publishAddress().equals(b.publishAddress()) && a.allowedSources().equals(b.allowedSources());
    }

    /** The port allocator, image cache and runtimes; null while inactive. */
    AgentRuntimes runtimes() {
        return runtimes;
    }

    AgentSettings settings() {
        return settings;
    }

    Reconciler reconciler() {
        return reconciler;
    }

    private String connectionState() {
        AgentConnection current = connection;
        return current == null ? "standalone" : current.state();
    }

    @Override
    public AgentSummary summary() {
        return view.summary();
    }

    @Override
    public List<AgentProcess> processes() {
        return view.processes();
    }

    @Override
    public List<AgentImage> images() {
        return view.images();
    }

    @Override
    public LogTail logTail(String processId, int lines) {
        return view.logTail(processId, lines);
    }

    @Override
    public ComponentStatus componentStatus() {
        String problems = configProblems;
        if (!problems.isEmpty()) {
            return new ComponentStatus("agent", ComponentState.UNCONFIGURED, problems);
        }
        AgentRuntimes built = runtimes;
        AgentConnection current = connection;
        String unpublishable = built == null ? null : built.publishing().problem();
        if (unpublishable != null) {
            return new ComponentStatus("agent", ComponentState.DEGRADED, unpublishable);
        }
        String detail = (current == null ? "standalone" : current.state()) + "; " + settings
                + (built == null ? "" : "; publishing on " + built.publishing() + "; " + built.describe());
        boolean degraded = current != null && !current.registered();
        return new ComponentStatus("agent", degraded ? ComponentState.DEGRADED : ComponentState.ACTIVE, detail);
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
