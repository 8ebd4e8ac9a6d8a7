package io.stratos.lxc.agent.runtime;

import io.stratos.lxc.api.StratosException;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.IntPredicate;

/**
 * Hands out host ports of the VM's publish address from the agent's range, one per process. A port some other program
 * already holds is skipped. When the range is used up, {@link #allocate} throws a {@link StratosException}
 * of kind CONFLICT saying so: the one process fails with that reason, nothing else is affected.
 */
public final class PortAllocator {

    private final int start;
    private final int end;
    private final IntPredicate free;
    private final TreeMap<Integer, String> owners = new TreeMap<>();

    public PortAllocator(int start, int end) {
        this(start, end, PortAllocator::bindable);
    }

    /** With a custom check for "nobody else holds this port" (tests). */
    public PortAllocator(int start, int end, IntPredicate free) {
        if (start < 1 || end > 65535 || end < start) {
            throw StratosException.invalid("portRange", "port range " + start + "-" + end + " is not usable", "1 <= start <= end <= 65535");
        }
        this.start = start;
        this.end = end;
        this.free = free;
    }

    public int start() {
        return start;
    }

    public int end() {
        return end;
    }

    public int size() {
        return end - start + 1;
    }

    /** A port for the process; the same one again if it already has one. */
    public synchronized int allocate(String processId) {
        Optional<Integer> existing = portOf(processId);
        if (existing.isPresent()) {
            return existing.get();
        }
        int skipped = 0;
        for (int port = start; port <= end; port++) {
            if (owners.containsKey(port)) {
                continue;
            }
            if (!free.test(port)) {
                skipped++;
                continue;
            }
            owners.put(port, processId);
            return port;
        }
        throw StratosException.conflict("hostPort", "no free host port for process " + processId + ": port range " + start + "-" + end
                        + " (" + size() + " ports) is exhausted, " + owners.size() + " held by processes of this agent"
                        + (skipped > 0 ? ", " + skipped + " by other programs" : ""),
                "widen portRangeStart/portRangeEnd of PID io.stratos.lxc.agent or run fewer processes on this VM");
    }

    /** Records a port found in use by a re-adopted container; false when another process already holds it. */
    public synchronized boolean reserve(int port, String processId) {
        String owner = owners.get(port);
        if (owner != null) {
            return owner.equals(processId);
        }
        owners.put(port, processId);
        return true;
    }

    public synchronized void release(String processId) {
        owners.values().removeIf(processId::equals);
    }

    public synchronized Optional<Integer> portOf(String processId) {
        return owners.entrySet().stream().filter(e -> e.getValue().equals(processId)).map(Map.Entry::getKey).findFirst();
    }

    public synchronized int inUse() {
        return owners.size();
    }

    public boolean contains(int port) {
        return port >= start && port <= end;
    }

    /** Whether 127.0.0.1:port can be bound right now. */
    public static boolean bindable(int port) {
        return bindable(InetAddress.getLoopbackAddress(), port);
    }

    /** Whether address:port can be bound right now (the address the agent publishes on). */
    public static boolean bindable(InetAddress address, int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(address, port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public synchronized String toString() {
        return "ports " + start + "-" + end + " (" + owners.size() + " in use)";
    }
}
