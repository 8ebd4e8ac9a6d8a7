package io.stratos.lxc.agent.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.ExposedPort;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.transport.DockerHttpClient;
import com.github.dockerjava.zerodep.ZerodepDockerHttpClient;
import io.stratos.lxc.agent.exec.Exec;
import io.stratos.lxc.agent.exec.Tail;
import io.stratos.lxc.agent.net.HostBridge;
import io.stratos.lxc.agent.net.Subnet;
import io.stratos.lxc.agent.net.Publishing;
import io.stratos.lxc.agent.net.PublishedPorts;
import io.stratos.lxc.agent.net.TcpProxy;
import io.stratos.lxc.agent.runtime.CgroupReader;
import io.stratos.lxc.agent.runtime.ContainerInfo;
import io.stratos.lxc.agent.runtime.ContainerNames;
import io.stratos.lxc.agent.runtime.ContainerRuntime;
import io.stratos.lxc.agent.runtime.ContainerSpec;
import io.stratos.lxc.agent.runtime.ContainerState;
import io.stratos.lxc.agent.runtime.ContainerStats;
import io.stratos.lxc.agent.runtime.RuntimeAvailability;
import io.stratos.lxc.agent.runtime.RuntimeHost;
import io.stratos.lxc.agent.status.LogTail;
import io.stratos.lxc.api.StratosException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs cartridge processes as Docker containers through docker-java against the local dockerd socket. The
 * image is imported once from the cached image's {@code rootfs/} (the {@code docker import} equivalent) and
 * tagged {@code stratos/<name>:<digest12>}; containers carry labels with the owner agent and the process id,
 * run with Docker's init (so a stop is fast) and the manifest's memory, CPU and PIDs limits. Statistics come from the
 * cgroup files (the one-shot stats API takes ~1 s).
 *
 * <p>Networking is the agent's, not Docker's: a container is created with network "none", put on the agent's container
 * bridge by {@link ContainerLink}, and published on the VM's publish address through the agent's {@link TcpProxy} with
 * its source filter, like an LXC container. Docker's own port publishing would bind in dockerd's network namespace,
 * which is not the VM's when the agent runs in a namespace of its own (a local VM).
 */
public final class DockerRuntime implements ContainerRuntime {

    public static final String LABEL_PROCESS = "io.stratos.lxc.process";
    public static final String LABEL_OWNER = "io.stratos.lxc.owner";
    public static final String LABEL_DIGEST = "io.stratos.lxc.image";
    /** The port the process listens on inside; present on containers the agent put on its bridge. */
    public static final String LABEL_CONTAINER_PORT = "io.stratos.lxc.containerPort";
    private static final String LABEL_HOST_PORT = "io.stratos.lxc.hostPort";
    private static final Logger LOG = LoggerFactory.getLogger(DockerRuntime.class);

    private final String dockerHost;
    private final String owner;
    private final CgroupReader cgroups;
    private final ContainerLink link;
    private final Publishing publishing;
    private final PublishedPorts ports;
    private final DockerImages images = new DockerImages(this::client, () -> {
        client(); // builds the transport too
        return this.http;
    });
    /** Whether the kernel logged an OOM kill for an exited container (it will not change, so asked once each). */
    private final Map<String, Boolean> oomKills = new ConcurrentHashMap<>();
    private volatile DockerClient client;
    private volatile DockerHttpClient http;

