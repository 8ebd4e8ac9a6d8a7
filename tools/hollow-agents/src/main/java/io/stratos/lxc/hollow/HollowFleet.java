package io.stratos.lxc.hollow;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.stratos.lxc.api.agent.AgentCredentials;
import io.stratos.lxc.api.agent.AgentRegistration;
import io.stratos.lxc.api.agent.AgentReport;
import io.stratos.lxc.api.agent.DesiredProcess;
import io.stratos.lxc.api.agent.DesiredState;
import io.stratos.lxc.api.agent.ProcessReport;
import io.stratos.lxc.api.controller.ProcessMetrics;
import io.stratos.lxc.api.controller.ProcessState;
import io.stratos.lxc.api.controller.Resources;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Simulated agents: each VM the 'hollow' adapter writes to its spool file becomes an agent that registers with its
 * join token, long-polls its desired state and posts status reports, all over HTTP with the real protocol types.
 * It runs nothing: every desired process is reported RUNNING at once, with synthetic metrics (CPU around a
 * target, so autoscaling policies have something to evaluate). One {@link HttpClient} and asynchronous requests:
 * thousands of long polls wait on connections, not threads.
 */
public final class HollowFleet implements AutoCloseable {

    /** One answered long poll that brought a new revision. */
    public record Delivery(String vmId, long revision, int processes, long receivedMillis) {
    }

