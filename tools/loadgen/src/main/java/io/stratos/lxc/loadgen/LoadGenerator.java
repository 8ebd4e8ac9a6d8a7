package io.stratos.lxc.loadgen;

import java.net.http.HttpClient;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Starts bounded HTTP load on this machine ({@link LoadPlan}): open loop (a request rate, sent whatever
 * the answers, as users arrive) or closed loop (N clients, each sending its next request when the last
 * answered, as a benchmark with a fixed concurrency). Each run has its own HTTP/1.1 client and
 * connection pool, so runs do not share connections.
 */
public final class LoadGenerator {

    static {
        // The router is addressed by Host: <alias>.<domain>. java.net.http refuses to set Host unless this
        // property is set before its first use in the JVM (java -jar: always; a library user: see hostHeader).
        if (System.getProperty("jdk.httpclient.allowRestrictedHeaders") == null) {
            System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
        }
    }

    private LoadGenerator() {
    }

    /** Starts the run and returns at once; the run ends by itself (schedule, budget) or by {@link LoadRun#stop()}. */
    public static LoadRun start(LoadPlan plan) {
        AtomicInteger number = new AtomicInteger();
        ExecutorService executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "loadgen-http-" + number.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .proxy(HttpClient.Builder.NO_PROXY)
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(plan.timeout())
                .executor(executor)
                .build();
        if (plan.hostHeader() != null) {
            try {
                java.net.http.HttpRequest.newBuilder(plan.target()).header("Host", plan.hostHeader());
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("this JVM used java.net.http before the load generator, so it refuses a Host "
                        + "header: start it with -Djdk.httpclient.allowRestrictedHeaders=host, or use the path form "
                        + "http://127.0.0.1:<port>/<alias>/", e);
            }
        }
        LoadRun run = new LoadRun(plan, client, executor);
        run.begin();
        return run;
    }

    /** Runs the plan to its end and returns the record. */
    public static LoadResult run(LoadPlan plan) throws InterruptedException {
        return start(plan).await();
    }
}
