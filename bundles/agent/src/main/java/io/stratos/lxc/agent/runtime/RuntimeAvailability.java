package io.stratos.lxc.agent.runtime;

/** Whether a runtime can be used on this host; {@code reason} says why not (or what it found). */
public record RuntimeAvailability(boolean available, String reason) {

    public RuntimeAvailability {
        reason = reason == null ? "" : reason;
    }

    public static RuntimeAvailability yes(String detail) {
        return new RuntimeAvailability(true, detail);
    }

    public static RuntimeAvailability no(String reason) {
        return new RuntimeAvailability(false, reason);
    }
}
