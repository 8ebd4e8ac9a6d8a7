package io.stratos.lxc.agent.internal;

import io.stratos.lxc.agent.internal.image.CachedImage;
import io.stratos.lxc.agent.internal.image.ImageCache;
import io.stratos.lxc.agent.internal.image.ImageManifest;
import io.stratos.lxc.agent.net.Publishing;
import io.stratos.lxc.agent.runtime.ContainerRuntime;
import io.stratos.lxc.agent.runtime.RuntimeAvailability;
import io.stratos.lxc.agent.status.AgentImage;
import io.stratos.lxc.agent.status.AgentProcess;
import io.stratos.lxc.agent.status.AgentStatus;
import io.stratos.lxc.agent.status.AgentSummary;
import io.stratos.lxc.agent.status.LogTail;
import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.agent.DesiredProcess;
import io.stratos.lxc.api.controller.ProcessState;
import io.stratos.lxc.api.controller.Resources;
import java.lang.management.ManagementFactory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The agent's {@link AgentStatus}: reads the reconciler (desired processes and what became of them), the
 * image cache, the port allocator and the runtimes of the running agent. Reads only; a view taken while the
 * agent starts or stops shows no processes rather than failing.
 */
final class AgentStatusView implements AgentStatus {

    static final int MAX_LOG_LINES = 10_000;

    private final Supplier<AgentSettings> settings;
    private final Supplier<AgentRuntimes> runtimes;
    private final Supplier<Reconciler> reconciler;
    private final Supplier<String> connection;
    private volatile String version = "dev";

    AgentStatusView(Supplier<AgentSettings> settings, Supplier<AgentRuntimes> runtimes, Supplier<Reconciler> reconciler,
                    Supplier<String> connection) {
        this.settings = settings;
        this.runtimes = runtimes;
        this.reconciler = reconciler;
        this.connection = connection;
    }

    void version(String bundleVersion) {
        this.version = bundleVersion;
    }

    @Override
    public AgentSummary summary() {
        AgentSettings s = settings.get();
        AgentRuntimes built = runtimes.get();
        List<Reconciler.Observed> observed = observed();
        Map<String, String> runtimeStates = new LinkedHashMap<>();
        int portsInUse = 0;
        int imageCount = 0;
        long imageBytes = 0;
        long imageLimit = s.imageCacheMiB() * 1024L * 1024L;
        int fetches = 0;
        String publishAddress = "";
        List<String> sources = List.of();
        long refused = 0;
        String problem = "";
        if (built != null) {
            Publishing publishing = built.publishing();
            publishAddress = publishing.addressText();
            sources = publishing.filter().allowed().stream().map(Object::toString).toList();
            refused = publishing.filter().refusedCount();
            problem = publishing.problem() == null ? "" : publishing.problem();
            for (ContainerRuntime runtime : built.runtimes().values()) {
                RuntimeAvailability a = runtime.available();
                runtimeStates.put(runtime.name(), a.available() ? "available" : "unavailable: " + a.reason());
            }
            for (String offered : built.offered()) {
                // offered, not installed (the Docker runtime's feature comes when a docker process is wanted)
                runtimeStates.putIfAbsent(offered, "unavailable: " + built.missing(offered));
            }
            portsInUse = built.ports().inUse();
            List<CachedImage> images = built.images().list();
            imageCount = images.size();
            imageBytes = images.stream().mapToLong(CachedImage::sizeBytes).sum();
            imageLimit = built.images().maxBytes();
            fetches = built.images().fetches();
        }
        return new AgentSummary(s.vmId(), s.partition(), version, connection.get(),
                ManagementFactory.getRuntimeMXBean().getUptime(), new Resources(s.cpuMillis(), s.memoryMiB()),
                allocated(observed), observed.stream().mapToLong(o -> o.metrics().memoryBytes()).sum(),
                countByState(observed.stream().map(Reconciler.Observed::state).toList()), runtimeStates,
                s.portRangeStart(), s.portRangeEnd(), portsInUse, imageCount, imageBytes, imageLimit, fetches, publishAddress, sources,
                refused, problem);
    }

