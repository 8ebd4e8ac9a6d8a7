package io.stratos.lxc.agent.internal;

import io.stratos.lxc.agent.exec.Exec;
import io.stratos.lxc.agent.internal.image.ImageCache;
import io.stratos.lxc.agent.net.HostBridge;
import io.stratos.lxc.agent.internal.lxc.LxcOptions;
import io.stratos.lxc.agent.internal.lxc.LxcRuntime;
import io.stratos.lxc.agent.net.Subnet;
import io.stratos.lxc.agent.net.Publishing;
import io.stratos.lxc.agent.runtime.CgroupReader;
import io.stratos.lxc.agent.runtime.ContainerInfo;
import io.stratos.lxc.agent.runtime.ContainerRuntime;
import io.stratos.lxc.agent.runtime.PortAllocator;
import io.stratos.lxc.agent.runtime.RuntimeAvailability;
import io.stratos.lxc.agent.runtime.RuntimeHost;
import io.stratos.lxc.api.StratosException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the agent builds from its settings: where it publishes, the port allocator, the image cache and the LXC runtime
 * when it was asked for. Other runtimes (Docker, of the optional feature stratos-agent-docker) come as OSGi services
 * ({@link #add}); only those named in the runtimes setting are used, in its order of preference. Re-adopts containers
 * of a previous run (their ports are reserved and published again), also of a runtime that arrives later.
 */
final class AgentRuntimes implements AutoCloseable, RuntimeHost {

    /** The feature that brings each optional runtime (installed from the agent distribution's own repository). */
    static final Map<String, String> FEATURES = Map.of("docker", "stratos-agent-docker");

    private static final Logger LOG = LoggerFactory.getLogger(AgentRuntimes.class);

    private final Publishing publishing;
    private final PortAllocator ports;
    private final ImageCache images;
    private final ImageCache artifacts;
    private final Map<String, ContainerRuntime> runtimes = new LinkedHashMap<>();
    private final List<String> offered;
    private final AgentSettings settings;
    private final CgroupReader cgroups;
    private final HostBridge bridge;
    /** Asked to install the feature of an offered runtime that is not there (at most once per runtime), by runtime name. */
    private volatile java.util.function.Consumer<String> installer = name -> { };
    private final java.util.Set<String> installRequested = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final Map<String, String> installFailures = new java.util.concurrent.ConcurrentHashMap<>();
    /** Set once the containers of a previous run were adopted: a runtime added later adopts its own at once. */
    private boolean adopting;
    /** The controller images and artifacts come from: the one the agent talks to now (several may share a database). */
    private volatile java.util.function.Supplier<String> controllerBase;
    private final ProcessLauncher launcher;

    AgentRuntimes(AgentSettings settings) {
        this.settings = settings;
        this.offered = List.copyOf(settings.runtimes());
        controllerBase = settings::firstControllerUrl;
        Path data = Path.of(settings.dataDir());
        Exec exec = new Exec();
        cgroups = CgroupReader.host();
        publishing = Publishing.of(settings.publishAddress(), settings.allowedSources(), settings.controllerUrl());
        publishing.check();
        LOG.info("Publishing processes on {}", publishing);
        // On the bridge a host port is also the container's address: never hand out one that maps to the subnet's
        // network, bridge or broadcast address (with a subnet smaller than a /16 some ports of the range do).
        // Docker containers are always on the bridge.
        Subnet subnet = Subnet.parse(settings.bridgeSubnet());
        bridge = new HostBridge(settings.bridge(), subnet, exec);
        boolean bridged = settings.network().equals("bridge") && settings.runtimes().contains("lxc") || settings.runtimes().contains("docker");
        ports = new PortAllocator(settings.portRangeStart(), settings.portRangeEnd(),
                port -> (!bridged || subnet.maps(port)) && PortAllocator.bindable(publishing.address(), port));
        images = new ImageCache(data.resolve("images"), data.resolve("downloads"), settings.imageCacheMiB() * 1024L * 1024L,
                ImageCache.defaultHttpClient(), exec);
        if (offered.contains("lxc")) {
            runtimes.put("lxc", new LxcRuntime(new LxcOptions(data.resolve("containers"),
                    LxcOptions.Network.valueOf(settings.network().toUpperCase(Locale.ROOT)), settings.bridge(),
                    subnet, settings.unprivileged()), exec, cgroups, publishing));
        }
        images.onEviction(image -> {
            for (ContainerRuntime runtime : runtimes().values()) {
                runtime.imageEvicted(image.digest());
            }
        });
        artifacts = new ImageCache(ImageCache.Kind.ARTIFACT, data.resolve("artifacts"), data.resolve("artifact-downloads"),
                settings.imageCacheMiB() * 1024L * 1024L, ImageCache.defaultHttpClient(), exec);
        launcher = new ProcessLauncher(ports, images, this::runtime, digest -> ImageCache.imageUrl(controllerBase.get(), digest))
                .withArtifacts(artifacts, digest -> ImageCache.artifactUrl(controllerBase.get(), digest));
    }

    ProcessLauncher launcher() {
        return launcher;
    }

    /**
     * The runtime of that name: INVALID_INPUT when this agent does not offer it, UNAVAILABLE when it is offered but not
     * installed on this VM (its feature is then installed) or cannot run here (with the reason).
     */
    ContainerRuntime runtime(String name) {
        ContainerRuntime runtime;
        synchronized (runtimes) {
            runtime = runtimes.get(name);
        }
        if (runtime == null) {
            if (!offered.contains(name)) {
                throw StratosException.invalid("runtime", "unknown runtime '" + name + "': this VM offers " + offered,
                        "use one of " + offered + " or add it to the agent's runtimes setting");
            }
            wanted(name);
            throw StratosException.unavailable(missing(name), null);
        }
        RuntimeAvailability availability = runtime.available();
        if (!availability.available()) {
            throw StratosException.unavailable("runtime " + name + " is unavailable on this VM: " + availability.reason(), null);
        }
        return runtime;
    }

    /** Why an offered runtime is not there and how it comes. */
    String missing(String name) {
        String feature = FEATURES.get(name);
        if (feature == null) {
            return "the " + name + " runtime is not installed on this VM";
        }
        String failed = installFailures.get(name);
        return "the " + name + " runtime is not installed on this VM: it comes with the agent feature " + feature
                + ", which the agent installs from its own repository when a " + name + " process is wanted"
                + (failed != null ? "; installing it failed: " + failed + " (see the agent's log; it is tried again when the agent restarts)"
                        : installRequested.contains(name) ? " (installing)" : "");
    }

    /** A process of this runtime is wanted: when the runtime is offered but not installed, its feature is installed (once). */
    void wanted(String name) {
        boolean present;
        synchronized (runtimes) {
            present = runtimes.containsKey(name);
        }
        if (!present && offered.contains(name) && FEATURES.containsKey(name) && installRequested.add(name)) {
            installer.accept(name);
        }
    }

    /** Installing the runtime's feature failed: its processes say why. */
    void installFailed(String name, String reason) {
        installFailures.put(name, reason);
    }

    /** The runtimes this VM offers (the runtimes setting), in order of preference, installed or not. */
    List<String> offered() {
        return offered;
    }

    /** Who installs a missing runtime's feature (the agent: Karaf's FeaturesService), given the runtime's name. */
    void installWith(java.util.function.Consumer<String> installer) {
        this.installer = installer;
    }

    /**
     * A runtime service arrived. Used when the runtimes setting offers it (false otherwise); once the agent has adopted
     * the containers of a previous run, it adopts this runtime's at once.
     */
    boolean add(ContainerRuntime runtime) {
        if (!offered.contains(runtime.name())) {
            LOG.info("Runtime {} is installed but not offered (runtimes = {}): not used", runtime.name(), offered);
            return false;
        }
        boolean adoptNow;
        synchronized (runtimes) {
            if (runtimes.get(runtime.name()) == runtime) {
                return true;
            }
            runtimes.put(runtime.name(), runtime);
            adoptNow = adopting;
        }
        installFailures.remove(runtime.name());
        LOG.info("Runtime {} added", runtime.name());
        if (adoptNow) {
            List<ContainerInfo> adopted = adopt(runtime);
            LOG.info("Runtime {}: re-adopted {} container(s)", runtime.name(), adopted.size());
        }
        return true;
    }

    /** A runtime service went away (its feature was uninstalled): its processes are reported as missing it. */
    void remove(ContainerRuntime runtime) {
        synchronized (runtimes) {
            runtimes.remove(runtime.name(), runtime);
        }
    }

    /** Where processes are published and to whom. */
    @Override
    public Publishing publishing() {
        return publishing;
    }

    PortAllocator ports() {
        return ports;
    }

    /** Application artifacts, unpacked once per VM and shared read-only by the processes that run them. */
    ImageCache artifacts() {
        return artifacts;
    }

    ImageCache images() {
        return images;
    }

    /** The runtimes present, in the order of the runtimes setting. */
    Map<String, ContainerRuntime> runtimes() {
        Map<String, ContainerRuntime> ordered = new LinkedHashMap<>();
        synchronized (runtimes) {
            for (String name : offered) {
                ContainerRuntime runtime = runtimes.get(name);
                if (runtime != null) {
                    ordered.put(name, runtime);
                }
            }
        }
        return ordered;
    }

    /** Finds the containers a previous run left running, re-publishes them and holds their ports and images. */
    List<ContainerInfo> adopt() {
        Map<String, ContainerRuntime> present;
        synchronized (runtimes) {
            adopting = true;
            present = runtimes();
        }
        List<ContainerInfo> adopted = new ArrayList<>();
        for (ContainerRuntime runtime : present.values()) {
            adopted.addAll(adopt(runtime));
        }
        return adopted;
    }

    private List<ContainerInfo> adopt(ContainerRuntime runtime) {
        List<ContainerInfo> adopted = new ArrayList<>();
        if (!runtime.available().available()) {
            return adopted;
        }
        try {
            for (ContainerInfo info : runtime.adopt()) {
                if (info.hostPort() > 0 && !ports.reserve(info.hostPort(), info.processId())) {
                    LOG.warn("Container {} holds port {} which another process has", info.name(), info.hostPort());
                }
                launcher.adopted(info);
                adopted.add(info);
            }
        } catch (RuntimeException e) {
            LOG.warn("Cannot list {} containers to re-adopt them: {}", runtime.name(), e.getMessage());
        }
        return adopted;
    }

    /** One line per runtime: name, available or why not. */
    String describe() {
        List<String> parts = new ArrayList<>();
        Map<String, ContainerRuntime> present = runtimes();
        for (String name : offered) {
            ContainerRuntime runtime = present.get(name);
            if (runtime == null) {
                parts.add(name + " not installed (feature " + FEATURES.getOrDefault(name, "?") + ")");
                continue;
            }
            RuntimeAvailability a = runtime.available();
            parts.add(runtime.name() + (a.available() ? " available" : " unavailable") + " (" + a.reason() + ")");
        }
        return String.join("; ", parts);
    }

    @Override
    public void close() {
        // the runtimes of other bundles are theirs to close
        ContainerRuntime lxc;
        synchronized (runtimes) {
            lxc = runtimes.get("lxc");
        }
        if (lxc instanceof LxcRuntime own) {
            own.close();
        }
    }

    @Override
    public String vmId() {
        return settings.vmId();
    }

    @Override
    public String dockerHost() {
        return settings.dockerHost();
    }

    @Override
    public CgroupReader cgroups() {
        return cgroups;
    }

    @Override
    public HostBridge bridge() {
        return bridge;
    }

    /** Images and artifacts are fetched from the controller this names at each fetch (the agent's current one). */
    void controllerAt(java.util.function.Supplier<String> base) {
        this.controllerBase = base;
    }
}
