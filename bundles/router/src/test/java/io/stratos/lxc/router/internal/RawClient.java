package io.stratos.lxc.router.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/** One raw TCP connection to the router: exact bytes out, responses read one at a time. */
final class RawClient implements AutoCloseable {

    final Socket socket;
    final InputStream in;
    final OutputStream out;

    RawClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    RawClient send(String text) throws IOException {
        return send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    RawClient send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    RawHttp.Response read() throws IOException {
        return RawHttp.read(in, false);
    }

    RawHttp.Response readHead() throws IOException {
        return RawHttp.read(in, true);
    }

    /** True when the router closed the connection (end of stream or reset) within the socket timeout. */
    boolean closedByRouter() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true; // reset
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