    @Override
    public List<AgentProcess> processes() {
        List<AgentProcess> result = new ArrayList<>();
        AgentRuntimes built = runtimes.get();
        for (Reconciler.Observed o : observed()) {
            DesiredProcess d = o.desired();
            String endpoint = built == null || o.hostPort() <= 0 ? "" : built.publishing().endpoint(o.hostPort());
            result.add(new AgentProcess(d.processId(), d.alias(), d.cartridge() + ":" + d.version(), d.runtime(), o.state(),
                    o.hostPort(), d.cpuMillis(), d.memoryMiB(), o.restarts(), o.metrics(), o.reason(), endpoint));
        }
        result.sort(Comparator.comparing(AgentProcess::processId));
        return result;
    }

    @Override
    public List<AgentImage> images() {
        AgentRuntimes built = runtimes.get();
        if (built == null) {
            return List.of();
        }
        ImageCache cache = built.images();
        List<AgentImage> result = new ArrayList<>();
        for (CachedImage image : cache.list()) {
            String cartridge;
            try {
                ImageManifest manifest = ImageManifest.read(image.manifest());
                cartridge = manifest.name() + ":" + manifest.version();
            } catch (StratosException e) {
                cartridge = "?";
            }
            result.add(new AgentImage(image.digest(), cartridge, image.sizeBytes(),
                    Instant.ofEpochMilli(cache.lastUsedMillis(image.digest())), cache.users(image.digest())));
        }
        result.sort(Comparator.comparing(AgentImage::lastUsed).reversed());
        return result;
    }

    @Override
    public LogTail logTail(String processId, int lines) {
        if (lines < 1 || lines > MAX_LOG_LINES) {
            throw StratosException.invalid("lines", "the number of lines must be 1 to " + MAX_LOG_LINES + ", not " + lines, null);
        }
        AgentRuntimes built = runtimes.get();
        if (built == null) {
            throw StratosException.unavailable("the agent is not running", "try again once it has started");
        }
        // The runtime that runs it; after an agent restart before the first desired state, ask each runtime.
        Optional<String> known = built.launcher().runtimeOf(processId);
        List<ContainerRuntime> candidates = known.isPresent() && built.runtimes().containsKey(known.get())
                ? List.of(built.runtimes().get(known.get())) : List.copyOf(built.runtimes().values());
        for (ContainerRuntime runtime : candidates) {
            if (!runtime.available().available()) {
                continue;
            }
            Optional<LogTail> tail = runtime.logTail(processId, lines);
            if (tail.isPresent()) {
                return tail.get();
            }
        }
        throw StratosException.notFound("no container of process '" + processId + "' on this VM", "agent:process-list shows its processes");
    }

    private List<Reconciler.Observed> observed() {
        Reconciler r = reconciler.get();
        return r == null ? List.of() : r.observed();
    }

    /** Every state, zeros included, so that a view's columns never come and go. */
    static Map<ProcessState, Integer> countByState(List<ProcessState> states) {
        Map<ProcessState, Integer> counts = new EnumMap<>(ProcessState.class);
        for (ProcessState state : ProcessState.values()) {
            counts.put(state, 0);
        }
        states.forEach(state -> counts.merge(state, 1, Integer::sum));
        return counts;
    }

    /** The requests of the processes that hold resources here (as the controller's placement counts them). */
    static Resources allocated(List<Reconciler.Observed> observed) {
        Resources sum = Resources.ZERO;
        for (Reconciler.Observed o : observed) {
            if (o.state() != ProcessState.STOPPED) {
                sum = sum.plus(new Resources(o.desired().cpuMillis(), o.desired().memoryMiB()));
            }
        }
        return sum;
    }
}
