package io.stratos.lxc.itests.support;

import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

/** Retries an action until it succeeds, with Awaitility: things in Karaf come up asynchronously. */
public final class Await {

    private Await() {
    }

    /**
     * The action's first result that came without an exception or failed assertion. Calls run on the caller's
     * thread, every 100 ms; the timeout names what was awaited and the last failure.
     */
    public static <T> T success(String what, Duration timeout, Callable<T> action) throws Exception {
        AtomicReference<Throwable> last = new AtomicReference<>();
        AtomicReference<Result<T>> result = new AtomicReference<>();
        try {
            Awaitility.await(what).atMost(timeout).pollInSameThread().pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(100)).until(() -> {
                        try {
                            result.set(new Result<>(action.call()));
                            return true;
                        } catch (Exception | AssertionError e) {
                            last.set(e);
                            return false;
                        }
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError("timed out after " + timeout + " waiting for " + what + ": " + last.get(), last.get());
        }
        return result.get().value();
    }

    private record Result<T>(T value) {
    }
}
