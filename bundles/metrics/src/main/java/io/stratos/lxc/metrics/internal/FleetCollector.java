package io.stratos.lxc.metrics.internal;

import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot;
import io.prometheus.metrics.model.snapshots.InfoSnapshot.InfoDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricMetadata;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Quantile;
import io.prometheus.metrics.model.snapshots.Quantiles;
import io.prometheus.metrics.model.snapshots.SummarySnapshot;
import io.prometheus.metrics.model.snapshots.SummarySnapshot.SummaryDataPointSnapshot;
import io.stratos.lxc.api.autoscaler.Autoscaler;
import io.stratos.lxc.api.autoscaler.AutoscalerStatistics;
import io.stratos.lxc.api.controller.CartridgeProcess;
import io.stratos.lxc.api.controller.CloudController;
import io.stratos.lxc.api.controller.Partition;
import io.stratos.lxc.api.controller.PartitionVm;
import io.stratos.lxc.api.controller.ProcessMetrics;
import io.stratos.lxc.api.controller.ProcessState;
import io.stratos.lxc.api.controller.Resources;
import io.stratos.lxc.api.controller.Subscription;
import io.stratos.lxc.api.controller.SubscriptionProcesses;
import io.stratos.lxc.api.controller.VmState;
import io.stratos.lxc.api.router.AliasTraffic;
import io.stratos.lxc.api.router.LatencyHistogram;
import io.stratos.lxc.api.router.RouterMetrics;
import io.stratos.lxc.api.router.RouterStats;
import io.stratos.lxc.api.store.CartridgeStore;
import io.stratos.lxc.api.store.StoreStatistics;
import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.IntSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The fleet as Prometheus series, read from the services at scrape time (nothing is kept between scrapes). Each part
 * (controller, router, autoscaler, store) is read on its own: a service that is absent or fails leaves its series out
 * and sets {@code stratos_metrics_part_up{part}} to 0, and the scrape still answers.
 * <p>
 * Per-process series are capped ({@code maxProcessSeries}): whole subscriptions are taken, by alias, while their
 * processes fit; {@code stratos_metrics_truncated} is 1 when some were left out. Everything else is per subscription,
 * partition, VM or alias, and bounded by those.
 */
final class FleetCollector implements MultiCollector {

    private static final Logger LOG = LoggerFactory.getLogger(FleetCollector.class);

    private final Supplier<CloudController> controller;
    private final Supplier<RouterMetrics> router;
    private final Supplier<Autoscaler> autoscaler;
    private final Supplier<CartridgeStore> store;
    private final IntSupplier maxProcessSeries;
    private final Clock clock;

    FleetCollector(Supplier<CloudController> controller, Supplier<RouterMetrics> router, Supplier<Autoscaler> autoscaler,
                   Supplier<CartridgeStore> store, IntSupplier maxProcessSeries, Clock clock) {
        this.controller = controller;
        this.router = router;
        this.autoscaler = autoscaler;
        this.store = store;
        this.maxProcessSeries = maxProcessSeries;
        this.clock = clock;
    }

    /** One part of the scrape; returns normally or throws, and the caller records which. */
    private interface Part {
        void collect(List<MetricSnapshot> into);
    }

    @Override
    public MetricSnapshots collect() {
        List<MetricSnapshot> all = new ArrayList<>();
        Series up = Series.gauge("stratos_metrics_part_up",
                "1 when the part's service answered this scrape, 0 when it is absent or failed (its series are then left out)",
                "part");
        part("controller", up, all, this::controller);
        part("router", up, all, this::router);
        part("autoscaler", up, all, this::autoscaler);
        part("store", up, all, this::store);
        up.addTo(all);
        return new MetricSnapshots(all);
    }

