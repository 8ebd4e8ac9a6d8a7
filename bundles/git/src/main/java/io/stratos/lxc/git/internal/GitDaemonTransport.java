package io.stratos.lxc.git.internal;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.EnumSet;
import java.util.Set;
import org.eclipse.jgit.errors.NotSupportedException;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.transport.BasePackFetchConnection;
import org.eclipse.jgit.transport.FetchConnection;
import org.eclipse.jgit.transport.PackTransport;
import org.eclipse.jgit.transport.PushConnection;
import org.eclipse.jgit.transport.TcpTransport;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.TransportProtocol;
import org.eclipse.jgit.transport.URIish;

/**
 * Fetching over {@code git://} with a read timeout that works. JGit's own git transport times reads out by
 * interrupting the reading thread, which does not unblock a socket read on JDK 13 and later: a server that accepts
 * and never answers would hold a controller thread forever. This one sets the socket's SO_TIMEOUT instead (and
 * speaks protocol v0, which every git daemon understands). Fetch only: nothing is ever pushed.
 */
final class GitDaemonTransport extends TcpTransport implements PackTransport {

    private static final int DEFAULT_PORT = 9418;

    /** Held strongly: JGit keeps registered protocols by weak reference. */
    static final TransportProtocol PROTOCOL = new TransportProtocol() {
        @Override
        public String getName() {
            return "git daemon (with read timeout)";
        }

        @Override
        public Set<String> getSchemes() {
            return Set.of("git");
        }

        @Override
        public Set<URIishField> getRequiredFields() {
            return EnumSet.of(URIishField.HOST, URIishField.PATH);
        }

        @Override
        public Set<URIishField> getOptionalFields() {
            return EnumSet.of(URIishField.PORT);
        }

        @Override
        public int getDefaultPort() {
            return DEFAULT_PORT;
        }

        @Override
        public Transport open(URIish uri, Repository local, String remoteName) {
            return new GitDaemonTransport(local, uri);
        }

        @Override
        public Transport open(URIish uri) {
            return new GitDaemonTransport(uri);
        }
    };

    private static boolean registered;

    /** Puts this transport before JGit's own for {@code git://} (idempotent). */
    static synchronized void register() {
        if (!registered) {
            Transport.register(PROTOCOL);
            registered = true;
        }
    }

    /** Gives {@code git://} back to JGit's own transport (this bundle is stopping). */
    static synchronized void unregister() {
        if (registered) {
            Transport.unregister(PROTOCOL);
            registered = false;
        }
    }

    private GitDaemonTransport(Repository local, URIish uri) {
        super(local, uri);
    }

    private GitDaemonTransport(URIish uri) {
        super(uri);
    }

    @Override
    public FetchConnection openFetch() throws TransportException {
        return new Connection();
    }

    @Override
    public PushConnection openPush() throws NotSupportedException {
        throw new NotSupportedException("pushing over git:// is not supported here");
    }

    @Override
    public void close() {
        // each connection closes its own socket
    }

    private Socket connect() throws TransportException {
        int millis = getTimeout() > 0 ? getTimeout() * 1000 : 0;
        int port = uri.getPort() > 0 ? uri.getPort() : DEFAULT_PORT;
        Socket socket = new Socket();
        try {
            socket.connect(new InetSocketAddress(InetAddress.getByName(uri.getHost()), port), millis);
            socket.setSoTimeout(millis);
            return socket;
        } catch (IOException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already failing
            }
            throw new TransportException(uri, e.getMessage(), e);
        }
    }

    private final class Connection extends BasePackFetchConnection {
        private final Socket socket;

        Connection() throws TransportException {
            super(GitDaemonTransport.this);
            socket = connect();
            try {
                init(new BufferedInputStream(socket.getInputStream()), new BufferedOutputStream(socket.getOutputStream()));
                String host = uri.getHost() + (uri.getPort() > 0 && uri.getPort() != DEFAULT_PORT ? ":" + uri.getPort() : "");
                pckOut.writeString("git-upload-pack " + uri.getPath() + '\0' + "host=" + host + '\0');
                pckOut.flush();
            } catch (IOException e) {
                close();
                throw new TransportException(uri, "the remote hung up: " + e.getMessage(), e);
            }
            readAdvertisedRefs();
        }

        @Override
        public void close() {
            super.close();
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing
            }
        }
    }
}
