package io.stratos.lxc.agent.internal.appmetrics;

import io.stratos.lxc.api.agent.DesiredProcess;
import io.stratos.lxc.api.controller.ProcessMetrics;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * The application metrics of this VM's processes: for a process whose subscription's policy names some
 * ({@link DesiredProcess#applicationMetrics()}) and whose cartridge declares {@code "metrics": {"http": path}}, a
 * {@link BoundedScrape} of that path on the process's own published address at most once per reconciliation pass,
 * asynchronously (a slow process never holds up the pass), and the last values or the reason they were ignored,
 * for the status report.
 */
public final class ApplicationMetrics {

    /** Bounds of one scrape: enough for thousands of samples, small against the agent's heap and its report. */
    public static final int MAX_BYTES = 64 * 1024;
    public static final Duration TIMEOUT = Duration.ofSeconds(1);

    private record Last(Map<String, Double> values, String problem) {
    }

    private final BoundedScrape scrape;
    private final Function<String, Optional<String>> metricsPath;
    private final IntFunction<String> endpoint;
    private final Map<String, Last> last = new ConcurrentHashMap<>();
    private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

    /**
     * @param metricsPath by image digest: its manifest's {@code metrics.http}, empty when it declares none
     * @param endpoint    by host port: where a process is reached ({@code host:port})
     */
    public ApplicationMetrics(BoundedScrape scrape, Function<String, Optional<String>> metricsPath, IntFunction<String> endpoint) {
        this.scrape = scrape;
        this.metricsPath = metricsPath;
        this.endpoint = endpoint;
    }

    public ApplicationMetrics(Function<String, Optional<String>> metricsPath, IntFunction<String> endpoint) {
        this(new BoundedScrape(MAX_BYTES, TIMEOUT), metricsPath, endpoint);
    }

    /** Starts a scrape of a RUNNING process unless one is still under way; returns at once. */
    public void scrape(DesiredProcess process, int hostPort) {
        String id = process.processId();
        List<String> wanted = process.applicationMetrics();
        if (wanted.isEmpty() || hostPort <= 0) {
            last.remove(id);
            return;
        }
        Optional<String> path;
        try {
            path = metricsPath.apply(process.imageDigest());
        } catch (RuntimeException e) {
            path = Optional.empty();
        }
        if (path.isEmpty()) {
            last.put(id, new Last(Map.of(), "its cartridge declares no \"metrics\": {\"http\": ...} to read "
                    + String.join(", ", wanted) + " from"));
            return;
        }
        if (!inFlight.add(id)) {
            return;
        }
        String where = "metrics GET " + path.get() + ": ";
        CompletableFuture<String> answer;
        try {
            answer = scrape.get(URI.create("http://" + endpoint.apply(hostPort) + path.get()));
        } catch (RuntimeException e) {
            inFlight.remove(id);
            last.put(id, new Last(Map.of(), where + e.getMessage() + "; ignored"));
            return;
        }
        answer.handle((text, failure) -> {
            try {
                last.put(id, failure != null ? new Last(Map.of(), where + reason(failure) + "; ignored")
                        : read(where, text, wanted));
            } finally {
                inFlight.remove(id);
            }
            return null;
        });
    }

    private static Last read(String where, String text, List<String> wanted) {
        try {
            Map<String, Double> values = OpenMetricsText.values(text, wanted);
            List<String> missing = new ArrayList<>(wanted);
            missing.removeAll(values.keySet());
            values.values().removeIf(v -> !Double.isFinite(v));
            return new Last(values, missing.isEmpty() ? null : where + "no sample of " + String.join(", ", missing));
        } catch (OpenMetricsText.Malformed e) {
            return new Last(Map.of(), where + "not OpenMetrics or Prometheus text (" + e.getMessage() + "); ignored");
        }
    }

    private static String reason(Throwable failure) {
        Throwable cause = failure.getCause() != null && !(failure instanceof BoundedScrape.Refused) ? failure.getCause() : failure;
        return cause instanceof BoundedScrape.Refused ? cause.getMessage() : "no answer: " + cause;
    }

    /** The process's resource metrics with its last application metrics (or why there are none). */
    public ProcessMetrics decorate(String processId, ProcessMetrics metrics) {
        Last l = last.get(processId);
        return l == null ? metrics : metrics.withApplication(l.values(), l.problem());
    }

    /** Forgets the processes no longer desired. */
    public void retain(Set<String> processIds) {
        last.keySet().retainAll(processIds);
    }
}
