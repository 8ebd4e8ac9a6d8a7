package io.stratos.lxc.agent.internal.lxc;

import io.stratos.lxc.agent.internal.exec.FileTree;
import io.stratos.lxc.agent.internal.exec.Exec;
import io.stratos.lxc.agent.internal.exec.Tail;
import io.stratos.lxc.agent.internal.net.TcpProxy;
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
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
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
 * ({@code lxc.idmap}). Idmapped mounts do not work with an overlay rootfs here, so the image's rootfs is copied
 * once per image with its owners shifted ({@code rootfs-idmap-<first>} beside it, setuid bits kept) and serves as
 * the shared lower layer of all its unprivileged containers; each container's directory is owned by the mapped root.
 */
public final class LxcRuntime implements ContainerRuntime {

    private static final Logger LOG = LoggerFactory.getLogger(LxcRuntime.class);
    private static final String META = "stratos.properties";
    /** In the container's upper layer when the start command needs quoting. */
    private static final String LAUNCHER = ".stratos-start";
    private static final Pattern CHILD_SIGNAL = Pattern.compile("Child <(\\d+)> ended on signal [^(]*\\((\\d+)\\)");
    private static final Pattern CHILD_ERROR = Pattern.compile("Child <(\\d+)> ended on error \\((\\d+)\\)");
    private static final Pattern DMESG_TIME = Pattern.compile("^\\[\\s*(\\d+\\.\\d+)\\]");
    private static final long TOOL_TIMEOUT_MS = 30_000;

    private final LxcOptions options;
    private final Exec exec;
    private final CgroupReader cgroups;
    private final ExecutorService proxyPool;
    private final Map<String, TcpProxy> proxies = new ConcurrentHashMap<>();
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    public LxcRuntime(LxcOptions options, Exec exec, CgroupReader cgroups) {
        this.options = options;
        this.exec = exec;
        this.cgroups = cgroups;
        this.proxyPool = Executors.newCachedThreadPool(r -> {
            Thread thread = new Thread(r, "stratos-lxc-proxy");
            thread.setDaemon(true);
            return thread;
        });
    }

    @Override
    public String name() {
        return "lxc";
    }

