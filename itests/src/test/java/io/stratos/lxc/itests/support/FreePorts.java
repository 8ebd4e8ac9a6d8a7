package io.stratos.lxc.itests.support;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Free TCP ports on 127.0.0.1 for the servers under test (Karaf's HTTP, SSH, JMX, the router), so tests never
 * collide with a running controller or each other. They come from 32000-32767, just below the kernel's ephemeral
 * range (32768-60999): a port the kernel handed out as free (bind to port 0) lies inside that range, where any
 * outgoing connection of the busy test machine may take it as its source port before the server binds it.
 */
public final class FreePorts {

    static final int FIRST = 32000;
    static final int LAST = 32767;
    /** Where this JVM starts, at random, so that two test runs on one machine rarely probe the same ports. */
    private static final AtomicInteger CURSOR = new AtomicInteger(ThreadLocalRandom.current().nextInt(LAST - FIRST + 1));

    private FreePorts() {
    }

    public static int next() {
        for (int tries = 0; tries <= LAST - FIRST; tries++) {
            int port = FIRST + Math.floorMod(CURSOR.getAndIncrement(), LAST - FIRST + 1);
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException taken) {
                // in use: the next one
            }
        }
        throw new IllegalStateException("no free port on 127.0.0.1 between " + FIRST + " and " + LAST);
    }
}