    private final Path spool;
    private final double cpuPercent;
    private final HttpClient http;
    private final ObjectMapper json = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hollow-timer");
        t.setDaemon(true);
        return t;
    });
    /** Registrations at once: a burst of thousands would only queue in the controller. */
    private final Semaphore registering = new Semaphore(32);
    /**
     * Status reports on their way at once. Each takes a connection besides the agent's long poll; unbounded, a slow
     * controller had 10,000 of them open and both processes hit their 20,000 open files. Waiting ones queue here.
     */
    static final int REPORTS_IN_FLIGHT = 256;
    private final Semaphore reportSlots = new Semaphore(REPORTS_IN_FLIGHT);
    private final ConcurrentLinkedQueue<Agent> reportQueue = new ConcurrentLinkedQueue<>();
    private final Map<String, Agent> agents = new ConcurrentHashMap<>();
    private final ConcurrentLinkedQueue<Delivery> deliveries = new ConcurrentLinkedQueue<>();
    private final AtomicLong registered = new AtomicLong();
    private final AtomicLong reports = new AtomicLong();
    private final AtomicLong polls = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private volatile String lastError = "";
    private long spoolOffset;
    private volatile boolean closed;

    public HollowFleet(Path spool, double cpuPercent) {
        this.spool = spool;
        this.cpuPercent = cpuPercent;
        this.http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10))
                .executor(Executors.newFixedThreadPool(2, r -> {
                    Thread t = new Thread(r, "hollow-http");
                    t.setDaemon(true);
                    return t;
                })).build();
        timer.scheduleWithFixedDelay(this::followSpool, 0, 100, TimeUnit.MILLISECONDS);
    }

    // ---- views for the benchmark driver ----------------------------------------------------------

    public int agents() {
        return agents.size();
    }

    public long registered() {
        return registered.get();
    }

    public long reports() {
        return reports.get();
    }

    public long polls() {
        return polls.get();
    }

    public long errors() {
        return errors.get();
    }

    public String lastError() {
        return lastError;
    }

    /** Deliveries received at or after {@code sinceMillis}. */
    public List<Delivery> deliveriesSince(long sinceMillis) {
        List<Delivery> out = new ArrayList<>();
        for (Delivery d : deliveries) {
            if (d.receivedMillis >= sinceMillis) {
                out.add(d);
            }
        }
        return out;
    }

    public void forgetDeliveries() {
        deliveries.clear();
    }

    /** Processes the agents run (as they report them). */
    public long runningProcesses() {
        long n = 0;
        for (Agent a : agents.values()) {
            DesiredState d = a.desired;
            n += d == null ? 0 : d.processes().size();
        }
        return n;
    }

    // ---- the spool ---------------------------------------------------------------------------------

    private void followSpool() {
        if (closed || !Files.isRegularFile(spool)) {
            return;
        }
        try (RandomAccessFile file = new RandomAccessFile(spool.toFile(), "r")) {
            if (file.length() <= spoolOffset) {
                return;
            }
            file.seek(spoolOffset);
            byte[] bytes = new byte[(int) (file.length() - spoolOffset)];
            file.readFully(bytes);
            String text = new String(bytes, StandardCharsets.UTF_8);
            int end = text.lastIndexOf('\n');
            if (end < 0) {
                return;
            }
            spoolOffset += text.substring(0, end + 1).getBytes(StandardCharsets.UTF_8).length;
            for (String line : text.substring(0, end).split("\n")) {
                String[] f = line.split(" ");
                if (f[0].equals("create") && f.length >= 7) {
                    Agent a = new Agent(f[1], f[2], f[3], f[4], new Resources(Integer.parseInt(f[5]), Integer.parseInt(f[6])));
                    if (agents.putIfAbsent(a.vmId, a) == null) {
                        a.register();
                    }
                } else if (f[0].equals("destroy") && f.length >= 2) {
                    Agent a = agents.remove(f[1]);
                    if (a != null) {
                        a.stopped = true;
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            error("spool: " + e);
        }
    }

    private void error(String what) {
        errors.incrementAndGet();
        lastError = what;
    }

    @Override
    public void close() {
        closed = true;
        agents.values().forEach(a -> a.stopped = true);
        timer.shutdownNow();
    }

    // ---- one simulated agent -----------------------------------------------------------------------

    private final class Agent {
        final String vmId;
        final String joinToken;
        final URI agentApi;
        final String partition;
        final Resources capacity;
        volatile AgentCredentials credentials;
        volatile DesiredState desired;
        volatile boolean stopped;
        /** A report is on its way; another change meanwhile sends one more after it. */
        private boolean reporting;
        private boolean reportAgain;

        Agent(String vmId, String joinToken, String controllerUrl, String partition, Resources capacity) {
            this.vmId = vmId;
            this.joinToken = joinToken;
            this.agentApi = URI.create(controllerUrl.endsWith("/") ? controllerUrl : controllerUrl + "/").resolve("agent/v1/");
            this.partition = partition;
            this.capacity = capacity;
        }

        void register() {
            try {
                registering.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            // the join token works once: a registration again (after a refusal) sends the secret it got, if any
            AgentCredentials known = credentials;
            AgentRegistration registration = new AgentRegistration(joinToken, vmId, partition, capacity, List.of("lxc"),
                    List.of(), "hollow", known == null ? null : known.secret());
            http.sendAsync(post(agentApi.resolve("register"), null, registration), HttpResponse.BodyHandlers.ofByteArray())
                    .whenComplete((response, failure) -> {
                        registering.release();
                        if (stopped) {
                            return;
                        }
                        if (failure != null || response.statusCode() != 200) {
                            error("register " + vmId + ": " + (failure != null ? failure : response.statusCode() + " " + body(response)));
                            timer.schedule(this::register, 1, TimeUnit.SECONDS);
                            return;
                        }
                        try {
                            credentials = json.readValue(response.body(), AgentCredentials.class);
                        } catch (IOException e) {
                            error("register answer: " + e);
                            return;
                        }
                        registered.incrementAndGet();
                        poll(0);
                        long interval = TimeUnit.SECONDS.toMillis(credentials.statusIntervalSeconds());
                        timer.scheduleAtFixedRate(() -> {
                            if (!stopped) {
                                report();
                            }
                        }, ThreadLocalRandom.current().nextLong(interval), interval, TimeUnit.MILLISECONDS);
                    });
        }

        void poll(long since) {
            if (stopped) {
                return;
            }
            HttpRequest request = HttpRequest.newBuilder(agentApi.resolve("agents/" + vmId + "/desired?since=" + since))
                    .timeout(Duration.ofSeconds(credentials.longPollSeconds() + 30L))
                    .header("Authorization", "Bearer " + credentials.secret()).GET().build();
            http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray()).whenComplete((response, failure) -> {
                long received = System.currentTimeMillis();
                polls.incrementAndGet();
                if (failure != null || response.statusCode() != 200) {
                    error("desired " + vmId + ": " + (failure != null ? failure : response.statusCode() + " " + body(response)));
                    timer.schedule(() -> poll(since), 1, TimeUnit.SECONDS);
                    return;
                }
                long next = since;
                try {
                    DesiredState state = json.readValue(response.body(), DesiredState.class);
                    next = state.revision();
                    if (state.revision() != since) {
                        desired = state;
                        deliveries.add(new Delivery(vmId, state.revision(), state.processes().size(), received));
                        report();
                    }
                } catch (IOException e) {
                    error("desired answer: " + e);
                }
                poll(next);
            });
        }

        void report() {
            synchronized (this) {
                if (reporting) {
                    reportAgain = true;
                    return;
                }
                reporting = true;
            }
            if (reportSlots.tryAcquire()) {
                send();
            } else {
                reportQueue.add(this);
            }
        }

        /** Sends the report, holding one of the report slots. */
        void send() {
            DesiredState state = desired;
            List<ProcessReport> processes = new ArrayList<>();
            List<String> images = new ArrayList<>();
            int port = 20000;
            ThreadLocalRandom random = ThreadLocalRandom.current();
            if (state != null) {
                for (DesiredProcess p : state.processes()) {
                    ProcessMetrics metrics = new ProcessMetrics(cpuPercent + random.nextDouble(-2, 2), 12L << 20,
                            (long) p.memoryMiB() << 20, 3, random.nextInt(0, 3));
                    processes.add(new ProcessReport(p.processId(), ProcessState.RUNNING, port++, "", metrics));
                    if (p.imageDigest() != null && !images.contains(p.imageDigest())) {
                        images.add(p.imageDigest());
                    }
                }
            }
            AgentReport report = new AgentReport(state == null ? 0 : state.revision(), processes, images, "hollow");
            http.sendAsync(post(agentApi.resolve("agents/" + vmId + "/status"), credentials, report),
                    HttpResponse.BodyHandlers.ofByteArray()).whenComplete((response, failure) -> {
                        reports.incrementAndGet();
                        passSlot();
                        if (failure != null || response.statusCode() >= 300) {
                            error("status " + vmId + ": " + (failure != null ? failure : response.statusCode() + " " + body(response)));
                        }
                        boolean again;
                        synchronized (this) {
                            reporting = false;
                            again = reportAgain;
                            reportAgain = false;
                        }
                        if (again && !stopped) {
                            report();
                        }
                    });
        }
    }

    /** A report finished: its slot goes to the next queued report, or back. */
    private void passSlot() {
        Agent next = reportQueue.poll();
        if (next != null) {
            next.send();
            return;
        }
        reportSlots.release();
        // one queued between the poll and the release would wait for the next report's end: take it now
        if (!reportQueue.isEmpty() && reportSlots.tryAcquire()) {
            Agent late = reportQueue.poll();
            if (late != null) {
                late.send();
            } else {
                reportSlots.release();
            }
        }
    }

    private HttpRequest post(URI uri, AgentCredentials credentials, Object body) {
        try {
            HttpRequest.Builder builder = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body)));
            if (credentials != null) {
                builder.header("Authorization", "Bearer " + credentials.secret());
            }
            return builder.build();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String body(HttpResponse<byte[]> response) {
        String text = new String(response.body(), StandardCharsets.UTF_8);
        return text.length() > 200 ? text.substring(0, 200) : text;
    }
}
