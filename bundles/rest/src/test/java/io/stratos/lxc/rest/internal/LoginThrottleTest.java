package io.stratos.lxc.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    final AtomicLong now = new AtomicLong(1_000_000);
    final LoginThrottle throttle = new LoginThrottle(5, 60, now::get);

    void fail(String user, String address, int times) {
        for (int i = 0; i < times; i++) {
            throttle.failed(user, address);
        }
    }

    @Test
    void aFewFailuresCostNothingThenEachOneDoublesTheWaitUpToTheMaximum() {
        fail("alice", "10.0.0.1", 5);
        assertThat(throttle.retryAfterSeconds("alice", "10.0.0.1")).isZero();
        fail("alice", "10.0.0.1", 1);
        assertThat(throttle.retryAfterSeconds("alice", "10.0.0.1")).isEqualTo(1);
        fail("alice", "10.0.0.1", 1);
        assertThat(throttle.retryAfterSeconds("alice", "10.0.0.1")).isEqualTo(2);
        fail("alice", "10.0.0.1", 1);
        assertThat(throttle.retryAfterSeconds("alice", "10.0.0.1")).isEqualTo(4);
        fail("alice", "10.0.0.1", 20);
        assertThat(throttle.retryAfterSeconds("alice", "10.0.0.1")).isEqualTo(60);
        now.addAndGet(60_000);
        assertThat(throttle.retryAfterSeconds("alice", "10.0.0.1")).isZero();
    }

    @Test
    void theLockIsOnTheUserNameFromAnyAddressAndASuccessClearsIt() {
        fail("alice", "10.0.0.1", 6);
        assertThat(throttle.retryAfterSeconds("alice", "10.0.0.2")).as("alice from elsewhere").isEqualTo(1);
        assertThat(throttle.retryAfterSeconds("bob", "10.0.0.2")).as("bob").isZero();
        throttle.succeeded("alice");
        assertThat(throttle.retryAfterSeconds("alice", "10.0.0.2")).isZero();
    }

    @Test
    void anAddressTryingManyNamesIsSlowedDownTooButLater() {
        for (int i = 0; i < 5 * LoginThrottle.ADDRESS_FACTOR; i++) {
            throttle.failed("user" + i, "10.0.0.9");
        }
        assertThat(throttle.retryAfterSeconds("someone", "10.0.0.9")).isZero();
        throttle.failed("one-more", "10.0.0.9");
        assertThat(throttle.retryAfterSeconds("someone", "10.0.0.9")).isEqualTo(1);
        assertThat(throttle.retryAfterSeconds("someone", "10.0.0.8")).isZero();
    }

    @Test
    void failuresAreForgottenAfterAWhileAndZeroFreeFailuresTurnsItOff() {
        fail("alice", null, 5);
        now.addAndGet(LoginThrottle.FORGET_MILLIS + 1);
        fail("alice", null, 1);
        assertThat(throttle.retryAfterSeconds("alice", null)).isZero();

        throttle.configure(0, 60);
        fail("bob", "10.0.0.1", 50);
        assertThat(throttle.retryAfterSeconds("bob", "10.0.0.1")).isZero();
    }

    /** A spray of made-up names (no address: from loopback, which every local client shares) fills the tracking. */
    @Test
    void sprayingManyDistinctNamesDoesNotLiftAnExistingLockout() {
        fail("alice", null, 12);
        long locked = throttle.retryAfterSeconds("alice", null);
        assertThat(locked).isEqualTo(60);
        for (int i = 0; i < 2 * LoginThrottle.MAX_TRACKED + 1; i++) {
            throttle.failed("spray-" + i, null);
        }
        assertThat(throttle.retryAfterSeconds("alice", null)).as("alice after the spray").isEqualTo(locked);
    }
}
