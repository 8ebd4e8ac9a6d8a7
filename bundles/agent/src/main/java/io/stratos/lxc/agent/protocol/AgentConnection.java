package io.stratos.lxc.agent.protocol;

import io.stratos.lxc.api.agent.AgentCredentials;
import io.stratos.lxc.api.agent.AgentRegistration;
import io.stratos.lxc.api.agent.DesiredState;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one agent connected to its controller: registers with its kept secret or the join token (retrying with
 * back-off while the controller is unreachable or refuses), long-polls the desired state into the supervisor, and posts
 * the actual state on every change and every few seconds. Re-registers when the controller forgets it.
 */
public final class AgentConnection {

    private static final Logger LOG = LoggerFactory.getLogger(AgentConnection.class);
    static final long MAX_BACKOFF_MILLIS = 4_000;

    private final ControllerClient client;
    private final Supplier<AgentRegistration> registration;
    private final ProcessSupervisor supervisor;
    private final Consumer<AgentCredentials> registered;
    private final ScheduledExecutorService executor = Executors.newScheduledThreadPool(2, r -> {
        Thread thread = new Thread(r, "stratos-agent-connection");
        thread.setDaemon(true);
        return thread;
    });
    private volatile boolean running = true;
    private volatile AgentCredentials credentials;
    private volatile String agentVersion;
    private volatile long revision;
    private volatile String state = "starting";

    public AgentConnection(ControllerClient client, Supplier<AgentRegistration> registration, ProcessSupervisor supervisor) {
        this(client, registration, supervisor, credentials -> { });
    }

    /** @param registered told the credentials of each registration, before they are used (the agent keeps its secret) */
    public AgentConnection(ControllerClient client, Supplier<AgentRegistration> registration, ProcessSupervisor supervisor,
                           Consumer<AgentCredentials> registered) {
        this.client = client;
        this.registration = registration;
        this.supervisor = supervisor;
        this.registered = registered;
    }

    public void start() {
        executor.execute(this::pollLoop);
    }

    public void stop() {
        running = false;
        executor.shutdownNow();
    }

    /** For status views: "registered as ...", or why not. */
    public String state() {
        return state;
    }

    public boolean registered() {
        return credentials != null;
    }

    /**
     * HTTP Basic with the agent's VM id and secret, for the user API's image downloads (which admit registered
     * agents), or null before registration.
     */
    public String authorization() {
        AgentCredentials current = credentials;
        return current == null ? null : "Basic " + java.util.Base64.getEncoder().encodeToString(
                (current.agentId() + ":" + current.secret()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    private void pollLoop() {
        long backoffMillis = 500;
        while (running) {
            try {
                if (credentials == null) {
                    AgentRegistration sent = registration.get();
                    AgentCredentials answer = client.register(sent);
                    registered.accept(answer);
                    credentials = answer;
                    agentVersion = sent.agentVersion();
                    revision = 0;
                    state = "registered as " + credentials.agentId();
                    LOG.info("Registered with the controller as {}", credentials.agentId());
                    executor.scheduleWithFixedDelay(this::reportQuietly, 0,
                            Math.max(1, credentials.statusIntervalSeconds()), TimeUnit.SECONDS);
                }
                DesiredState desired = client.desired(credentials, revision,
                        Duration.ofSeconds(credentials.longPollSeconds() + 10L));
                if (desired.revision() != revision) {
                    revision = desired.revision();
                    supervisor.apply(desired);
                    reportQuietly();
                }
                backoffMillis = 500;
            } catch (ControllerClient.ControllerException e) {
                if (e.status() == 404) {
                    // The controller does not know these credentials (or the token): register again.
                    credentials = null;
                }
                backoffMillis = pause(e, backoffMillis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                backoffMillis = pause(e, backoffMillis);
            }
        }
    }

    /**
     * Waits before the next try: doubling from 0.5 s up to {@link #MAX_BACKOFF_MILLIS}, each wait shortened by up to a
     * fifth at random so that a fleet of agents does not come back in lockstep after a controller restart. The cap is
     * short because a restarted controller reconciles only once its agents are back.
     */
    private long pause(Exception e, long backoffMillis) {
        long wait = backoffMillis - java.util.concurrent.ThreadLocalRandom.current().nextLong(backoffMillis / 5 + 1);
        state = "controller unreachable or refusing (" + e.getMessage() + "), retrying in " + wait + " ms";
        LOG.warn("Agent connection: {}", state);
        try {
            Thread.sleep(wait);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            running = false;
        }
        return Math.min(backoffMillis * 2, MAX_BACKOFF_MILLIS);
    }

    /** Posts the actual state; called on changes and on a timer. */
    public void reportQuietly() {
        AgentCredentials current = credentials;
        if (current == null || !running) {
            return;
        }
        try {
            client.report(current, supervisor.report(revision).withAgentVersion(agentVersion));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            LOG.debug("Status report failed: {}", e.toString());
        }
    }
}
