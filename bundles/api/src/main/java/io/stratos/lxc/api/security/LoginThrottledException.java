package io.stratos.lxc.api.security;

/** Password checks for a user (or from an address) are paused after too many failures: answer 429. */
public class LoginThrottledException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long retryAfterSeconds;

    public LoginThrottledException(String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    /** How long to wait before trying a password again ({@code Retry-After}). */
    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