    @Override
    public RuntimeAvailability available() {
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
            rootfs = shiftedLower(spec.imageRootfs(), ids.get()).toString();
        }
        synchronized (lock(spec.processId())) {
            Path dir = containerDir(spec.processId());
            if (Files.exists(dir)) {
                if (state(name) == ContainerState.RUNNING) {
                    throw StratosException.conflict("processId", "container " + name + " already runs", "stop or remove it first");
                }
                FileTree.delete(dir);
            }
            boolean bridge = options.network() == LxcOptions.Network.BRIDGE;
            String address = bridge ? options.subnet().addressFor(spec.hostPort()) : "127.0.0.1";
            int listenPort = bridge ? spec.containerPort() : spec.hostPort();
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
                if (usesLauncher(spec)) {
                    if (!hasShell(spec.imageRootfs())) {
                        throw StratosException.invalid("start", "the start command has arguments with blanks or quotes, which LXC can "
                                + "only pass through a shell, and the image has no /bin/sh", "add /bin/sh or a start script to the image");
                    }
                    Path launcher = dir.resolve("upper").resolve(LAUNCHER);
                    Files.writeString(launcher, launcher(spec.argv()), StandardCharsets.UTF_8);
                    Files.setPosixFilePermissions(launcher, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
                    if (ids.isPresent()) {
                        chown(launcher, ids.get().host(0));
                    }
                }
                Files.writeString(dir.resolve("config"), config(spec, dir, rootfs, address, listenPort), StandardCharsets.UTF_8);
                Properties meta = new Properties();
                meta.setProperty("processId", spec.processId());
                meta.setProperty("imageName", spec.imageName());
                meta.setProperty("imageDigest", spec.imageDigest());
                meta.setProperty("hostPort", String.valueOf(spec.hostPort()));
                meta.setProperty("address", address + ":" + listenPort);
                meta.setProperty("network", options.network().name().toLowerCase());
                meta.setProperty("startedUptime", String.valueOf(uptimeSeconds()));
                writeMeta(dir, meta);
            } catch (IOException | RuntimeException e) {
                FileTree.delete(dir);
                if (e instanceof StratosException stratos) {
                    throw stratos;
                }
                throw StratosException.unavailable("cannot prepare container " + name + ": " + e.getMessage(), "check the agent's dataDir");
            }
            if (bridge) {
                ensureBridge();
            }
            Exec.Result started = exec.run(TOOL_TIMEOUT_MS, "lxc-start", "-P", options.containersDir().toString(), "-n", name, "-d",
                    "-l", "INFO", "-o", dir.resolve("lxc.log").toString());
            if (!started.ok()) {
                String why = started.output() + " " + logErrors(dir);
                exec.run(TOOL_TIMEOUT_MS, "lxc-stop", "-P", options.containersDir().toString(), "-n", name, "-k");
                FileTree.delete(dir);
                throw StratosException.unavailable("lxc-start of " + name + " failed: " + why.trim(), null);
            }
            if (bridge) {
                try {
                    openProxy(spec.processId(), spec.hostPort(), new InetSocketAddress(address, listenPort));
                } catch (IOException e) {
                    kill(name);
                    FileTree.delete(dir);
                    throw StratosException.conflict("hostPort", "process " + spec.processId() + ": " + e.getMessage(),
                            "another program holds the port: use another port from the range");
                }
            }
            LOG.info("Started LXC container {} ({} on {})", name, spec.imageDigest(), address + ":" + listenPort);
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

    String config(ContainerSpec spec, Path dir, String rootfs, String address, int listenPort) {
        List<String> lines = new ArrayList<>();
        lines.add("# Written by the Stratos agent for process " + spec.processId() + " (" + spec.imageDigest() + ")");
        lines.add("lxc.uts.name = " + spec.containerName());
        lines.add("lxc.rootfs.path = overlay:" + rootfs + ":" + dir.toAbsolutePath().resolve("upper"));
        lines.add("lxc.apparmor.profile = " + (hostHasAppArmor() ? "generated" : "unconfined"));
        Optional<IdMap> ids = options.unprivileged() ? idMap() : Optional.empty();
        if (ids.isPresent()) {
            lines.add("lxc.idmap = u 0 " + ids.get().first() + " " + IdMap.SIZE);
            lines.add("lxc.idmap = g 0 " + ids.get().first() + " " + IdMap.SIZE);
        }
        // without its own network namespace an unprivileged container cannot mount sysfs
        boolean sysfs = ids.isEmpty() || options.network() == LxcOptions.Network.BRIDGE;
        lines.add("lxc.mount.auto = proc:mixed " + (sysfs ? "sys:ro " : "") + "cgroup:mixed");
        lines.add("lxc.autodev = 1");
        lines.add("lxc.tty.max = 0");
        lines.add("lxc.signal.halt = SIGKILL");
        // what the process writes to its console (stdout, stderr), kept beside the container for diagnosis
        lines.add("lxc.console.logfile = " + dir.resolve("console.log"));
        // bounded: at 1 MiB the log moves to console.log.1 and starts again, so a chatty process cannot fill the disk
        lines.add("lxc.console.size = 1048576");
        lines.add("lxc.console.rotate = 1");
        lines.add("lxc.signal.stop = SIGKILL");
        lines.add("lxc.init.cmd = " + (usesLauncher(spec) ? "/bin/sh /" + LAUNCHER : String.join(" ", spec.argv())));
        lines.add("lxc.init.cwd = /");
        for (Map.Entry<String, String> e : spec.envWithPort(listenPort).entrySet()) {
            lines.add("lxc.environment = " + e.getKey() + "=" + e.getValue());
        }
        if (options.network() == LxcOptions.Network.BRIDGE) {
            lines.add("lxc.net.0.type = veth");
            lines.add("lxc.net.0.link = " + options.bridge());
            lines.add("lxc.net.0.flags = up");
            lines.add("lxc.net.0.hwaddr = " + Subnet.macFor(address));
            lines.add("lxc.net.0.ipv4.address = " + address + "/" + options.subnet().prefix());
            lines.add("lxc.net.0.ipv4.gateway = " + options.subnet().gateway());
        } else {
            lines.add("lxc.net.0.type = none");
        }
        boolean v1 = cgroups.layout() == CgroupReader.Layout.V1;
        if (spec.memoryMiB() > 0) {
            if (v1) {
                lines.add("lxc.cgroup.memory.limit_in_bytes = " + spec.memoryBytes());
                if (Files.exists(cgroups.root().resolve("memory/memory.memsw.limit_in_bytes"))) {
                    // with swap accounting, memory+swap too: the limit means OOM, not swapping
                    lines.add("lxc.cgroup.memory.memsw.limit_in_bytes = " + spec.memoryBytes());
                }
            } else {
                lines.add("lxc.cgroup2.memory.max = " + spec.memoryBytes());
                lines.add("lxc.cgroup2.memory.swap.max = 0");
            }
        }
        if (spec.cpuMillis() > 0) {
            long quota = spec.cpuMillis() * 100L; // of a 100 ms period
            if (v1) {
                lines.add("lxc.cgroup.cpu.cfs_period_us = 100000");
                lines.add("lxc.cgroup.cpu.cfs_quota_us = " + quota);
            } else {
                lines.add("lxc.cgroup2.cpu.max = " + quota + " 100000");
            }
        }
        if (spec.pidsMax() > 0) {
            lines.add((v1 ? "lxc.cgroup.pids.max = " : "lxc.cgroup2.pids.max = ") + spec.pidsMax());
        }
        return String.join("\n", lines) + "\n";
    }

    /** Whether LXC can take the argv as it is: it splits {@code lxc.init.cmd} on blanks and knows no quoting. */
    static boolean plainArgv(List<String> argv) {
        return argv.stream().noneMatch(arg -> arg.isEmpty()
                || arg.chars().anyMatch(c -> Character.isWhitespace(c) || c == '"' || c == '\'' || c == '\\'));
    }

    /**
     * Through the launcher whenever the image has a shell: a daemonized container's init writes to /dev/null, and
     * only what goes to /dev/console reaches lxc.console.logfile (agent:logs). Without a shell, a plain argv runs
     * as init directly and its output is lost.
     */
    static boolean usesLauncher(ContainerSpec spec) {
        return !plainArgv(spec.argv()) || hasShell(spec.imageRootfs());
    }

    private static boolean hasShell(Path rootfs) {
        return Files.exists(rootfs.resolve("bin/sh"), java.nio.file.LinkOption.NOFOLLOW_LINKS);
    }

    /** A POSIX shell script that sends stdout and stderr to the console log and execs the argv, each argument single-quoted. */
    static String launcher(List<String> argv) {
        StringBuilder script = new StringBuilder("#!/bin/sh\n# Written by the Stratos agent: the start command, quoted\n"
                + "[ -w /dev/console ] && exec </dev/null >/dev/console 2>&1\nexec");
        for (String arg : argv) {
            script.append(" '").append(arg.replace("'", "'\\''")).append('\'');
        }
        return script.append('\n').toString();
    }

    @Override
    public void stop(String processId) {
        String name = ContainerNames.containerName(processId);
        synchronized (lock(processId)) {
            closeProxy(processId);
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
                if (processId != null && Files.isRegularFile(dir.resolve("config"))) {
                    inspect(processId).ifPresent(all::add);
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
            if (info.running() && options.network() == LxcOptions.Network.BRIDGE && !proxies.containsKey(info.processId())) {
                String[] hostAndPort = info.address().split(":");
                try {
                    openProxy(info.processId(), info.hostPort(), new InetSocketAddress(hostAndPort[0], Integer.parseInt(hostAndPort[1])));
                    LOG.info("Re-adopted LXC container {} on 127.0.0.1:{}", info.name(), info.hostPort());
                } catch (IOException | RuntimeException e) {
                    LOG.warn("Cannot re-publish {} on 127.0.0.1:{}: {}", info.name(), info.hostPort(), e.getMessage());
                }
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
        Properties meta = readMeta(dir);
        int hostPort = parseInt(meta.getProperty("hostPort"), 0);
        String address = meta.getProperty("address", "");
        ContainerState state = state(name);
        Integer exitCode = null;
        boolean oom = false;
        String detail = "image " + meta.getProperty("imageDigest", "?");
        if (state == ContainerState.RUNNING) {
            oom = cgroups.read(processId, group(name)).map(s -> s.oomKills() > 0).orElse(false);
            if (oom) {
                detail += "; a process in the container was OOM-killed";
            }
        } else if (state == ContainerState.STOPPED) {
            exitCode = exitCode(dir);
            boolean byAgent = Files.exists(dir.resolve("stopped-by-agent"));
            if ("true".equals(meta.getProperty("oomKilled"))) {
                oom = true;
            } else if (exitCode != null && exitCode == 137 && !byAgent && meta.getProperty("oomKilled") == null) {
                oom = killedByOom(name, Double.parseDouble(meta.getProperty("startedUptime", "0")));
                meta.setProperty("oomKilled", String.valueOf(oom));
                try {
                    writeMeta(dir, meta);
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

    /** Connections in flight through the process's published port, or -1 when it is not published by us. */
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

    public int connectionsInFlight(String processId) {
        TcpProxy proxy = proxies.get(processId);
        return proxy == null ? -1 : proxy.inFlight();
    }

    /** Closes the published ports (containers keep running, to be re-adopted). */
    public void close() {
        proxies.values().forEach(TcpProxy::close);
        proxies.clear();
        proxyPool.shutdownNow();
    }

    /** Deletes the bridge if no container of ours uses it. */
    public void removeBridgeIfUnused() {
        if (options.network() == LxcOptions.Network.BRIDGE && Files.exists(Path.of("/sys/class/net", options.bridge()))
                && list().stream().noneMatch(ContainerInfo::running)) {
            exec.run(TOOL_TIMEOUT_MS, "ip", "link", "del", options.bridge());
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

    /** From LXC's log of the last start: "ended on signal X(n)" is 128+n, "ended on error (n)" is n, nothing is 0. */
    static Integer exitCode(Path dir) {
        Path log = dir.resolve("lxc.log");
        if (!Files.isRegularFile(log)) {
            return null;
        }
        try {
            String text = Files.readString(log);
            Matcher signal = CHILD_SIGNAL.matcher(text);
            if (signal.find()) {
                return 128 + Integer.parseInt(signal.group(2));
            }
            Matcher error = CHILD_ERROR.matcher(text);
            if (error.find()) {
                return Integer.parseInt(error.group(2));
            }
            return 0;
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    private static String logErrors(Path dir) {
        try {
            return Files.readAllLines(dir.resolve("lxc.log")).stream().filter(l -> l.contains("ERROR")).limit(5)
                    .map(l -> l.replaceAll("^.*? - ", "")).reduce((a, b) -> a + "; " + b).orElse("");
        } catch (IOException e) {
            return "";
        }
    }

    /**
     * Whether the kernel log has an OOM kill in this container's memory cgroup since it started: after the
     * container's init is killed the cgroup (and its oom_kill counter) is gone, the kernel log stays.
     */
    private boolean killedByOom(String name, double startedUptime) {
        Exec.Result dmesg = exec.run(5000, "dmesg");
        if (!dmesg.ok()) {
            return false;
        }
        String marker = "oom_memcg=/" + group(name) + ",";
        String alt = "task_memcg=/" + group(name) + ",";
        for (String line : dmesg.output().split("\n")) {
            if (line.contains(marker) || line.contains(alt)) {
                Matcher time = DMESG_TIME.matcher(line);
                if (!time.find() || Double.parseDouble(time.group(1)) + 1 >= startedUptime) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Root's subordinate id range, from /etc/subuid and /etc/subgid. */
    Optional<IdMap> idMap() {
        return IdMap.ofRoot(Path.of("/etc/subuid"), Path.of("/etc/subgid"));
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

    /**
     * The image's rootfs with every owner shifted into the id map, made once per image beside the rootfs
     * (through a temporary copy and an atomic rename) and shared by all unprivileged containers of the image.
     */
    Path shiftedLower(Path imageRootfs, IdMap ids) {
        Path shifted = imageRootfs.resolveSibling(imageRootfs.getFileName() + "-idmap-" + ids.first());
        synchronized (locks.computeIfAbsent("lower:" + shifted, k -> new Object())) {
            if (Files.isDirectory(shifted)) {
                return shifted;
            }
            long started = System.nanoTime();
            Path temp = imageRootfs.resolveSibling("." + shifted.getFileName() + "-" + System.nanoTime());
            try {
                Exec.Result copy = exec.run(10 * 60_000L, "cp", "-a", imageRootfs.toString(), temp.toString());
                if (!copy.ok()) {
                    throw StratosException.unavailable("cannot copy " + imageRootfs + " for unprivileged containers: " + copy.output(),
                            "free disk space");
                }
                List<String> special = new ArrayList<>();
                // Hard links (Debian images have them) are one inode under several names: shift each inode once.
                java.util.Set<Object> shiftedInodes = new java.util.HashSet<>();
                try (Stream<Path> paths = Files.walk(temp)) {
                    for (Path path : paths.toList()) {
                        Object inode = Files.readAttributes(path, java.nio.file.attribute.BasicFileAttributes.class,
                                java.nio.file.LinkOption.NOFOLLOW_LINKS).fileKey();
                        if (inode != null && !shiftedInodes.add(inode)) {
                            continue;
                        }
                        Map<String, Object> attrs = Files.readAttributes(path, "unix:uid,gid,mode", java.nio.file.LinkOption.NOFOLLOW_LINKS);
                        int mode = (Integer) attrs.get("mode");
                        Files.setAttribute(path, "unix:uid", ids.host((Integer) attrs.get("uid")), java.nio.file.LinkOption.NOFOLLOW_LINKS);
                        Files.setAttribute(path, "unix:gid", ids.host((Integer) attrs.get("gid")), java.nio.file.LinkOption.NOFOLLOW_LINKS);
                        if ((mode & 0170000) != 0120000 && (mode & 06000) != 0) {
                            special.add(Integer.toOctalString(mode & 07777) + " " + path);
                        }
                    }
                }
                for (String entry : special) {
                    String[] modeAndPath = entry.split(" ", 2);
                    exec.run(10_000, "chmod", modeAndPath[0], modeAndPath[1]); // chown cleared setuid/setgid
                }
                Files.move(temp, shifted, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
                LOG.info("Shifted {} into {} for unprivileged containers in {} ms", imageRootfs, shifted,
                        (System.nanoTime() - started) / 1_000_000);
                return shifted;
            } catch (IOException e) {
                throw StratosException.unavailable("cannot prepare " + shifted + ": " + e.getMessage(), "free disk space");
            } finally {
                FileTree.delete(temp);
            }
        }
    }

    private static double uptimeSeconds() {
        try {
            return Double.parseDouble(Files.readString(Path.of("/proc/uptime")).trim().split("\\s+")[0]);
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }

    private static boolean hostHasAppArmor() {
        try {
            return Files.readString(Path.of("/sys/module/apparmor/parameters/enabled")).trim().startsWith("Y");
        } catch (IOException e) {
            return false;
        }
    }

    private synchronized void ensureBridge() {
        String bridge = options.bridge();
        if (Files.exists(Path.of("/sys/class/net", bridge))) {
            pinBridgeAddress(bridge);
            return;
        }
        String gateway = options.subnet().gateway() + "/" + options.subnet().prefix();
        for (List<String> command : List.of(List.of("ip", "link", "add", bridge, "type", "bridge"),
                bridgeAddressCommand(bridge),
                List.of("ip", "addr", "add", gateway, "dev", bridge), List.of("ip", "link", "set", bridge, "up"))) {
            Exec.Result result = exec.run(TOOL_TIMEOUT_MS, command);
            if (!result.ok() && !result.output().contains("File exists")) {
                throw StratosException.unavailable("cannot create bridge " + bridge + " (" + String.join(" ", command) + "): "
                        + result.output(), "the agent must run as root; or set network=host");
            }
        }
        LOG.info("Created bridge {} with {}", bridge, gateway);
    }

    /**
     * A bridge without an address of its own takes the lowest MAC of its ports, so it changes whenever
     * that container's veth goes: the other containers' ARP entries for the gateway then point at a MAC
     * nobody has, and their answers to the host are lost until they look it up again (seen as requests
     * stalled for a second or more right after a scale-in stopped other containers). A fixed address
     * (locally administered, derived from the gateway like the containers' own) never changes.
     */
    private List<String> bridgeAddressCommand(String bridge) {
        return List.of("ip", "link", "set", bridge, "address", Subnet.macFor(options.subnet().gateway()));
    }

    /** A bridge made by an agent before its address was pinned gets it now (addr_assign_type 3: set by user). */
    private void pinBridgeAddress(String bridge) {
        try {
            if (Files.readString(Path.of("/sys/class/net", bridge, "addr_assign_type")).trim().equals("3")) {
                return;
            }
        } catch (IOException e) {
            return;
        }
        Exec.Result result = exec.run(TOOL_TIMEOUT_MS, bridgeAddressCommand(bridge));
        if (result.ok()) {
            LOG.info("Bridge {} given the fixed address {}", bridge, Subnet.macFor(options.subnet().gateway()));
        } else {
            LOG.warn("Could not give bridge {} a fixed address: {}", bridge, result.output());
        }
    }

    private void openProxy(String processId, int hostPort, InetSocketAddress target) throws IOException {
        closeProxy(processId);
        proxies.put(processId, TcpProxy.open(hostPort, target, proxyPool));
    }

    private void closeProxy(String processId) {
        TcpProxy proxy = proxies.remove(processId);
        if (proxy != null) {
            proxy.close();
        }
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
