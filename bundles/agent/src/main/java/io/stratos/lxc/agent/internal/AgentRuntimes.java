package io.stratos.lxc.agent.internal;

import io.stratos.lxc.agent.internal.docker.DockerRuntime;
import io.stratos.lxc.agent.internal.exec.Exec;
import io.stratos.lxc.agent.internal.image.ImageCache;
import io.stratos.lxc.agent.internal.lxc.HostBridge;
import io.stratos.lxc.agent.internal.lxc.LxcOptions;
import io.stratos.lxc.agent.internal.lxc.LxcRuntime;
import io.stratos.lxc.agent.internal.lxc.Subnet;
import io.stratos.lxc.agent.internal.net.Publishing;
import io.stratos.lxc.agent.runtime.CgroupReader;
import io.stratos.lxc.agent.runtime.ContainerInfo;
import io.stratos.lxc.agent.runtime.ContainerRuntime;
import io.stratos.lxc.agent.runtime.PortAllocator;
import io.stratos.lxc.agent.runtime.RuntimeAvailability;
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
 * What the agent builds from its settings: where it publishes, the port allocator, the image cache and the runtimes it
 * was asked for, in order of preference. Re-adopts containers of a previous run (their ports are reserved and
 * published again).
 */
final class AgentRuntimes implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(AgentRuntimes.class);

    private final Publishing publishing;
    private final PortAllocator ports;
    private final ImageCache images;
    private final ImageCache artifacts;
    private final Map<String, ContainerRuntime> runtimes = new LinkedHashMap<>();
    /** The controller images and artifacts come from: the one the agent talks to now (several may share a database). */
    private volatile java.util.function.Supplier<String> controllerBase;
    private final ProcessLauncher launcher;

    AgentRuntimes(AgentSettings settings) {
        controllerBase = settings::firstControllerUrl;
        Path data = Path.of(settings.dataDir());
        Exec exec = new Exec();
        CgroupReader cgroups = CgroupReader.host();
        publishing = Publishing.of(settings.publishAddress(), settings.allowedSources(), settings.controllerUrl());
        publishing.check();
        LOG.info("Publishing processes on {}", publishing);
        // On the bridge a host port is also the container's address: never hand out one that maps to the subnet's
        // network, bridge or broadcast address (with a subnet smaller than a /16 some ports of the range do).
        // Docker containers are always on the bridge.
        Subnet subnet = Subnet.parse(settings.bridgeSubnet());
        HostBridge bridge = new HostBridge(settings.bridge(), subnet, exec);
        boolean bridged = settings.network().equals("bridge") && settings.runtimes().contains("lxc") || settings.runtimes().contains("docker");
        ports = new PortAllocator(settings.portRangeStart(), settings.portRangeEnd(),
                port -> (!bridged || subnet.maps(port)) && PortAllocator.bindable(publishing.address(), port));
        images = new ImageCache(data.resolve("images"), data.resolve("downloads"), settings.imageCacheMiB() * 1024L * 1024L,
                ImageCache.defaultHttpClient(), exec);
        for (String name : settings.runtimes()) {
            if (name.equals("lxc")) {
                runtimes.put(name, new LxcRuntime(new LxcOptions(data.resolve("containers"),
                        LxcOptions.Network.valueOf(settings.network().toUpperCase(Locale.ROOT)), settings.bridge(),
                        subnet, settings.unprivileged()), exec, cgroups, publishing));
            } else if (name.equals("docker")) {
                DockerRuntime docker = new DockerRuntime(settings.dockerHost(), settings.vmId(), cgroups, DockerRuntime.PROBE_TIMEOUT,
                        bridge, publishing);
                runtimes.put(name, docker);
                images.onEviction(image -> {
                    if (docker.available().available()) {
                        docker.removeImages(image.digest());
                    }
                });
            }
        }
        artifacts = new ImageCache(ImageCache.Kind.ARTIFACT, data.resolve("artifacts"), data.resolve("artifact-downloads"),
                settings.imageCacheMiB() * 1024L * 1024L, ImageCache.defaultHttpClient(), exec);
        launcher = new ProcessLauncher(ports, images, this::runtime, digest -> ImageCache.imageUrl(controllerBase.get(), digest))
                .withArtifacts(artifacts, digest -> ImageCache.artifactUrl(controllerBase.get(), digest));
    }

    ProcessLauncher launcher() {
        return launcher;
    }

    /**
     * The runtime of that name: INVALID_INPUT when this agent does not know or offer it, UNAVAILABLE when it is
     * offered but cannot run here (with the reason).
     */
    ContainerRuntime runtime(String name) {
        ContainerRuntime runtime = runtimes.get(name);
        if (runtime == null) {
            throw StratosException.invalid("runtime", "unknown runtime '" + name + "': this VM offers " + runtimes.keySet(),
                    "use one of " + runtimes.keySet() + " or add it to the agent's runtimes setting");
        }
        RuntimeAvailability availability = runtime.available();
        if (!availability.available()) {
            throw StratosException.unavailable("runtime " + name + " is unavailable on this VM: " + availability.reason(), null);
        }
        return runtime;
    }

    /** Where processes are published and to whom. */
    Publishing publishing() {
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

    Map<String, ContainerRuntime> runtimes() {
        return runtimes;
    }

    /** Finds the containers a previous run left running, re-publishes them and holds their ports and images. */
    List<ContainerInfo> adopt() {
        List<ContainerInfo> adopted = new ArrayList<>();
        for (ContainerRuntime runtime : runtimes.values()) {
            if (!runtime.available().available()) {
                continue;
            }
            try {
                List<ContainerInfo> found = runtime instanceof LxcRuntime lxc ? lxc.adopt()
                        : runtime instanceof DockerRuntime docker ? docker.adopt() : runtime.list();
                for (ContainerInfo info : found) {
                    if (info.hostPort() > 0 && !ports.reserve(info.hostPort(), info.processId())) {
                        LOG.warn("Container {} holds port {} which another process has", info.name(), info.hostPort());
                    }
                    launcher.adopted(info);
                    adopted.add(info);
                }
            } catch (RuntimeException e) {
                LOG.warn("Cannot list {} containers to re-adopt them: {}", runtime.name(), e.getMessage());
            }
        }
        return adopted;
    }

    /** One line per runtime: name, available or why not. */
    String describe() {
        List<String> parts = new ArrayList<>();
        for (ContainerRuntime runtime : runtimes.values()) {
            RuntimeAvailability a = runtime.available();
            parts.add(runtime.name() + (a.available() ? " available" : " unavailable") + " (" + a.reason() + ")");
        }
        return String.join("; ", parts);
    }

    @Override
    public void close() {
        for (ContainerRuntime runtime : runtimes.values()) {
            if (runtime instanceof LxcRuntime lxc) {
                lxc.close();
            } else if (runtime instanceof DockerRuntime docker) {
                docker.close();
            }
        }
    }

    /** Images and artifacts are fetched from the controller this names at each fetch (the agent's current one). */
    void controllerAt(java.util.function.Supplier<String> base) {
        this.controllerBase = base;
    }
}
