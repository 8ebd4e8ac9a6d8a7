package io.stratos.lxc.agent.internal.lxc;

import io.stratos.lxc.agent.net.HostBridge;

import io.stratos.lxc.agent.exec.FileTree;
import io.stratos.lxc.agent.exec.Exec;
import io.stratos.lxc.agent.exec.Tail;
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
import io.stratos.lxc.agent.status.LogTail;
import io.stratos.lxc.api.StratosException;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs cartridge processes as LXC containers by driving the {@code lxc-*} tools with a hand-written config
 * per container in a private lxcpath. The rootfs is an overlay: the image's unpacked rootfs in the cache is
 * the shared read-only lower layer, each container has only its own upper/work directories. Limits are
 * cgroup keys (v1 or v2, whichever this host has). Stops are SIGKILL ({@code lxc.signal.halt}): a server
 * running as init ignores SIGTERM.
 *
 * <p>With {@code unprivileged=true} containers run in a user namespace mapped onto root's subordinate ids
 * ({@code lxc.idmap}), over a lower layer with shifted owners ({@link ShiftedRootfs}); each container's directory is
 * owned by the mapped root. The config itself is {@link LxcConfig}'s, the bridge {@link HostBridge}'s, and why a
 * container ended {@link ExitCause}'s.
 */
