package io.stratos.lxc.net;

import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * The controllers a client follows (an agent, a router apart), of which one is active at a time when they share one
 * database: the one asked now, and where to go when it is gone (no answer) or stands by (503 naming the active one in
 * {@code X-Stratos-Active}). Each entry is what the client calls on that controller (its agent API, its route feed).
 * Thread-safe; a late failure of a controller already left behind moves nothing.
 */
public final class Controllers {

    private final List<URI> endpoints;
    private final Function<String, URI> endpointOf;
    private final AtomicInteger current = new AtomicInteger();

    /**
     * @param endpoints  what is called on each controller, in the configured order (the first is asked first)
     * @param endpointOf the same endpoint on the controller at a URL a controller names as active
     */
    public Controllers(List<URI> endpoints, Function<String, URI> endpointOf) {
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("no controller");
        }
        this.endpoints = List.copyOf(endpoints);
        this.endpointOf = endpointOf;
    }

    /** The endpoint of the controller asked now. */
    public URI current() {
        return endpoints.get(current.get());
    }

    public List<URI> all() {
        return endpoints;
    }

    /**
     * The controller at {@code asked} did not take the call: from now on ask the one it names as active
     * ({@code activeUrl}, may be null) when that is another listed one, else the next listed. Nothing moves when only one
     * is listed, when another call already moved on from {@code asked}, or when it names itself (its 503 is passing).
     *
     * @return whether the controller asked now changed
     */
    public boolean moveOn(URI asked, String activeUrl) {
        int index = endpoints.indexOf(asked);
        if (endpoints.size() < 2 || index < 0) {
            return false;
        }
        int named = named(activeUrl);
        if (named == index) {
            return false;
        }
        // the named one, or the next: an active controller named under an address not listed (the client reaches it
        // through a relay) cannot be asked directly
        int next = named >= 0 ? named : (index + 1) % endpoints.size();
        return current.compareAndSet(index, next);
    }

    /** Whether {@code activeUrl} names a listed controller other than the one at {@code asked}. */
    public boolean namesOther(URI asked, String activeUrl) {
        int named = named(activeUrl);
        return named >= 0 && !endpoints.get(named).equals(asked);
    }

    private int named(String activeUrl) {
        if (activeUrl == null || activeUrl.isBlank()) {
            return -1;
        }
        try {
            return endpoints.indexOf(endpointOf.apply(activeUrl.trim()));
        } catch (IllegalArgumentException e) {
            return -1; // not a URL: as if it named none
        }
    }
}
