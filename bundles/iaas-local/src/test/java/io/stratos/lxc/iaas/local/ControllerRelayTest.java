package io.stratos.lxc.iaas.local;

import static org.assertj.core.api.Assertions.assertThat;

import io.stratos.lxc.api.net.Cidr;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ControllerRelayTest {

    /** An upstream that answers each connection with "echo:" and what it read up to the client's end of output. */
    private static ServerSocket echo() throws IOException {
        ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread t = new Thread(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    byte[] in = s.getInputStream().readAllBytes();
                    OutputStream out = s.getOutputStream();
                    out.write("echo:".getBytes(StandardCharsets.UTF_8));
                    out.write(in);
                } catch (IOException e) {
                    return;
                }
            }
        });
        t.setDaemon(true);
        t.start();
        return server;
    }

    private static String exchange(InetSocketAddress at, InetAddress from, String text) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(from, 0));
            s.connect(at, 2000);
            s.setSoTimeout(5000);
            s.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            s.shutdownOutput();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void aVmOnTheSubnetReachesTheControllerThroughTheRelay() throws IOException {
        try (ServerSocket controller = echo();
             ControllerRelay relay = ControllerRelay.open(new InetSocketAddress("127.0.0.2", 0),
                     (InetSocketAddress) controller.getLocalSocketAddress(), Cidr.parse("127.0.0.0/8"))) {
            assertThat(exchange(relay.listening(), InetAddress.getByName("127.0.0.3"), "POST /register")).isEqualTo("echo:POST /register");
        }
    }

    @Test
    void aConnectionFromOutsideTheSubnetIsClosedUnanswered() throws IOException {
        try (ServerSocket controller = echo();
             ControllerRelay relay = ControllerRelay.open(new InetSocketAddress("127.0.0.2", 0),
                     (InetSocketAddress) controller.getLocalSocketAddress(), Cidr.parse("127.0.0.64/26"))) {
            assertThat(exchange(relay.listening(), InetAddress.getByName("127.0.0.3"), "GET /")).isEmpty();
            assertThat(exchange(relay.listening(), InetAddress.getByName("127.0.0.65"), "GET /")).isEqualTo("echo:GET /");
        }
    }
}
