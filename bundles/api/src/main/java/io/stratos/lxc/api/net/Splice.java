package io.stratos.lxc.api.net;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/**
 * One direction of a TCP connection relayed byte for byte between two sockets, as the agent's publishing proxy and the
 * local adapter's relay to the controller both do over blocking sockets (no library the bundles use offers it).
 * The end of one direction is passed on as a half-close, so that a client that shuts its output after a request still
 * reads the answer.
 */
public final class Splice {

    private Splice() {
    }

    /**
     * Copies {@code from} to {@code to} until {@code from} ends, then shuts {@code to}'s output; on an error closes
     * {@code to}. Runs {@code done} either way. Neither socket is closed on a clean end: the other direction may still
     * be busy, and closing a socket's stream closes the socket.
     */
    public static void pump(Socket from, Socket to, Runnable done) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
            to.shutdownOutput();
        } catch (IOException e) {
            try {
                to.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        } finally {
            done.run();
        }
    }
}
