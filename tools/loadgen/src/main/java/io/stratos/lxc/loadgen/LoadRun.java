package io.stratos.lxc.loadgen;

import java.io.IOException;
import java.net.ConnectException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

/**
 * One running load: started by {@link LoadGenerator#start}, it ends by itself when its schedule ends or
 * its request budget is spent, or earlier by {@link #stop()}. The level can be set by hand while it
 * runs ({@link #level(double)}), e.g. by a test that waits for a scale decision before lowering it;
 * the schedule's end still bounds the run.
 */
public final class LoadRun implements AutoCloseable {

    private final LoadPlan plan;
    private final HttpClient client;
    private final ExecutorService clientExecutor;
    private final long startNanos;
    private final long endNanos;
    private final Recorder recorder;
    private final AtomicReference<Double> manualLevel = new AtomicReference<>();
    private final List<Double> levelPerInterval = new ArrayList<>();
    private final AtomicLong budget;
    private final AtomicInteger outstanding = new AtomicInteger();
    private final CountDownLatch finished = new CountDownLatch(1);
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean stopping;
    private volatile long stoppedNanos = -1;

    LoadRun(LoadPlan plan, HttpClient client, ExecutorService clientExecutor) {
        this.plan = plan;
        this.client = client;
        this.clientExecutor = clientExecutor;
        this.startNanos = System.nanoTime();
        this.endNanos = startNanos + plan.schedule().total().toNanos();
        this.recorder = new Recorder(startNanos, System.currentTimeMillis(), plan.interval().toNanos());
        this.budget = new AtomicLong(plan.maxRequests());
    }

    void begin() {
        Thread keeper = daemon("loadgen-keeper", this::keep);
        threads.add(keeper);
        if (plan.mode() == LoadPlan.Mode.CLOSED) {
            int clients = (int) Math.max(1, plan.schedule().maxLevel());
            for (int i = 0; i < clients; i++) {
                int number = i;
                threads.add(daemon("loadgen-client-" + i, () -> client(number)));
            }
        } else {
            threads.add(daemon("loadgen-dispatcher", this::dispatch));
        }
        threads.forEach(Thread::start);
    }

    private static Thread daemon(String name, Runnable body) {
        Thread thread = new Thread(body, name);
        thread.setDaemon(true);
        return thread;
    }

    /** The level now: set by hand, else the schedule's. */
    public double level() {
        Double manual = manualLevel.get();
        return manual != null ? manual : plan.schedule().levelAt(elapsedMillis());
    }

    /** Sets the level by hand from now on (requests/s or clients, within the plan's maximum). */
    public void level(double value) {
        double max = plan.mode() == LoadPlan.Mode.CLOSED ? plan.schedule().maxLevel() : LoadPlan.MAX_RATE;
        if (!(value >= 0) || value > max) {
            throw new IllegalArgumentException("level " + value + " is outside 0.." + max + " for this run");
        }
        manualLevel.set(value);
    }