    /** How long the availability probe waits for dockerd's answer. */
    public static final Duration PROBE_TIMEOUT = Duration.ofSeconds(5);
    /** Probes run here, so that the agent's pass can stop waiting for one. */
    private static final ExecutorService PROBES = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "stratos-docker-probe");
        t.setDaemon(true);
        return t;
    });
    private final Duration probeTimeout;
    /** The probe dockerd has not answered yet, if any: a hung dockerd gets one waiting probe, not one per pass. */
    private CompletableFuture<String> probe;

    /**
     * @param dockerHost e.g. {@code unix:///var/run/docker.sock}
     * @param owner      this agent's identity (its VM id): only containers labelled with it are listed
     */
    public DockerRuntime(String dockerHost, String owner, CgroupReader cgroups) {
        this(dockerHost, owner, cgroups, PROBE_TIMEOUT);
    }

    /** On the agent's default bridge, publishing on 127.0.0.1 (tests). */
    public DockerRuntime(String dockerHost, String owner, CgroupReader cgroups, Duration probeTimeout) {
        this(dockerHost, owner, cgroups, probeTimeout, new HostBridge("stratosbr0", Subnet.parse("10.213.0.0/16"), new Exec()),
                Publishing.loopback());
    }

    /**
     * @param bridge     the agent's container bridge, shared with the LXC runtime
     * @param publishing where the containers' ports are published, and to which sources
     */
    public DockerRuntime(String dockerHost, String owner, CgroupReader cgroups, Duration probeTimeout, HostBridge bridge,
                         Publishing publishing) {
        this.dockerHost = dockerHost;
        this.owner = owner;
        this.cgroups = cgroups;
        this.probeTimeout = probeTimeout;
        this.link = new ContainerLink(bridge, new Exec());
        this.publishing = publishing;
        this.ports = new PublishedPorts(publishing, "stratos-docker-proxy");
    }

    /** The Docker runtime of this agent: its dockerHost, its VM id as the owner label, its bridge and publishing. */
    public static DockerRuntime on(RuntimeHost host) {
        return new DockerRuntime(host.dockerHost(), host.vmId(), host.cgroups(), PROBE_TIMEOUT, host.bridge(), host.publishing());
    }

    @Override
    public void imageEvicted(String imageDigest) {
        if (available().available()) {
            removeImages(imageDigest);
        }
    }

    @Override
    public String name() {
        return "docker";
    }

    @Override
    public RuntimeAvailability available() {
        String missing = ContainerLink.missing();
        if (missing != null) {
            return RuntimeAvailability.no(missing);
        }
        if (dockerHost.startsWith("unix://")) {
            Path socket = Path.of(URI.create(dockerHost).getPath());
            if (!Files.exists(socket)) {
                return RuntimeAvailability.no("no Docker socket at " + socket + ": is dockerd running?");
            }
        }
        // Asked at the start of every pass of the agent, which also serves its LXC processes: a dockerd that is alive
        // but hung must make Docker unavailable for the pass, not stall it. The client's response timeout does not
        // help there: over the unix socket a read waits for as long as dockerd does.
        CompletableFuture<String> asked;
        synchronized (this) {
            if (probe == null || probe.isDone()) {
                probe = CompletableFuture.supplyAsync(() -> client().versionCmd().exec().getApiVersion(), PROBES);
            }
            asked = probe;
        }
        try {
            String version = asked.get(probeTimeout.toMillis(), TimeUnit.MILLISECONDS);
            return RuntimeAvailability.yes("dockerd at " + dockerHost + ", API " + version);
        } catch (TimeoutException e) {
            return RuntimeAvailability.no("dockerd at " + dockerHost + " does not answer within " + probeTimeout.toSeconds()
                    + " s (hung?)");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            return RuntimeAvailability.no("dockerd at " + dockerHost + " does not answer: " + cause.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return RuntimeAvailability.no("interrupted while asking dockerd at " + dockerHost);
        }
    }

    private DockerClient client() {
        DockerClient c = client;
        if (c == null) {
            synchronized (this) {
                if (client == null) {
                    DockerClientConfig config = DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(dockerHost).build();
                    http = new ZerodepDockerHttpClient.Builder().dockerHost(config.getDockerHost())
                            .sslConfig(config.getSSLConfig()).maxConnections(32)
                            .connectionTimeout(Duration.ofSeconds(5)).responseTimeout(Duration.ofMinutes(5)).build();
                    client = DockerClientImpl.getInstance(config, http);
                }
                c = client;
            }
        }
        return c;
    }

    /** Imports the image from its unpacked rootfs once ({@code stratos/<name>:<digest12>}); later calls find the tag. */
    public String ensureImage(ContainerSpec spec) {
        return images.ensure(spec);
    }

    @Override
    public ContainerInfo start(ContainerSpec spec) {
        String name = spec.containerName();
        String ref = ensureImage(spec);
        Optional<InspectContainerResponse> existing = find(spec.processId());
        if (existing.isPresent()) {
            if (Boolean.TRUE.equals(existing.get().getState().getRunning())) {
                throw StratosException.conflict("processId", "container " + name + " already runs", "stop or remove it first");
            }
            client().removeContainerCmd(existing.get().getId()).withForce(true).exec();
        }
        ExposedPort exposed = ExposedPort.tcp(spec.containerPort());
        // "none": the agent links it to its own bridge once it runs (ContainerLink), and publishes it itself
        HostConfig host = HostConfig.newHostConfig().withNetworkMode("none").withInit(true);
        if (spec.memoryMiB() > 0) {
            host.withMemory(spec.memoryBytes()).withMemorySwap(spec.memoryBytes());
        }
        if (spec.cpuMillis() > 0) {
            host.withNanoCPUs(spec.cpuMillis() * 1_000_000L);
        }
        if (spec.pidsMax() > 0) {
            host.withPidsLimit((long) spec.pidsMax());
        }
        List<String> env = new ArrayList<>();
        spec.envWithPort(spec.containerPort()).forEach((k, v) -> env.add(k + "=" + v));
        String id;
        try {
            CreateContainerResponse created = client().createContainerCmd(ref).withName(name).withCmd(spec.argv()).withEnv(env)
                    .withExposedPorts(exposed).withHostConfig(host)
                    .withLabels(Map.of(LABEL_PROCESS, spec.processId(), LABEL_OWNER, owner, LABEL_DIGEST, spec.imageDigest(),
                            LABEL_HOST_PORT, String.valueOf(spec.hostPort()), LABEL_CONTAINER_PORT, String.valueOf(spec.containerPort())))
                    .exec();
            id = created.getId();
        } catch (ConflictException e) {
            throw StratosException.conflict("processId", "container " + name + " exists: " + e.getMessage(), "remove it first");
        } catch (DockerException e) {
            throw StratosException.unavailable("docker create of " + name + " failed: " + e.getMessage(), null);
        }
        if (spec.application() != null) {
            try {
                // into the container's own writable layer, before it starts: processes share the image, not the code
                client().copyArchiveToContainerCmd(id).withHostResource(spec.application().tree().toString())
                        .withDirChildrenOnly(true).withRemotePath(spec.application().appDir()).exec();
            } catch (DockerException | IllegalArgumentException e) {
                try {
                    client().removeContainerCmd(id).withForce(true).exec();
                } catch (DockerException ignored) {
                    // best effort
                }
                throw StratosException.unavailable("cannot place application " + spec.application().digest() + " into "
                        + spec.application().appDir() + " of " + name + ": " + e.getMessage(), "the image must have that directory");
            }
        }
        try {
            client().startContainerCmd(id).exec();
        } catch (DockerException e) {
            try {
                client().removeContainerCmd(id).withForce(true).exec();
            } catch (DockerException ignored) {
                // best effort
            }
            String message = e.getMessage() == null ? "" : e.getMessage();
            throw StratosException.unavailable("docker start of " + name + " failed: " + message.trim(), null);
        }
        String address;
        try {
            address = publish(name, id, spec.processId(), spec.hostPort(), spec.containerPort());
        } catch (RuntimeException e) {
            Optional<ContainerInfo> now = endedSoon(spec.processId());
            if (now.isPresent() && !now.get().running()) {
                // it ended before it could be linked (crashed, OOM-killed): what it left says why, as for any exit
                ports.close(spec.processId());
                LOG.info("Docker container {} ended right after its start: {}", name, now.get().detail());
                return now.get();
            }
            try {
                client().removeContainerCmd(id).withForce(true).exec();
            } catch (DockerException ignored) {
                // best effort
            }
            throw e;
        }
        LOG.info("Started Docker container {} ({}) at {}, published on {}", name, ref, address + ":" + spec.containerPort(),
                publishing.endpoint(spec.hostPort()));
        return inspect(spec.processId()).orElseThrow(() ->
                StratosException.unavailable("container " + name + " vanished right after its start", null));
    }

    /**
     * What the container is once dockerd has caught up: a process that dies at once (an OOM kill, a bad command) is gone
     * from /proc a moment before dockerd reports it stopped, so a failed link waits briefly for that report.
     */
    private Optional<ContainerInfo> endedSoon(String processId) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        Optional<ContainerInfo> now = inspect(processId);
        while (now.isPresent() && now.get().running() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            now = inspect(processId);
        }
        return now;
    }

    @Override
    public void stop(String processId) {
        ports.close(processId);
        find(processId).ifPresent(c -> {
            if (Boolean.TRUE.equals(c.getState().getRunning())) {
                try {
                    client().stopContainerCmd(c.getId()).withTimeout(2).exec();
                } catch (NotModifiedException | NotFoundException e) {
                    // already stopped or gone
                }
            }
        });
    }

    @Override
    public void remove(String processId) {
        ports.close(processId);
        find(processId).ifPresent(c -> {
            try {
                client().removeContainerCmd(c.getId()).withForce(true).exec();
            } catch (NotFoundException e) {
                // gone already
            }
        });
    }

    @Override
    public List<ContainerInfo> list() {
        List<ContainerInfo> all = new ArrayList<>();
        List<Container> containers = client().listContainersCmd().withShowAll(true)
                .withLabelFilter(Map.of(LABEL_OWNER, owner)).exec();
        for (Container container : containers) {
            String processId = container.getLabels() == null ? null : container.getLabels().get(LABEL_PROCESS);
            if (processId != null && ContainerNames.validProcessId(processId)) {
                inspect(processId).ifPresent(all::add);
            }
        }
        return all;
    }

    @Override
    public Optional<ContainerInfo> inspect(String processId) {
        return find(processId).map(c -> {
            InspectContainerResponse.ContainerState s = c.getState();
            boolean running = Boolean.TRUE.equals(s.getRunning());
            String status = s.getStatus() == null ? "" : s.getStatus();
            ContainerState state = running ? ContainerState.RUNNING
                    : "created".equals(status) ? ContainerState.CREATED
                    : "exited".equals(status) || "dead".equals(status) ? ContainerState.STOPPED : ContainerState.UNKNOWN;
            Integer exit = state == ContainerState.STOPPED && s.getExitCodeLong() != null ? s.getExitCodeLong().intValue() : null;
            boolean oom = Boolean.TRUE.equals(s.getOOMKilled())
                    || (exit != null && exit == 137 && c.getId() != null && oomKilledByKernel(c.getId()));
            Map<String, String> labels = c.getConfig() == null || c.getConfig().getLabels() == null ? Map.of() : c.getConfig().getLabels();
            int hostPort = parseInt(labels.get(LABEL_HOST_PORT));
            int containerPort = parseInt(labels.get(LABEL_CONTAINER_PORT));
            String detail = "image " + labels.getOrDefault(LABEL_DIGEST, "?") + (oom ? "; OOM-killed: exceeded its memory limit" : "")
                    + (exit != null && !oom ? "; exited with " + exit : "")
                    + (s.getError() != null && !s.getError().isEmpty() ? "; " + s.getError() : "");
            return new ContainerInfo(processId, ContainerNames.containerName(processId), name(), state, exit, oom, hostPort,
                    containerPort > 0 && link.subnet().maps(hostPort) ? link.addressFor(hostPort) + ":" + containerPort
                            : "127.0.0.1:" + hostPort, labels.getOrDefault(LABEL_DIGEST, ""), detail);
        });
    }

    /**
     * Docker sets {@code OOMKilled} from an event that it sometimes misses on cgroup v2 (the container is then just
     * "exited 137", like a SIGKILL); the kernel log names the container's cgroup in its oom-kill line either way.
     */
    private boolean oomKilledByKernel(String containerId) {
        if (oomKills.size() > 10_000) {
            oomKills.clear();
        }
        return oomKills.computeIfAbsent(containerId, DockerRuntime::kernelLoggedOomKill);
    }

    static boolean kernelLoggedOomKill(String containerId) {
        Exec.Result dmesg = new Exec().run(5000, "dmesg");
        return dmesg.ok() && dmesg.output().lines().anyMatch(line -> line.contains("oom-kill") && line.contains(containerId));
    }

    @Override
    public Optional<ContainerStats> stats(String processId) {
        return find(processId).filter(c -> Boolean.TRUE.equals(c.getState().getRunning())).flatMap(c -> {
            String id = c.getId();
            for (String group : List.of("docker/" + id, "system.slice/docker-" + id + ".scope")) {
                if (cgroups.exists(group)) {
                    return cgroups.read(processId, group);
                }
            }
            return Optional.empty();
        });
    }

    /** Docker's logs API: stdout and stderr of the container, interleaved as written. */
    @Override
    public Optional<LogTail> logTail(String processId, int lines) {
        return find(processId).map(c -> {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            try (ResultCallback.Adapter<Frame> callback = new ResultCallback.Adapter<>() {
                @Override
                public void onNext(Frame frame) {
                    synchronized (bytes) {
                        bytes.writeBytes(frame.getPayload());
                    }
                }
            }) {
                client().logContainerCmd(c.getId()).withStdOut(true).withStdErr(true).withTail(lines).exec(callback)
                        .awaitCompletion(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException | DockerException e) {
                throw StratosException.unavailable("cannot read the logs of " + c.getName() + ": " + e.getMessage(), null);
            }
            synchronized (bytes) {
                return new LogTail(processId, name(), "docker logs " + ContainerNames.containerName(processId),
                        Tail.last(Tail.split(bytes.toByteArray()), lines));
            }
        });
    }

    /** Links the running container to the bridge and opens its published port; returns its address on the bridge. */
    private String publish(String name, String containerId, String processId, int hostPort, int containerPort) {
        InspectContainerResponse running = client().inspectContainerCmd(containerId).exec();
        Long pid = running.getState().getPidLong();
        String address = link.attach(name, pid == null ? 0 : pid, hostPort);
        try {
            ports.open(processId, hostPort, new InetSocketAddress(address, containerPort));
        } catch (IOException e) {
            publishing.publishFailed();
            String problem = publishing.problem();
            throw problem != null ? StratosException.unavailable("process " + processId + ": " + problem, null)
                    : StratosException.conflict("hostPort", "process " + processId + ": " + e.getMessage(),
                    "another program holds the port: use another port from the range");
        }
        return address;
    }

    /**
     * Re-publishes the ports of running containers after an agent restart (their links live on with them); returns what
     * it found so the caller can reserve their ports. Containers of an agent older than its own bridge publish themselves.
     */
    public List<ContainerInfo> adopt() {
        List<ContainerInfo> found = list();
        for (ContainerInfo info : found) {
            if (!info.running() || ports.isOpen(info.processId()) || info.address().startsWith("127.0.0.1:")) {
                continue;
            }
            try {
                link.reattach(info.hostPort());
            } catch (RuntimeException e) {
                LOG.warn("Cannot put {} back on the bridge: {}", info.name(), e.getMessage());
                continue;
            }
            ports.republish("Docker", info.name(), info.processId(), info.hostPort(), info.address());
        }
        return found;
    }

    /** Our container of that process (by name, and only if it carries our owner label). */
    private Optional<InspectContainerResponse> find(String processId) {
        String name = ContainerNames.containerName(processId);
        try {
            InspectContainerResponse response = client().inspectContainerCmd(name).exec();
            Map<String, String> labels = response.getConfig() == null ? null : response.getConfig().getLabels();
            if (labels == null || !owner.equals(labels.get(LABEL_OWNER))) {
                return Optional.empty();
            }
            return Optional.of(response);
        } catch (NotFoundException e) {
            return Optional.empty();
        }
    }

    /** Removes every import of a digest, when the image cache evicts it; false if one is in use. */
    public boolean removeImages(String imageDigest) {
        return images.removeAll(imageDigest);
    }

    public void close() {
        ports.close();
        DockerClient c = client;
        client = null;
        if (c != null) {
            try {
                c.close();
            } catch (IOException e) {
                LOG.debug("Closing the Docker client: {}", e.getMessage());
            }
        }
    }

    private static int parseInt(String text) {
        try {
            return Integer.parseInt(text);
        } catch (RuntimeException e) {
            return 0;
        }
    }
}
