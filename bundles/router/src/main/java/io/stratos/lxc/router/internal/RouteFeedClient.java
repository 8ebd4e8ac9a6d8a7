package io.stratos.lxc.router.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.stratos.lxc.api.router.Route;
import io.stratos.lxc.api.router.RouteChanges;
import io.stratos.lxc.api.router.RouterReport;
import java.io.IOException;
import io.stratos.lxc.net.Controllers;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backends of every alias, followed from a controller's route feed ({@code GET /stratos/router/v1/routes?since=N},
 * a long poll) by a router that runs apart from the controller. Look-ups read the last table received and never wait
 * for the controller; while it cannot be reached the last table stays in use, and {@link #problem} says since when.
 * One daemon thread polls; a failure is retried after a second, then at most every ten.
 */
final class RouteFeedClient implements BackendSource, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(RouteFeedClient.class);
    private static final ObjectMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES) // a newer controller may say more
            .build();
    /** Longer than any long poll the controller holds (desiredStateLongPollSeconds). */
    private static final Duration POLL_TIMEOUT = Duration.ofSeconds(90);
    private static final long FIRST_RETRY_MILLIS = 1_000;
    private static final long MAX_RETRY_MILLIS = 10_000;

    /** Each controller's route feed; one is followed at a time (the active one, as the controllers say). */
    private final Controllers feeds;
    private final String authorization;
    private final HttpClient http;
    private final LongSupplier clock;
    private volatile Map<String, List<Route>> table;
    private volatile long revision;
    private volatile long lastAnswerMillis;
    private volatile String problem = "";
    private volatile Consumer<Set<String>> listener = aliases -> { };
    private volatile boolean closed;
    private Thread poller;

    /**
     * @param controller    the controller's base URL, e.g. {@code http://10.0.0.5:8181}
     * @param authorization the {@code Authorization} header value of the router's user (Basic or Bearer)
     */
    RouteFeedClient(URI controller, String authorization, HttpClient http, LongSupplier clock) {
        this(List.of(controller), authorization, http, clock);
    }

    /** Several controllers sharing one database: it follows the active one and moves on when one is gone or stands by. */
    RouteFeedClient(List<URI> controllers, String authorization, HttpClient http, LongSupplier clock) {
        this.feeds = new Controllers(controllers.stream().map(RouteFeedClient::feedOf).toList(), url -> feedOf(URI.create(url)));
        this.authorization = authorization;
        this.http = http;
        this.clock = clock;
    }

    private static URI feedOf(URI controller) {
        return controller.resolve("/stratos/router/v1/routes");
    }

    /** The route feed of the controller followed now. */
    private URI routes() {
        return feeds.current();
    }

    /**
     * The controller at {@code asked} is gone or stands by: from now on follow the one it names as active when that is
     * one of ours, else the next listed; the table starts over from that controller's own revisions.
     */
    private void moveOn(URI asked, String activeUrl) {
        if (feeds.moveOn(asked, activeUrl)) {
            revision = 0; // another controller's revisions: ask it for every alias
            LOG.info("Following the routes of {} now (the one before is gone or stands by)", routes());
        }
    }

    void start() {
        poller = new Thread(this::follow, "stratos-router-feed");
        poller.setDaemon(true);
        poller.start();
    }

    @Override
    public void close() {
        closed = true;
        if (poller != null) {
            poller.interrupt();
        }
    }

    @Override
    public List<Backend> backends(String alias) {
        Map<String, List<Route>> known = table;
        if (known == null) {
            throw new SourceUnavailableException("no routes from the controller at " + routes() + " yet"
                    + (problem.isEmpty() ? "" : ": " + problem), null);
        }
        List<Route> routesOfAlias = known.get(alias);
        if (routesOfAlias == null) {
            return null;
        }
        List<Backend> backends = new ArrayList<>(routesOfAlias.size());
        for (Route route : routesOfAlias) {
            Backend backend = Backend.at(route.process(), route.endpoint());
            if (backend != null) {
                backends.add(backend);
            }
        }
        return backends;
    }

    /** Empty while the feed is followed; else what went wrong and since when the last table is in use. */
    String problem() {
        return problem;
    }

    /** The revision of the table in use (0: none yet). */
    long revision() {
        return revision;
    }

    int aliases() {
        Map<String, List<Route>> known = table;
        return known == null ? 0 : known.size();
    }

    private void follow() {
        long retry = FIRST_RETRY_MILLIS;
        while (!closed) {
            try {
                apply(poll(revision));
                if (!problem.isEmpty()) {
                    LOG.info("Routes from {} followed again at revision {}", routes(), revision);
                }
                problem = "";
                lastAnswerMillis = clock.getAsLong();
                retry = FIRST_RETRY_MILLIS;
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                String why = e.getMessage() == null ? e.toString() : e.getMessage();
                if (problem.isEmpty()) {
                    LOG.warn("Cannot follow the routes from {}: {}; {}", routes(), why,
                            table == null ? "no alias is served until it answers" : "serving the last known backends");
                }
                problem = why + (lastAnswerMillis == 0 ? "" : " (last answer " + (clock.getAsLong() - lastAnswerMillis) / 1000
                        + " s ago; serving the backends known then)");
                try {
                    Thread.sleep(retry);
                } catch (InterruptedException interrupted) {
                    return;
                }
                retry = Math.min(MAX_RETRY_MILLIS, retry * 2);
            }
        }
    }

    /**
     * Reports to the controller (POST /stratos/router/v1/traffic): the router's requests in flight, for the autoscaler;
     * the aliases it got a request for since its last report (scale to zero's quiet spells); the revision its routes
     * are at and its requests in flight per process (drains). A failure is only logged at debug: the next report
     * follows in a second.
     */
    void report(RouterReport report) {
        try {
            byte[] body = JSON.writeValueAsBytes(report);
            URI asked = routes();
            HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(asked.resolve("traffic"))
                    .header("Authorization", authorization).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(5)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (answer.statusCode() == 503) {
                moveOn(asked, answer.headers().firstValue("X-Stratos-Active").orElse(null));
            }
            if (answer.statusCode() != 204) {
                LOG.debug("The controller refused the traffic report: {} {}", answer.statusCode(),
                        new String(answer.body(), java.nio.charset.StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            LOG.debug("Cannot report traffic to {}: {}", routes(), e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Asks the controller to start a process of an alias at zero (POST /stratos/router/v1/wake); true when one is on
     * its way. Called off the event loops ({@link ColdStarts}); the new backend then arrives with the route feed.
     */
    boolean wake(String alias) {
        try {
            byte[] body = JSON.writeValueAsBytes(Map.of("alias", alias));
            URI asked = routes();
            HttpResponse<byte[]> answer = http.send(HttpRequest.newBuilder(asked.resolve("wake"))
                    .header("Authorization", authorization).header("Content-Type", "application/json")
                    .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            if (answer.statusCode() == 503) {
                moveOn(asked, answer.headers().firstValue("X-Stratos-Active").orElse(null));
            }
            if (answer.statusCode() != 200) {
                LOG.warn("The controller refused to wake '{}': {} {}", alias, answer.statusCode(),
                        new String(answer.body(), java.nio.charset.StandardCharsets.UTF_8));
                return false;
            }
            return JSON.readTree(answer.body()).path("starting").asBoolean(false);
        } catch (IOException e) {
            LOG.warn("Cannot ask {} to wake '{}': {}", routes(), alias, e.toString());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private RouteChanges poll(long since) throws IOException, InterruptedException {
        URI asked = routes();
        HttpResponse<byte[]> answer;
        try {
            answer = http.send(HttpRequest.newBuilder(URI.create(asked + "?since=" + since))
                    .header("Authorization", authorization).header("Accept", "application/json")
                    .timeout(POLL_TIMEOUT).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            moveOn(asked, null);
            throw e;
        }
        if (answer.statusCode() != 200) {
            moveOn(asked, answer.headers().firstValue("X-Stratos-Active").orElse(null));
            throw new IOException("the controller answered " + answer.statusCode() + ": "
                    + new String(answer.body(), java.nio.charset.StandardCharsets.UTF_8).replaceAll("\\s+", " "));
        }
        RouteChanges changes = JSON.readValue(answer.body(), RouteChanges.class);
        String active = answer.headers().firstValue("X-Stratos-Active").orElse(null);
        if ("standby".equals(answer.headers().firstValue("X-Stratos-Role").orElse("")) && feeds.namesOther(asked, active)) {
            // a standby's routes are good to serve; the active controller it names is the one to follow (and report to)
            apply(changes);
            moveOn(asked, active);
            return RouteChanges.none(revision);
        }
        return changes;
    }

    /**
     * Brings the table to the answer's revision: replaced when it is complete, else changed alias by alias. The
     * aliases that changed are told ({@link #onChange}) before the revision moves: a router reports a revision only
     * once its cached routes hold it too.
     */
    void apply(RouteChanges changes) {
        Map<String, List<Route>> before = table;
        Map<String, List<Route>> next = changes.complete() || before == null ? new HashMap<>() : new HashMap<>(before);
        next.putAll(changes.aliases());
        changes.removed().forEach(next::remove);
        table = Map.copyOf(next);
        Set<String> changed = new HashSet<>(changes.aliases().keySet());
        changed.addAll(changes.removed());
        if (changes.complete() && before != null) {
            changed.addAll(before.keySet());
        }
        try {
            listener.accept(changed);
        } catch (RuntimeException e) {
            LOG.warn("Applying route changes failed", e);
        }
        revision = changes.revision();
    }

    /** Who is told which aliases changed (the router's backend cache). */
    void onChange(Consumer<Set<String>> listener) {
        this.listener = listener;
    }
}
