package io.stratos.lxc.rest.internal;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.history.HistoryService;

/** The {@code minutes} query parameter of the history paths: a whole number from 1 to 60, 60 when left out. */
final class HistoryMinutes {

    private HistoryMinutes() {
    }

    /** Read as text, so that {@code ?minutes=abc} is the API's 400 naming the field, not JAX-RS's bare 404. */
    static int parse(String minutes) {
        if (minutes == null) {
            return HistoryService.MAX_MINUTES;
        }
        int n;
        try {
            n = Integer.parseInt(minutes.trim());
        } catch (NumberFormatException e) {
            n = -1;
        }
        if (n < 1 || n > HistoryService.MAX_MINUTES) {
            String shown = minutes.length() > 20 ? minutes.substring(0, 20) + "..." : minutes;
            throw StratosException.invalid("minutes", "minutes must be a whole number from 1 to " + HistoryService.MAX_MINUTES
                    + ", not '" + shown.replaceAll("\\p{Cntrl}", "?") + "'", "e.g. ?minutes=15; the history is an hour long");
        }
        return n;
    }

    /** The history service, or 503 while it is away (the autoscaler's bundle is stopped or being updated). */
    static HistoryService available(HistoryService history) {
        if (history == null) {
            throw StratosException.unavailable("the history is not available", "check stratos:status and retry");
        }
        return history;
    }
}