    public long elapsedMillis() {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    public boolean running() {
        return finished.getCount() > 0;
    }

    /** Stops sending now; requests in flight complete (or time out). */
    public void stop() {
        if (!stopping) {
            stoppedNanos = System.nanoTime();
            stopping = true;
        }
    }

    /** Waits for the end of the run (schedule, budget or {@link #stop()}) and its requests, then gives the record. */
    public LoadResult await() throws InterruptedException {
        finished.await();
        return result();
    }

    /** The record so far: every interval that has ended (all of them once the run is over). */
    public LoadResult result() {
        boolean over = !running();
        long now = System.nanoTime();
        // While it runs: the intervals that have ended. Once over: up to the stop, and any later interval
        // in which a request still in flight at the stop completed.
        int stopped = recorder.indexAt(stoppedNanos > 0 ? stoppedNanos : endNanos) + 1;
        int complete = over ? Math.max(stopped, recorder.lastIndex() + 1) : recorder.indexAt(now);
        List<Interval> intervals;
        synchronized (levelPerInterval) {
            intervals = recorder.intervals(complete, i -> i < levelPerInterval.size() ? levelPerInterval.get(i)
                    : over && i >= stopped ? 0 : plan.schedule().levelAt(i * plan.interval().toMillis()));
        }
        return new LoadResult(plan, intervals);
    }

    @Override
    public void close() throws InterruptedException {
        stop();
        finished.await(plan.timeout().toMillis() + 5_000, TimeUnit.MILLISECONDS);
    }

    // ---------------------------------------------------------------- workers

    private boolean over() {
        return stopping || System.nanoTime() - endNanos >= 0;
    }

    /** Notes each interval's level, ends the run, waits for its requests, releases the client's threads. */
    private void keep() {
        try {
            long intervalNanos = plan.interval().toNanos();
            while (!over() && budget.get() > 0) {
                synchronized (levelPerInterval) {
                    while (levelPerInterval.size() <= recorder.indexAt(System.nanoTime())) {
                        levelPerInterval.add(level());
                    }
                }
                LockSupport.parkNanos(Math.min(intervalNanos / 4, 10_000_000L));
            }
            stop();
            for (Thread thread : threads) {
                if (thread != Thread.currentThread()) {
                    thread.join(plan.timeout().toMillis() + 5_000);
                }
            }
            long deadline = System.nanoTime() + plan.timeout().toNanos() + 1_000_000_000L;
            while (outstanding.get() > 0 && System.nanoTime() - deadline < 0) {
                LockSupport.parkNanos(5_000_000L);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            clientExecutor.shutdown();
            finished.countDown();
        }
    }

    private boolean takeBudget() {
        return budget.getAndDecrement() > 0;
    }

    /** Closed loop: client {@code number} sends one request after another while the level has it on. */
    private void client(int number) {
        while (!over()) {
            if (number >= (int) level()) {
                LockSupport.parkNanos(5_000_000L);
                continue;
            }
            if (!takeBudget()) {
                return;
            }
            long sent = System.nanoTime();
            recorder.sent(sent);
            try {
                HttpResponse<Void> response = client.send(request(), HttpResponse.BodyHandlers.discarding());
                complete(sent, response.statusCode(), null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException e) {
                complete(sent, 0, e);
            }
        }
    }

    /** Open loop: sends at the level's rate whatever the answers, asynchronously. */
    private void dispatch() {
        double credit = 0;
        long last = System.nanoTime();
        while (!over()) {
            long now = System.nanoTime();
            credit += level() * (now - last) / 1e9;
            last = now;
            credit = Math.min(credit, Math.max(1, level())); // no burst after a pause longer than a second
            while (credit >= 1 && !over()) {
                credit -= 1;
                if (!takeBudget()) {
                    return;
                }
                long sent = System.nanoTime();
                if (outstanding.get() >= plan.maxOutstanding()) {
                    recorder.failed("overload", -1, sent);
                    continue;
                }
                recorder.sent(sent);
                outstanding.incrementAndGet();
                client.sendAsync(request(), HttpResponse.BodyHandlers.discarding()).whenComplete((response, error) -> {
                    outstanding.decrementAndGet();
                    complete(sent, response == null ? 0 : response.statusCode(), error);
                });
            }
            LockSupport.parkNanos(500_000L);
        }
    }

    private HttpRequest request() {
        HttpRequest.Builder builder = HttpRequest.newBuilder(plan.target()).timeout(plan.timeout())
                .method(plan.method(), HttpRequest.BodyPublishers.noBody());
        if (plan.hostHeader() != null) {
            builder.header("Host", plan.hostHeader());
        }
        return builder.build();
    }

    private void complete(long sent, int status, Throwable error) {
        long done = System.nanoTime();
        if (error == null && status > 0 && status < 400) {
            recorder.ok(sent, done);
        } else {
            recorder.failed(error == null ? "http_" + status : kind(error), sent, done);
        }
    }

    static String kind(Throwable error) {
        Throwable e = error;
        while (e instanceof CompletionException && e.getCause() != null) {
            e = e.getCause();
        }
        if (e instanceof HttpConnectTimeoutException || e instanceof ConnectException
                || (e != null && e.getCause() instanceof ConnectException)) {
            return "connect";
        }
        if (e instanceof HttpTimeoutException) {
            return "timeout";
        }
        if (e instanceof IOException) {
            return "io";
        }
        return "other";
    }

    Duration timeout() {
        return plan.timeout();
    }
}