public final class LxcRuntime implements ContainerRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(LxcRuntime.class);
    private static final String META = "stratos.properties";
    private static final long TOOL_TIMEOUT_MS = 30_000;

    private final LxcOptions options;
    private final Exec exec;
    private final CgroupReader cgroups;
    private final LxcConfig config;
    private final ShiftedRootfs shiftedRootfs;
    private final HostBridge bridge;
    private final Publishing publishing;
    private final PublishedPorts ports;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();
    private static final long AVAILABILITY_TTL_NANOS = 1_000_000_000L;

    private record Timed<T>(T value, long atNanos) {
    }

    private volatile Timed<RuntimeAvailability> availability;
    private volatile Timed<Optional<IdMap>> ids;
    /** Each container's metadata as last written or read: every pass inspects every container, the file rarely changes. */
    private final Map<String, Properties> metas = new ConcurrentHashMap<>();

    /** Publishing on 127.0.0.1 to this VM only (tests). */
    public LxcRuntime(LxcOptions options, Exec exec, CgroupReader cgroups) {
        this(options, exec, cgroups, Publishing.loopback());
    }

    /**
     * @param publishing where ports are published ({@code network=bridge}: the agent's proxy binds it; {@code network=host}:
     *                   the process binds it itself, as {@code BIND_ADDRESS}) and to which sources (bridge only)
     */
    public LxcRuntime(LxcOptions options, Exec exec, CgroupReader cgroups, Publishing publishing) {
        this.options = options;
        this.publishing = publishing;
        this.exec = exec;
        this.cgroups = cgroups;
        this.config = new LxcConfig(options, cgroups);
        this.shiftedRootfs = new ShiftedRootfs(exec);
        this.bridge = new HostBridge(options.bridge(), options.subnet(), exec);
        this.ports = new PublishedPorts(publishing, "stratos-lxc-proxy");
    }

    @Override
    public String name() {
        return "lxc";
    }

    /**
     * Asked for each start, each sample and each pass: its answer (tools on the PATH, the user, /etc/subuid) is kept
     * for {@link #AVAILABILITY_TTL_NANOS}, as at thousands of processes it cost more than the rest of a pass.
     */
    @Override
    public RuntimeAvailability available() {
        long now = System.nanoTime();
        Timed<RuntimeAvailability> last = availability;
        if (last != null && now - last.atNanos() < AVAILABILITY_TTL_NANOS) {
            return last.value();
        }
        RuntimeAvailability fresh = checkAvailable();
        availability = new Timed<>(fresh, now);
        return fresh;
    }

    private RuntimeAvailability checkAvailable() {
        for (String tool : List.of("lxc-start", "lxc-stop", "lxc-info", "lxc-attach")) {
            if (!Exec.onPath(tool)) {
                return RuntimeAvailability.no(tool + " not found: install the lxc package");
            }
        }
        if (options.network() == LxcOptions.Network.BRIDGE && !Exec.onPath("ip")) {
            return RuntimeAvailability.no("ip (iproute2) not found: needed for the bridge network; or set network=host");
        }
        if (!"root".equals(System.getProperty("user.name"))) {
            return RuntimeAvailability.no("the LXC runtime needs the agent to run as root (it starts privileged containers, or "
                    + "unprivileged ones through root's subordinate ids)");
        }
        if (options.unprivileged()) {
            if (!Exec.onPath("newuidmap") || !Exec.onPath("newgidmap")) {
                return RuntimeAvailability.no("unprivileged=true needs newuidmap/newgidmap: install the uidmap package");
            }
            if (idMap().isEmpty()) {
                return RuntimeAvailability.no("unprivileged=true needs a range of at least 65536 ids for root in /etc/subuid and "
                        + "/etc/subgid, e.g. the line root:100000:65536 in both");
            }
        }
        return RuntimeAvailability.yes("lxc " + (options.unprivileged() ? "unprivileged (ids from " + idMap().get().first() + ")"
                : "privileged") + " with cgroup " + cgroups.layout().name().toLowerCase() + ", network "
                + options.network().name().toLowerCase() + (options.network() == LxcOptions.Network.BRIDGE
                ? " (" + options.bridge() + " " + options.subnet() + ")" : ""));
    }

    /** Whether this host can run user-namespace containers for root: the uidmap tools and a subordinate id range. */
    public static boolean userNamespacesAvailable() {
        return Exec.onPath("newuidmap") && Exec.onPath("newgidmap")
                && IdMap.ofRoot(Path.of("/etc/subuid"), Path.of("/etc/subgid")).isPresent();
    }

    public LxcOptions options() {
        return options;
    }

    /**
     * The config {@link #start} writes for this spec in the container directory {@code dir}: what a benchmark hands
     * plain {@code lxc-start} so that its baseline runs the very same container (overlay, id map, veth, limits).
     */
    public String renderConfig(ContainerSpec spec, Path dir) {
        Optional<IdMap> ids = options.unprivileged() ? idMap() : Optional.empty();
        String rootfs = ids.isPresent() ? shiftedRootfs.lowerFor(spec.imageRootfs(), ids.get()).toString()
                : spec.imageRootfs().toAbsolutePath().normalize().toString();
        boolean bridged = options.network() == LxcOptions.Network.BRIDGE;
        String address = bridged ? options.subnet().addressFor(spec.hostPort()) : publishing.addressText();
        return config.render(spec, dir, rootfs, address, bridged ? spec.containerPort() : spec.hostPort(), ids);
    }

    /** The script {@link #start} places in the upper layer at {@link #launcherPath()}, or empty when the config runs the argv itself. */
    public Optional<String> launcherScript(ContainerSpec spec) {
        return LxcConfig.usesLauncher(spec) ? Optional.of(LxcConfig.launcher(spec.argv())) : Optional.empty();
    }

    /** Where the launcher script goes, relative to the upper layer. */
    public static String launcherPath() {
        return LxcConfig.LAUNCHER;
    }

    /** The mapped root (host uid) of an unprivileged container, or 0. */
    public int containerRootUid() {
        return options.unprivileged() ? idMap().map(m -> m.host(0)).orElse(0) : 0;
    }

    @Override
    public ContainerInfo start(ContainerSpec spec) {
        RuntimeAvailability availability = available();
        if (!availability.available()) {
            throw StratosException.unavailable("lxc runtime unavailable: " + availability.reason(), null);
        }
        String rootfs = spec.imageRootfs().toAbsolutePath().normalize().toString();
        if (!Files.isDirectory(spec.imageRootfs()) || rootfs.contains(":") || rootfs.contains("\n")) {
            throw StratosException.invalid("imageRootfs", "image rootfs " + rootfs + " is not a directory usable as an overlay lower layer", null);
        }
        String name = spec.containerName();
        Optional<IdMap> ids = options.unprivileged() ? idMap() : Optional.empty();
        if (ids.isPresent()) {
            rootfs = shiftedRootfs.lowerFor(spec.imageRootfs(), ids.get()).toString();
        }
        synchronized (lock(spec.processId())) {
            Path dir = containerDir(spec.processId());
            if (Files.exists(dir)) {
                if (state(name) == ContainerState.RUNNING) {
                    throw StratosException.conflict("processId", "container " + name + " already runs", "stop or remove it first");
                }
                metas.remove(spec.processId());
                FileTree.delete(dir);
            }
            boolean bridged = options.network() == LxcOptions.Network.BRIDGE;
            // host: the process shares the VM's network and binds the publish address itself (it gets it as BIND_ADDRESS)
            String address = bridged ? options.subnet().addressFor(spec.hostPort()) : publishing.addressText();
            int listenPort = bridged ? spec.containerPort() : spec.hostPort();
            try {
                createContainersDir();
                Files.createDirectories(dir.resolve("upper"));
                if (ids.isPresent()) {
                    chown(dir, ids.get().host(0));
                    chown(dir.resolve("upper"), ids.get().host(0));
                }
                if (spec.application() != null) {
                    placeApplication(spec.application(), dir.resolve("upper"), ids);
                }
                if (LxcConfig.usesLauncher(spec)) {
                    if (!LxcConfig.hasShell(spec.imageRootfs())) {
                        throw StratosException.invalid("start", "the start command has arguments with blanks or quotes, which LXC can "
                                + "only pass through a shell, and the image has no /bin/sh", "add /bin/sh or a start script to the image");
                    }
                    Path launcher = dir.resolve("upper").resolve(LxcConfig.LAUNCHER);
                    Files.writeString(launcher, LxcConfig.launcher(spec.argv()), StandardCharsets.UTF_8);
                    Files.setPosixFilePermissions(launcher, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
                    if (ids.isPresent()) {
                        chown(launcher, ids.get().host(0));
                    }
                }
                Files.writeString(dir.resolve("config"), config.render(spec, dir, rootfs, address, listenPort, ids), StandardCharsets.UTF_8);
                Properties meta = new Properties();
                meta.setProperty("processId", spec.processId());
                meta.setProperty("imageName", spec.imageName());
                meta.setProperty("imageDigest", spec.imageDigest());
                meta.setProperty("hostPort", String.valueOf(spec.hostPort()));
                meta.setProperty("address", address + ":" + listenPort);
                meta.setProperty("network", options.network().name().toLowerCase());
                meta.setProperty("startedUptime", String.valueOf(ExitCause.uptimeSeconds()));
                writeMeta(dir, meta);
                metas.put(spec.processId(), meta);
            } catch (IOException | RuntimeException e) {
                metas.remove(spec.processId());
                FileTree.delete(dir);
                if (e instanceof StratosException stratos) {
                    throw stratos;
                }
                throw StratosException.unavailable("cannot prepare container " + name + ": " + e.getMessage(), "check the agent's dataDir");
            }
            if (bridged) {
                bridge.ensure();
            }
            Exec.Result started = exec.run(TOOL_TIMEOUT_MS, "lxc-start", "-P", options.containersDir().toString(), "-n", name, "-d",
                    "-l", "INFO", "-o", dir.resolve("lxc.log").toString());
            if (!started.ok()) {
                String why = started.output() + " " + ExitCause.logErrors(dir);
                exec.run(TOOL_TIMEOUT_MS, "lxc-stop", "-P", options.containersDir().toString(), "-n", name, "-k");
                metas.remove(spec.processId());
                FileTree.delete(dir);
                throw StratosException.unavailable("lxc-start of " + name + " failed: " + why.trim(), null);
            }
            if (bridged) {
                try {
                    ports.open(spec.processId(), spec.hostPort(), new InetSocketAddress(address, listenPort));
                } catch (IOException e) {
                    publishing.publishFailed();
                    kill(name);
                    metas.remove(spec.processId());
                    FileTree.delete(dir);
                    String problem = publishing.problem();
                    throw problem != null ? StratosException.unavailable("process " + spec.processId() + ": " + problem, null)
                            : StratosException.conflict("hostPort", "process " + spec.processId() + ": " + e.getMessage(),
                            "another program holds the port: use another port from the range");
                }
            }
            LOG.info("Started LXC container {} ({} on {}, published on {})", name, spec.imageDigest(), address + ":" + listenPort,
                    publishing.endpoint(spec.hostPort()));
            return inspect(spec.processId()).orElseThrow(() ->
                    StratosException.unavailable("container " + name + " vanished right after its start", null));
        }
    }

    /**
     * Copies the application into the container's own upper layer at appDir, so processes share the image (the
     * lower layer) but not the code. Files of the artifact replace the image's files of the same name there. Owned
     * by the container's root (shifted into the id map for an unprivileged container).
     */
    private void placeApplication(ContainerSpec.Application application, Path upper, Optional<IdMap> ids) throws IOException {
        Path target = upper.resolve(application.relativeAppDir()).normalize();
        if (!target.startsWith(upper)) {
            throw StratosException.invalid("appDir", "appDir " + application.appDir() + " leaves the rootfs", null);
        }
        Files.createDirectories(target);
        Exec.Result copied = exec.run(TOOL_TIMEOUT_MS, "cp", "-a", "--no-preserve=ownership", application.tree().toString() + "/.",
                target.toString());
        if (!copied.ok()) {
            throw StratosException.unavailable("cannot place application " + application.digest() + " into " + application.appDir()
                    + ": " + copied.output().trim(), "check the agent's disk space");
        }
        String owner = ids.map(map -> map.host(0) + ":" + map.host(0)).orElse("0:0");
        Exec.Result owned = exec.run(TOOL_TIMEOUT_MS, "chown", "-R", "-h", owner, upper.toString());
        if (!owned.ok()) {
            throw StratosException.unavailable("cannot hand the application to the container's root: " + owned.output().trim(), null);
        }
    }

    @Override
    public void stop(String processId) {
        String name = ContainerNames.containerName(processId);
        synchronized (lock(processId)) {
            ports.close(processId);
            Path dir = containerDir(processId);
            if (!Files.isDirectory(dir)) {
                return;
            }
            try {
                Files.writeString(dir.resolve("stopped-by-agent"), "");
            } catch (IOException e) {
                LOG.debug("Cannot mark {} as stopped by the agent: {}", name, e.getMessage());
            }
            if (state(name) == ContainerState.RUNNING) {
                kill(name);
            }
        }
    }

    private void kill(String name) {
        Exec.Result result = exec.run(TOOL_TIMEOUT_MS, "lxc-stop", "-P", options.containersDir().toString(), "-n", name, "-k");
        if (!result.ok() && state(name) == ContainerState.RUNNING) {
            throw StratosException.unavailable("lxc-stop of " + name + " failed: " + result.output(), null);
        }
    }

    @Override
    public void remove(String processId) {
        synchronized (lock(processId)) {
            stop(processId);
            metas.remove(processId);
            FileTree.delete(containerDir(processId));
        }
        locks.remove(processId);
    }

    @Override
    public List<ContainerInfo> list() {
        List<ContainerInfo> all = new ArrayList<>();
        if (!Files.isDirectory(options.containersDir())) {
            return all;
        }
        try (Stream<Path> dirs = Files.list(options.containersDir())) {
            for (Path dir : dirs.sorted().toList()) {
                String processId = ContainerNames.processId(dir.getFileName().toString());
                if (processId != null) {
                    inspect(processId).ifPresent(all::add); // empty without a config
                }
            }
        } catch (IOException e) {
            throw StratosException.unavailable("cannot list " + options.containersDir() + ": " + e.getMessage(), null);
        }
        return all;
    }

    /**
     * Re-publishes the ports of running containers after an agent restart; returns what it found so the
     * caller can reserve their ports.
     */
    public List<ContainerInfo> adopt() {
        List<ContainerInfo> found = list();
        for (ContainerInfo info : found) {
            if (info.running() && options.network() == LxcOptions.Network.BRIDGE && !ports.isOpen(info.processId())) {
                ports.republish("LXC", info.name(), info.processId(), info.hostPort(), info.address());
            }
        }
        return found;
    }

    @Override
    public Optional<ContainerInfo> inspect(String processId) {
        String name = ContainerNames.containerName(processId);
        Path dir = containerDir(processId);
        if (!Files.isRegularFile(dir.resolve("config"))) {
            return Optional.empty();
        }
        Properties meta = meta(processId, dir); // shared: copied before a change
        int hostPort = parseInt(meta.getProperty("hostPort"), 0);
        String address = meta.getProperty("address", "");
        // a process in its cgroup: running, without a process of lxc-info's (each pass looks at every container)
        ContainerState state = cgroups.populated(group(name)) ? ContainerState.RUNNING : state(name);
        Integer exitCode = null;
        boolean oom = false;
        String detail = "image " + meta.getProperty("imageDigest", "?");
        if (state == ContainerState.RUNNING) {
            oom = cgroups.oomKills(group(name)) > 0;
            if (oom) {
                detail += "; a process in the container was OOM-killed";
            }
        } else if (state == ContainerState.STOPPED) {
            exitCode = ExitCause.exitCode(dir);
            boolean byAgent = Files.exists(dir.resolve("stopped-by-agent"));
            if ("true".equals(meta.getProperty("oomKilled"))) {
                oom = true;
            } else if (exitCode != null && exitCode == 137 && !byAgent && meta.getProperty("oomKilled") == null) {
                oom = ExitCause.killedByOom(exec, group(name), Double.parseDouble(meta.getProperty("startedUptime", "0")));
                Properties changed = new Properties();
                changed.putAll(meta);
                meta = changed;
                meta.setProperty("oomKilled", String.valueOf(oom));
                try {
                    writeMeta(dir, meta);
                    metas.put(processId, meta);
                } catch (IOException e) {
                    LOG.debug("Cannot record the OOM result of {}: {}", name, e.getMessage());
                }
            }
            detail += byAgent ? "; stopped by the agent" : oom ? "; OOM-killed: exceeded its memory limit" : "; exited with " + exitCode;
        }
        return Optional.of(new ContainerInfo(processId, name, name(), state, exitCode, oom, hostPort, address,
                meta.getProperty("imageDigest", ""), detail));
    }

    @Override
    public Optional<ContainerStats> stats(String processId) {
        String name = ContainerNames.containerName(processId);
        return cgroups.read(processId, group(name));
    }

    /** The console log LXC keeps beside the container ({@code lxc.console.logfile}). */
    @Override
    public Optional<LogTail> logTail(String processId, int lines) {
        Path dir = containerDir(processId);
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        Path log = dir.resolve("console.log");
        try {
            return Optional.of(new LogTail(processId, name(), log.toString(), Tail.lines(log, lines)));
        } catch (IOException e) {
            throw StratosException.unavailable("cannot read " + log + ": " + e.getMessage(), null);
        }
    }

    /** Connections in flight through the process's published port, or -1 when it is not published by us. */
    public int connectionsInFlight(String processId) {
        return ports.connectionsInFlight(processId);
    }

    /** Closes the published ports (containers keep running, to be re-adopted). */
    public void close() {
        ports.close();
    }

    /** Deletes the bridge if no container of ours uses it. */
    public void removeBridgeIfUnused() {
        if (options.network() == LxcOptions.Network.BRIDGE && bridge.exists() && list().stream().noneMatch(ContainerInfo::running)) {
            bridge.remove();
        }
    }

    // ---------------------------------------------------------------------------------------------------

    /** The container's pids counters, as the kernel keeps them (for tests of its pids limit). */
    Optional<CgroupReader.PidsCounters> pids(String processId) {
        return cgroups.pids(group(ContainerNames.containerName(processId)));
    }

    private static String group(String name) {
        return "lxc.payload." + name;
    }

    private Path containerDir(String processId) {
        return options.containersDir().resolve(ContainerNames.containerName(processId));
    }

    private Object lock(String processId) {
        return locks.computeIfAbsent(processId, k -> new Object());
    }

    private ContainerState state(String name) {
        Exec.Result info = exec.run(TOOL_TIMEOUT_MS, "lxc-info", "-P", options.containersDir().toString(), "-n", name, "-s");
        if (!info.ok()) {
            return ContainerState.UNKNOWN;
        }
        String text = info.output();
        if (text.contains("RUNNING")) {
            return ContainerState.RUNNING;
        }
        if (text.contains("STOPPED")) {
            return ContainerState.STOPPED;
        }
        if (text.contains("STARTING")) {
            return ContainerState.CREATED;
        }
        return text.contains("STOPPING") || text.contains("ABORTING") ? ContainerState.STOPPED : ContainerState.UNKNOWN;
    }

    /** Root's subordinate id range, from /etc/subuid and /etc/subgid (read again after {@link #AVAILABILITY_TTL_NANOS}). */
    Optional<IdMap> idMap() {
        long now = System.nanoTime();
        Timed<Optional<IdMap>> last = ids;
        if (last != null && now - last.atNanos() < AVAILABILITY_TTL_NANOS) {
            return last.value();
        }
        Optional<IdMap> fresh = IdMap.ofRoot(Path.of("/etc/subuid"), Path.of("/etc/subgid"));
        ids = new Timed<>(fresh, now);
        return fresh;
    }

    private void createContainersDir() throws IOException {
        Path containers = options.containersDir();
        if (!Files.isDirectory(containers)) {
            Files.createDirectories(containers);
        }
        if (options.unprivileged()) {
            // the mapped root must reach its container directory
            Files.setPosixFilePermissions(containers, java.nio.file.attribute.PosixFilePermissions.fromString("rwx--x--x"));
        }
    }

    private static void chown(Path path, int id) throws IOException {
        Files.setAttribute(path, "unix:uid", id, java.nio.file.LinkOption.NOFOLLOW_LINKS);
        Files.setAttribute(path, "unix:gid", id, java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    /** The container's metadata, from memory when it was read or written before; not to be changed (copy it). */
    private Properties meta(String processId, Path dir) {
        Properties meta = metas.get(processId);
        if (meta == null) {
            meta = readMeta(dir);
            if (!meta.isEmpty()) {
                metas.putIfAbsent(processId, meta); // not an empty one: its start may not have written it yet
            }
        }
        return meta;
    }

    private static Properties readMeta(Path dir) {
        Properties meta = new Properties();
        try (Reader reader = Files.newBufferedReader(dir.resolve(META))) {
            meta.load(reader);
        } catch (IOException e) {
            // an old or broken container dir: no metadata
        }
        return meta;
    }

    private static void writeMeta(Path dir, Properties meta) throws IOException {
        Path tmp = dir.resolve(META + ".tmp");
        try (Writer writer = Files.newBufferedWriter(tmp)) {
            meta.store(writer, "Stratos agent: process metadata");
        }
        Files.move(tmp, dir.resolve(META), java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private static int parseInt(String text, int fallback) {
        try {
            return Integer.parseInt(text);
        } catch (RuntimeException e) {
            return fallback;
        }
    }
}
