package io.stratos.lxc.itests.support;

import java.time.Duration;
import java.util.concurrent.Callable;

/** Retries an action until it succeeds: things in Karaf come up asynchronously. */
public final class Await {

    private Await() {
    }

    public static <T> T success(String what, Duration timeout, Callable<T> action) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last;
        do {
            try {
                return action.call();
            } catch (Exception | AssertionError e) {
                last = e instanceof Exception ex ? ex : new Exception(e);
            }
            Thread.sleep(100);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("timed out after " + timeout + " waiting for " + what + ": " + last, last);
    }
}