    private void part(String name, Series up, List<MetricSnapshot> all, Part part) {
        List<MetricSnapshot> mine = new ArrayList<>();
        boolean ok;
        try {
            part.collect(mine);
            ok = true;
        } catch (ServiceAbsent e) {
            ok = false;
        } catch (RuntimeException e) {
            // e.g. the controller restarting between two calls: the next scrape sees it again
            LOG.debug("Metrics: the {} part failed this scrape: {}", name, e.toString());
            ok = false;
        }
        if (ok) {
            all.addAll(mine);
        }
        up.add(ok ? 1 : 0, name);
    }

    /** A service this part reads is not registered (now). */
    private static final class ServiceAbsent extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ServiceAbsent() {
            super(null, null, false, false);
        }
    }

    private static <T> T required(Supplier<T> service) {
        T value = service.get();
        if (value == null) {
            throw new ServiceAbsent();
        }
        return value;
    }

    // ---- controller: subscriptions, processes, partitions, VMs ----------------------------------------------------

    private void controller(List<MetricSnapshot> into) {
        CloudController cc = required(controller);
        List<Subscription> subscriptions = new ArrayList<>(cc.subscriptions());
        subscriptions.sort(Comparator.comparing(Subscription::alias));
        subscriptions(subscriptions, into);
        processes(cc, subscriptions, into);
        vms(cc.partitions(), cc.vms(), into);
    }

    private static void subscriptions(List<Subscription> subscriptions, List<MetricSnapshot> into) {
        Series count = Series.gauge("stratos_subscriptions", "Subscriptions");
        Series desired = Series.gauge("stratos_subscription_desired_processes",
                "Processes the subscription should have now (manual scale or the autoscaler)", "alias");
        Series perState = Series.gauge("stratos_subscription_processes", "Processes of the subscription, by state",
                "alias", "state");
        Series perCartridge = Series.gauge("stratos_processes", "Processes of all subscriptions, by cartridge and state",
                "cartridge", "state");
        List<InfoDataPointSnapshot> info = new ArrayList<>();
        Map<String, long[]> byCartridge = new TreeMap<>();
        ProcessState[] states = ProcessState.values();
        for (Subscription s : subscriptions) {
            info.add(InfoDataPointSnapshot.builder().labels(Labels.of("alias", s.alias(), "tenant", nonNull(s.tenant()),
                    "cartridge", nonNull(s.cartridge()), "version", nonNull(s.version()), "policy", nonNull(s.policy()))).build());
            desired.add(s.desiredProcesses(), s.alias());
            long[] totals = byCartridge.computeIfAbsent(nonNull(s.cartridge()), c -> new long[states.length]);
            Map<ProcessState, Integer> processes = s.processes() == null ? Map.of() : s.processes();
            for (ProcessState state : states) {
                int n = processes.getOrDefault(state, 0);
                // every state, 0 included: a query for RUNNING finds 0 rather than nothing
                perState.add(n, s.alias(), state.name());
                totals[state.ordinal()] += n;
            }
        }
        count.add(subscriptions.size());
        byCartridge.forEach((cartridge, totals) -> {
            for (ProcessState state : states) {
                perCartridge.add(totals[state.ordinal()], cartridge, state.name());
            }
        });
        count.addTo(into);
        if (!info.isEmpty()) {
            into.add(new InfoSnapshot(new MetricMetadata("stratos_subscription",
                    "One series per subscription: its tenant, cartridge, version and autoscale policy"), info));
        }
        desired.addTo(into);
        perState.addTo(into);
        perCartridge.addTo(into);
    }

    /** Per-process figures from the agents' reports, for whole subscriptions (by alias) while they fit the cap. */
    private void processes(CloudController cc, List<Subscription> subscriptions, List<MetricSnapshot> into) {
        int max = Math.max(0, maxProcessSeries.getAsInt());
        Set<String> chosen = new HashSet<>();
        long taken = 0;
        boolean truncated = false;
        for (Subscription s : subscriptions) {
            long n = s.processes() == null ? 0 : s.processes().values().stream().mapToLong(Integer::longValue).sum();
            if (taken + n <= max) {
                chosen.add(s.alias());
                taken += n;
            } else {
                truncated = true;
            }
        }
        Series cpu = Series.gauge("stratos_process_cpu_percent",
                "CPU the process used, in percent of one core, as its agent last reported", "alias", "process", "vm");
        Series memory = Series.gauge("stratos_process_memory_bytes", "Memory the process uses, as its agent last reported",
                "alias", "process", "vm");
        Series memoryLimit = Series.gauge("stratos_process_memory_limit_bytes", "The process's memory limit", "alias",
                "process", "vm");
        Series pids = Series.gauge("stratos_process_pids", "Tasks (processes and threads) in the process's container",
                "alias", "process", "vm");
        int written = 0;
        if (!chosen.isEmpty()) {
            for (SubscriptionProcesses sp : cc.subscriptionsWithProcesses(s -> chosen.contains(s.alias()))) {
                for (CartridgeProcess p : sp.processes()) {
                    if (p.state() == null || !p.state().holdsResources()) {
                        continue; // PENDING and STOPPED processes have no container to measure
                    }
                    if (written >= max) {
                        truncated = true; // grew between the two calls
                        break;
                    }
                    ProcessMetrics m = p.metrics() == null ? ProcessMetrics.NONE : p.metrics();
                    cpu.add(m.cpuPercent(), p.alias(), p.id(), p.vmId());
                    memory.add(m.memoryBytes(), p.alias(), p.id(), p.vmId());
                    memoryLimit.add(m.memoryLimitBytes(), p.alias(), p.id(), p.vmId());
                    pids.add(m.pids(), p.alias(), p.id(), p.vmId());
                    written++;
                }
            }
        }
        cpu.addTo(into);
        memory.addTo(into);
        memoryLimit.addTo(into);
        pids.addTo(into);
        Series.gauge("stratos_metrics_process_series_limit",
                "At most this many processes get per-process series (PID io.stratos.lxc.metrics, maxProcessSeries)")
                .add(max).addTo(into);
        Series.gauge("stratos_metrics_truncated",
                "1 when per-process series were left out for subscriptions beyond maxProcessSeries processes")
                .add(truncated ? 1 : 0).addTo(into);
    }

    private void vms(List<Partition> partitions, List<PartitionVm> vms, List<MetricSnapshot> into) {
        Series byState = Series.gauge("stratos_vms", "VMs of the partition, by state", "partition", "state");
        Series desired = Series.gauge("stratos_partition_desired_vms", "VMs the partition should have now", "partition");
        Series pending = Series.gauge("stratos_partition_pending_processes",
                "Processes of the partition's cartridge that no VM has room for", "partition");
        Series cpuCapacity = Series.gauge("stratos_partition_cpu_capacity_cores", "CPU of all the partition's VMs", "partition");
        Series cpuAllocated = Series.gauge("stratos_partition_cpu_allocated_cores",
                "CPU requested by the processes placed on the partition's VMs", "partition");
        Series cpuFree = Series.gauge("stratos_partition_cpu_free_cores",
                "CPU not yet allocated on the partition's READY VMs (where new processes go)", "partition");
        Series memCapacity = Series.gauge("stratos_partition_memory_capacity_bytes", "Memory of all the partition's VMs",
                "partition");
        Series memAllocated = Series.gauge("stratos_partition_memory_allocated_bytes",
                "Memory requested by the processes placed on the partition's VMs", "partition");
        Series memFree = Series.gauge("stratos_partition_memory_free_bytes",
                "Memory not yet allocated on the partition's READY VMs (where new processes go)", "partition");
        Series age = Series.gauge("stratos_vm_report_age_seconds",
                "Seconds since the VM's agent last reported (agent report lag); VMs whose agent never registered are left out",
                "partition", "vm");
        Map<String, int[]> states = new TreeMap<>();
        Map<String, long[]> capacity = new TreeMap<>(); // cpu capacity, cpu allocated, cpu free, memory ... (MiB)
        for (Partition p : partitions) {
            states.put(p.name(), new int[VmState.values().length]);
            capacity.put(p.name(), new long[6]);
            desired.add(p.desiredVms(), p.name());
            pending.add(p.pending(), p.name());
        }
        Instant now = clock.instant();
        for (PartitionVm vm : vms) {
            int[] s = states.computeIfAbsent(vm.partition(), k -> new int[VmState.values().length]);
            long[] c = capacity.computeIfAbsent(vm.partition(), k -> new long[6]);
            if (vm.state() != null) {
                s[vm.state().ordinal()]++;
            }
            Resources cap = vm.capacity() == null ? Resources.ZERO : vm.capacity();
            Resources used = vm.allocated() == null ? Resources.ZERO : vm.allocated();
            c[0] += cap.cpuMillis();
            c[1] += used.cpuMillis();
            c[3] += cap.memoryMiB();
            c[4] += used.memoryMiB();
            if (vm.state() == VmState.READY) {
                c[2] += Math.max(0, cap.cpuMillis() - used.cpuMillis());
                c[5] += Math.max(0, cap.memoryMiB() - used.memoryMiB());
            }
            if (vm.lastHeartbeat() != null) {
                try {
                    double seconds = (now.toEpochMilli() - Instant.parse(vm.lastHeartbeat()).toEpochMilli()) / 1000.0;
                    age.add(Math.max(0, seconds), vm.partition(), vm.id());
                } catch (DateTimeParseException e) {
                    // not an instant: say nothing rather than a wrong age
                }
            }
        }
        states.forEach((partition, counts) -> {
            for (VmState state : VmState.values()) {
                byState.add(counts[state.ordinal()], partition, state.name());
            }
        });
        double mib = 1024.0 * 1024.0;
        capacity.forEach((partition, c) -> {
            cpuCapacity.add(c[0] / 1000.0, partition);
            cpuAllocated.add(c[1] / 1000.0, partition);
            cpuFree.add(c[2] / 1000.0, partition);
            memCapacity.add(c[3] * mib, partition);
            memAllocated.add(c[4] * mib, partition);
            memFree.add(c[5] * mib, partition);
        });
        for (Series series : List.of(byState, desired, pending, cpuCapacity, cpuAllocated, cpuFree, memCapacity, memAllocated,
                memFree, age)) {
            series.addTo(into);
        }
    }

    // ---- router -----------------------------------------------------------------------------------------------------

    private void router(List<MetricSnapshot> into) {
        RouterMetrics metrics = required(router);
        RouterStats stats = metrics.stats();
        Series.gauge("stratos_router_listening", "1 while the router listens on its port").add(stats.listening() ? 1 : 0)
                .addTo(into);
        Series requests = Series.counter("stratos_router_requests", "Requests of the alias answered or failed", "alias");
        Series errors = Series.counter("stratos_router_errors",
                "Requests of the alias answered 5xx (by the process or the router) or failed at the backend", "alias");
        Series inFlight = Series.gauge("stratos_router_requests_in_flight", "Requests of the alias being served now", "alias");
        Series backends = Series.gauge("stratos_router_backends", "RUNNING processes the router spreads the alias over", "alias");
        Series down = Series.gauge("stratos_router_backends_down",
                "Of those, the ones marked down after a connection failure", "alias");
        List<HistogramDataPointSnapshot> histograms = new ArrayList<>();
        List<SummaryDataPointSnapshot> summaries = new ArrayList<>();
        for (AliasTraffic t : stats.aliases()) {
            requests.add(t.requests(), t.alias());
            errors.add(t.errors(), t.alias());
            inFlight.add(t.requestsInFlight(), t.alias());
            backends.add(t.backends(), t.alias());
            down.add(t.backendsDown(), t.alias());
            LatencyHistogram histogram = metrics.latencyHistogram(t.alias());
            if (histogram != null) {
                histograms.add(histogram(t.alias(), histogram));
            } else {
                // the router keeps no buckets for us: its p50 and p99, as a summary
                summaries.add(SummaryDataPointSnapshot.builder().labels(Labels.of("alias", t.alias())).count(t.requests())
                        .quantiles(Quantiles.of(new Quantile(0.5, t.latencyP50Millis() / 1000.0),
                                new Quantile(0.99, t.latencyP99Millis() / 1000.0)))
                        .build());
            }
        }
        for (Series series : List.of(requests, errors, inFlight, backends, down)) {
            series.addTo(into);
        }
        String help = "Request duration through the router, by alias";
        if (!histograms.isEmpty()) {
            into.add(new HistogramSnapshot(new MetricMetadata("stratos_router_request_duration_seconds", help), histograms));
        } else if (!summaries.isEmpty()) {
            into.add(new SummarySnapshot(new MetricMetadata("stratos_router_request_duration_seconds", help), summaries));
        }
    }

    private static HistogramDataPointSnapshot histogram(String alias, LatencyHistogram histogram) {
        int n = histogram.counts().size();
        double[] bounds = new double[n];
        long[] counts = new long[n];
        for (int i = 0; i < n; i++) {
            bounds[i] = histogram.upperBoundsSeconds().get(i);
            counts[i] = histogram.counts().get(i);
        }
        if (n == 0 || bounds[n - 1] != Double.POSITIVE_INFINITY) {
            bounds = java.util.Arrays.copyOf(bounds, n + 1);
            counts = java.util.Arrays.copyOf(counts, n + 1);
            bounds[n] = Double.POSITIVE_INFINITY;
        }
        return HistogramDataPointSnapshot.builder().labels(Labels.of("alias", alias))
                .classicHistogramBuckets(ClassicHistogramBuckets.of(bounds, counts)).build();
    }

    // ---- autoscaler and store ---------------------------------------------------------------------------------------

    private void autoscaler(List<MetricSnapshot> into) {
        AutoscalerStatistics s = required(autoscaler).statistics();
        Series.counter("stratos_autoscaler_decisions",
                "Scaling decisions the controller took since the autoscaler started, by level (subscription: processes, partition: VMs) and direction",
                "level", "direction")
                .add(s.subscriptionsUp(), "subscription", "up").add(s.subscriptionsDown(), "subscription", "down")
                .add(s.partitionsUp(), "partition", "up").add(s.partitionsDown(), "partition", "down").addTo(into);
        into.add(new SummarySnapshot(new MetricMetadata("stratos_autoscaler_pass_duration_seconds",
                "Evaluation passes of the autoscaler (both levels) and the time they took"),
                List.of(SummaryDataPointSnapshot.builder().count(s.passes()).sum(s.passSecondsTotal()).build())));
        Series.gauge("stratos_autoscaler_last_pass_duration_seconds", "Seconds the autoscaler's last pass took")
                .add(s.lastPassSeconds()).addTo(into);
    }

    private void store(List<MetricSnapshot> into) {
        StoreStatistics s = required(store).statistics();
        Series.gauge("stratos_store_bytes", "Bytes of all stored image blobs").add(s.bytes()).addTo(into);
        Series.gauge("stratos_store_blobs", "Distinct image blobs stored").add(s.blobs()).addTo(into);
        Series.gauge("stratos_store_images", "Cartridge versions stored").add(s.images()).addTo(into);
        Series.gauge("stratos_store_cartridges", "Cartridges stored").add(s.cartridges()).addTo(into);
        Series.counter("stratos_store_uploads", "Image uploads accepted since start (repeats of stored bytes included)")
                .add(s.uploads()).addTo(into);
        Series.counter("stratos_store_upload_duplicates", "Of those, repeats of bytes already stored")
                .add(s.duplicates()).addTo(into);
        Series.counter("stratos_store_upload_rejects", "Image uploads refused since start").add(s.rejects()).addTo(into);
        Series.counter("stratos_store_downloads", "Image blobs opened for download since start").add(s.downloads())
                .addTo(into);
    }

    private static String nonNull(String value) {
        return value == null ? "" : value;
    }
}
