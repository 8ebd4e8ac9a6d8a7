package io.stratos.lxc.iaas.local;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.iaas.VmRef;
import io.stratos.lxc.api.iaas.VmSpec;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Local "VMs": each is an agent distribution unpacked into {@code <vmsDirectory>/<vmId>/home} and run
 * as its own process session ({@code setsid bin/karaf daemon}), so it outlives a controller restart or
 * an update of this bundle. With {@code network = namespace} it runs in a network namespace of its own
 * with its own address ({@link VmNetwork}); with {@code network = host} it shares this host's network.
 * Its state is the directory: {@code vm.properties} (slot, partition, address) and the agent's pid;
 * {@link #list()} re-attaches from them.
 */
final class LocalVms implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LocalVms.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final LocalSettings settings;
    private final Commands commands;
    /** The namespaced VMs' network, or null when new VMs get this host's network. */
    private final VmNetwork network;
    /** How the namespaced VMs reach the controller, or null with the network. */
    private final ControllerAccess controllerAccess;

    LocalVms(LocalSettings settings, boolean namespaces, Commands commands) {
        this.settings = settings;
        this.commands = commands;
        this.network = namespaces ? new VmNetwork(settings.vmBridge(), settings.vmSubnet(), commands) : null;
        this.controllerAccess = network == null ? null : new ControllerAccess(network);
        if (network != null) {
            reconnectNamespacedVms();
        }
        countHostNetworkVms();
    }

    /** Whether new VMs get a network namespace of their own. */
    boolean namespaces() {
        return network != null;
    }

    Optional<VmNetwork> network() {
        return Optional.ofNullable(network);
    }

    /**
     * Whether any VM here shares this host's network, and so publishes on its 127.0.0.1. Asked at every agent report:
     * kept up to date as VMs come and go rather than read from their directories each time.
     */
    boolean anyOnHostNetwork() {
        return network == null || hostNetworkVms;
    }

    private volatile boolean hostNetworkVms;

    private void countHostNetworkVms() {
        hostNetworkVms = vmDirectories().stream().anyMatch(dir -> vmProperties(dir).getProperty("address") == null);
    }

    synchronized VmRef create(VmSpec spec) {
        if (!Files.isRegularFile(settings.agentDistribution())) {
            throw StratosException.unavailable("the agent distribution " + settings.agentDistribution() + " is missing",
                    "set agentDistribution in etc/io.stratos.lxc.iaas.local.cfg");
        }
        Path dir = settings.vmsDirectory().resolve(spec.vmId());
        try {
            int slot = freeSlot();
            String relayTarget = network == null ? null : ControllerAccess.relayTarget(spec.controllerUrl());
            Path staging = Files.createDirectories(settings.vmsDirectory()).resolve(".staging-" + spec.vmId());
            deleteTree(staging);
            Files.createDirectories(staging.resolve("home"));
            commands.run(List.of("tar", "xzf", settings.agentDistribution().toString(), "-C", staging.resolve("home").toString(),
                    "--strip-components=1"));
            writeShellUser(staging.resolve("home/etc/users.properties"));
            Properties properties = new Properties();
            properties.setProperty("vmId", spec.vmId());
            properties.setProperty("partition", spec.partition());
            properties.setProperty("slot", String.valueOf(slot));
            properties.setProperty("sshPort", String.valueOf(sshPort(slot)));
            if (network != null) {
                properties.setProperty("address", network.addressOf(slot));
                if (relayTarget != null) {
                    properties.setProperty("relay", relayTarget);
                }
            }
            try (Writer out = Files.newBufferedWriter(staging.resolve("vm.properties"))) {
                properties.store(out, "Stratos LXC local VM");
            }
            // The directory appears whole or not at all.
            Files.move(staging, dir, StandardCopyOption.ATOMIC_MOVE);
            countHostNetworkVms();
            String address = "127.0.0.1";
            if (network != null) {
                try {
                    network.ensureBridge();
                    if (relayTarget != null) {
                        controllerAccess.ensureRelay(relayTarget);
                    }
                    long started = System.nanoTime();
                    address = network.attach(spec.vmId(), slot, dir);
                    LOG.info("Local VM {}: network namespace {} with address {} on bridge {} ready in {} ms", spec.vmId(),
                            VmNetwork.namespace(spec.vmId()), address, network.bridge(), (System.nanoTime() - started) / 1_000_000);
                } catch (IOException e) {
                    VmNetwork.detach(commands, dir);
                    deleteTree(dir);
                    throw StratosException.unavailable("cannot give local VM " + spec.vmId() + " its network namespace: " + e.getMessage(),
                            "set network = host in etc/io.stratos.lxc.iaas.local.cfg where namespaces cannot be made");
                }
            }
            writeScript(dir.resolve(VmNetwork.IN_VM_SCRIPT), network == null ? VmNetwork.IN_HOST_SCRIPT : VmNetwork.inVmScript(spec.vmId()));
            long pid = launch(spec, dir, slot, address);
            LOG.info("Local VM {} started: address {}, agent pid {}, process ports {}-{}, agent shell ssh on {}:{} (user karaf, password in {}), home {}",
                    spec.vmId(), address, pid, firstPort(slot), lastProcessPort(slot), address, sshPort(slot),
                    dir.resolve("home/etc/users.properties"), dir.resolve("home"));
            return new VmRef(spec.vmId(), adapterRef(pid, address, sshPort(slot)));
        } catch (IOException e) {
            throw StratosException.unavailable("cannot create local VM " + spec.vmId() + ": " + e.getMessage(),
                    "check free disk space and permissions of " + settings.vmsDirectory());
        }
    }

    /**
     * Writes the VM's {@code agent.env} (its {@code STRATOS_AGENT_*} settings, readable by root only: it
     * holds the join token) and {@code start-agent}, then runs it. {@code start-agent} is what a VM's init
     * system would run to (re)start a crashed agent; the agent then re-adopts its running containers.
     */
    private long launch(VmSpec spec, Path dir, int slot, String address) throws IOException {
        Map<String, String> env = agentEnvironment(spec, dir, slot, address, System.getenv());
        StringBuilder text = new StringBuilder("# The whole environment of this local VM's agent (written by the local IaaS adapter)\n");
        env.forEach((key, value) -> text.append(key).append("='").append(value.replace("'", "'\\''")).append("'\n"));
        Path envFile = dir.resolve("agent.env");
        Files.writeString(envFile, text);
        Files.setPosixFilePermissions(envFile, PosixFilePermissions.fromString("rw-------"));
        Path script = dir.resolve("start-agent");
        writeScript(script, START_AGENT);
        ProcessBuilder builder = new ProcessBuilder(script.toString()).directory(dir.toFile())
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        builder.environment().clear(); // start-agent cleans it too, for whoever runs it by hand
        Process process = builder.start();
        // The script, env, setsid and bin/karaf daemon all exec: this pid is the agent's JVM, leader of its own session.
        return process.pid();
    }

    /**
     * Runs the agent with agent.env's environment only, not that of whoever starts it: agents inherited the
     * controller's EXTRA_JAVA_OPTS (its 512 MiB heap), and the agent distribution's bin/setenv then kept them.
     */
    static final String START_AGENT = """
            #!/bin/sh
            # (Re)starts this local VM's agent in its own session, as a VM's init system would, with the
            # environment of agent.env only (not that of whoever runs this script), inside the VM (./in-vm).
            cd "$(dirname "$0")" || exit 1
            if [ -z "$STRATOS_LOCAL_VM_CLEAN_ENV" ]; then
              exec /usr/bin/env -i STRATOS_LOCAL_VM_CLEAN_ENV=1 /bin/sh "$(pwd)/start-agent"
            fi
            unset STRATOS_LOCAL_VM_CLEAN_ENV
            set -a; . ./agent.env; set +a
            echo $$ > pid
            exec ./in-vm setsid home/bin/karaf daemon >> console.log 2>&1 < /dev/null
            """;

    /**
     * The agent's whole environment: a PATH and HOME, the {@code STRATOS_AGENT_*} settings the controller was started
     * with (meant for its local VMs' agents, e.g. STRATOS_AGENT_RUNTIMES), then this VM's own, which win.
     * EXTRA_JAVA_OPTS only from agentJavaOptions: else the agent distribution's bin/setenv chooses its small heap.
     */
    Map<String, String> agentEnvironment(VmSpec spec, Path dir, int slot, String address, Map<String, String> controllerEnv) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("PATH", controllerEnv.getOrDefault("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"));
        env.put("HOME", controllerEnv.getOrDefault("HOME", "/root"));
        new java.util.TreeMap<>(controllerEnv).forEach((key, value) -> {
            if (key.startsWith("STRATOS_AGENT_")) {
                env.put(key, value);
            }
        });
        env.put("JAVA_HOME", settings.javaHome().toString());
        env.put("STRATOS_AGENT_CONTROLLER_URL", network == null ? spec.controllerUrl() : controllerAccess.urlFromVm(spec.controllerUrl()));
        env.put("STRATOS_AGENT_JOIN_TOKEN", spec.joinToken());
        env.put("STRATOS_AGENT_VM_ID", spec.vmId());
        env.put("STRATOS_AGENT_PARTITION", spec.partition());
        env.put("STRATOS_AGENT_CPU_MILLIS", String.valueOf(spec.capacity().cpuMillis()));
        env.put("STRATOS_AGENT_MEMORY_MIB", String.valueOf(spec.capacity().memoryMiB()));
        env.put("STRATOS_AGENT_PORT_RANGE_START", String.valueOf(firstPort(slot)));
        env.put("STRATOS_AGENT_PORT_RANGE_END", String.valueOf(lastProcessPort(slot)));
        env.put("STRATOS_AGENT_SSH_PORT", String.valueOf(sshPort(slot)));
        if (network != null) {
            // Its own address: where it publishes its processes and its shell, as on a cloud VM.
            env.put("STRATOS_AGENT_PUBLISH_ADDRESS", address);
            env.put("STRATOS_AGENT_SSH_HOST", address);
        }
        env.put("STRATOS_AGENT_DATA_DIR", dir.resolve("agent-data").toString());
        if (!settings.agentJavaOptions().isBlank()) {
            env.put("EXTRA_JAVA_OPTS", settings.agentJavaOptions());
        }
        return env;
    }

    /**
     * Hands an operator's new join token to the VM's agent: {@code agent-data/join-token}, mode 600, written whole
     * (temporary file + rename). The running agent reads it on its next registration attempt, a restarted one too.
     */
    synchronized boolean handOverJoinToken(VmRef vm, String joinToken) {
        Path dataDir = settings.vmsDirectory().resolve(vm.vmId()).resolve("agent-data");
        if (!Files.isDirectory(dataDir.getParent())) {
            return false;
        }
        try {
            writePrivately(dataDir, "join-token", joinToken + "\n");
            LOG.info("Local VM {}: a new join token handed to its agent in {}", vm.vmId(), dataDir.resolve("join-token"));
            return true;
        } catch (IOException e) {
            LOG.warn("Cannot hand the new join token to local VM {}: {}", vm.vmId(), e.getMessage());
            return false;
        }
    }

    /** Writes a file that only its owner reads, so that it appears whole: created 600 under another name, then renamed. */
    static void writePrivately(Path dir, String name, String content) throws IOException {
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, name + ".", ".tmp",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.writeString(temp, content, StandardCharsets.UTF_8);
            Files.move(temp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    synchronized void destroy(VmRef vm) {
        Path dir = settings.vmsDirectory().resolve(vm.vmId());
        Optional<ProcessHandle> agent = agentProcess(dir);
        agent.ifPresent(handle -> {
            kill("TERM", handle.pid());
            try {
                handle.onExit().get(15, TimeUnit.SECONDS);
            } catch (Exception e) {
                kill("KILL", handle.pid());
            }
        });
        // The agent leaves its containers running on purpose (it re-adopts them after a restart);
        // a destroyed VM must not leave them behind.
        Path cleanup = dir.resolve("home/bin/stratos-agent-cleanup");
        if (Files.isExecutable(cleanup)) {
            Path inVm = dir.resolve(VmNetwork.IN_VM_SCRIPT);
            List<String> command = new ArrayList<>();
            if (Files.isExecutable(inVm)) {
                command.add(inVm.toString()); // LXC finds a VM's containers only from inside its network namespace
            }
            command.addAll(List.of(cleanup.toString(), dir.resolve("agent-data").toString(), vm.vmId()));
            try {
                commands.run(command);
            } catch (IOException e) {
                LOG.warn("Cleanup of local VM {} failed: {}", vm.vmId(), e.getMessage());
            }
        }
        VmNetwork.detach(commands, dir);
        try {
            deleteTree(dir);
        } catch (IOException e) {
            LOG.warn("Cannot delete {}: {}", dir, e.getMessage());
        }
        if (network != null && vmDirectories().stream().noneMatch(d -> vmProperties(d).getProperty("address") != null)
                && network.removeBridgeIfUnused()) {
            controllerAccess.closeRelays();
        }
        countHostNetworkVms();
        LOG.info("Local VM {} destroyed", vm.vmId());
    }

    /**
     * Every VM found from its directory, its agent alive or not: one whose agent died still holds its slot until
     * destroyed (the controller destroys those it does not know).
     */
    synchronized List<VmRef> list() {
        if (network != null) {
            // the controller that lists is the active one: after a fail-over (controllers sharing this host and its
            // VMs directory) it takes over the relays the VMs reach the controllers through, once their ports are free
            reconnectRelays();
        }
        List<VmRef> refs = new ArrayList<>();
        for (Path dir : vmDirectories()) {
            String id = dir.getFileName().toString();
            Properties properties = vmProperties(dir);
            String address = properties.getProperty("address", "127.0.0.1");
            int ssh = parseInt(properties.getProperty("sshPort"));
            refs.add(agentProcess(dir).map(p -> new VmRef(id, adapterRef(p.pid(), address, ssh)))
                    .orElseGet(() -> new VmRef(id, "stopped")));
        }
        return refs;
    }

    /** The VMs whose agent process is alive. */
    synchronized int running() {
        return (int) vmDirectories().stream().filter(dir -> agentProcess(dir).isPresent()).count();
    }

    private Optional<ProcessHandle> agentProcess(Path dir) {
        try {
            long pid = Long.parseLong(Files.readString(dir.resolve("pid")).trim());
            String home = dir.resolve("home").toString();
            // Guard against pid reuse: the process must be this VM's Karaf.
            return ProcessHandle.of(pid).filter(ProcessHandle::isAlive)
                    .filter(p -> p.info().arguments().map(args -> String.join(" ", args).contains(home)).orElse(true));
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private List<Path> vmDirectories() {
        if (!Files.isDirectory(settings.vmsDirectory())) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(settings.vmsDirectory())) {
            return dirs.filter(Files::isDirectory).filter(d -> !d.getFileName().toString().startsWith(".")).sorted().toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    private int freeSlot() {
        Set<Integer> used = new HashSet<>();
        for (Path dir : vmDirectories()) {
            used.add(parseInt(vmProperties(dir).getProperty("slot")));
        }
        for (int slot = 0; slot < settings.maxVms(); slot++) {
            if (!used.contains(slot)) {
                return slot;
            }
        }
        throw StratosException.unavailable("all " + settings.maxVms() + " local VM slots are in use",
                "raise maxVms in etc/io.stratos.lxc.iaas.local.cfg or destroy VMs");
    }

    private int firstPort(int slot) {
        return settings.portRangeStart() + slot * settings.portsPerVm();
    }

    /** The slot's last port is the agent's SSH shell; the ports before it are the processes'. */
    private int sshPort(int slot) {
        return firstPort(slot) + settings.portsPerVm() - 1;
    }

    private int lastProcessPort(int slot) {
        return sshPort(slot) - 1;
    }

    /** What the VM list shows for a local VM: its agent's pid and where its shell listens. */
    static String adapterRef(long pid, String address, int sshPort) {
        return "pid:" + pid + (sshPort > 0 ? " ssh:" + address + ":" + sshPort : "");
    }

    /** A VM directory's vm.properties; empty when it cannot be read (a VM half made or half removed). */
    private static Properties vmProperties(Path dir) {
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(dir.resolve("vm.properties"), StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException e) {
            LOG.debug("cannot read {}", dir.resolve("vm.properties"), e);
        }
        return properties;
    }

    private static int parseInt(String text) {
        try {
            return text == null ? -1 : Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /** After a controller restart: the bridge and the relay its running VMs reach the controller through. */
    private void reconnectNamespacedVms() {
        for (Path dir : vmDirectories()) {
            Properties properties = vmProperties(dir);
            if (properties.getProperty("address") == null) {
                continue;
            }
            try {
                network.ensureBridge();
                String relay = properties.getProperty("relay");
                if (relay != null) {
                    controllerAccess.ensureRelay(relay);
                }
            } catch (IOException e) {
                LOG.warn("Local VM {} cannot reach the controller again: {}", dir.getFileName(), e.getMessage());
            }
        }
    }

    private void reconnectRelays() {
        for (Path dir : vmDirectories()) {
            String relay = vmProperties(dir).getProperty("relay");
            if (relay != null) {
                try {
                    controllerAccess.ensureRelay(relay);
                } catch (IOException e) {
                    LOG.debug("Local VM {}: relay {} not taken over yet: {}", dir.getFileName(), relay, e.getMessage());
                }
            }
        }
    }

    /** Closes the relays; the bridge goes too when no VM is on it (VMs outlive the adapter, their bridge with them). */
    @Override
    public synchronized void close() {
        if (controllerAccess != null) {
            controllerAccess.closeRelays();
        }
        if (network != null && vmDirectories().stream().noneMatch(d -> vmProperties(d).getProperty("address") != null)) {
            network.removeBridgeIfUnused();
        }
    }

    /** Writes an executable script only root may read, run or change. */
    static void writeScript(Path file, String text) throws IOException {
        Files.writeString(file, text);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
    }

    /**
     * The agent distribution ships no shell user: each local VM gets user {@code karaf} with a password of its own,
     * in a file only root can read (as the VM's agent.env, which holds its join token).
     */
    static void writeShellUser(Path usersFile) throws IOException {
        byte[] secret = new byte[18];
        RANDOM.nextBytes(secret);
        String password = Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Files.deleteIfExists(usersFile);
        Files.createFile(usersFile, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(usersFile, "# The agent shell's user on this local VM (written by the local IaaS adapter; password generated for this VM)\n"
                + "karaf = " + password + ",_g_:admingroup\n"
                + "_g_\\:admingroup = group,admin,manager,viewer,systembundles,ssh\n");
    }

    private static void kill(String signal, long pid) {
        try {
            // Negative pid: the whole session/process group the agent leads.
            new ProcessBuilder("kill", "-" + signal, "--", "-" + pid).redirectErrorStream(true).start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            LOG.warn("kill -{} {} failed: {}", signal, pid, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
