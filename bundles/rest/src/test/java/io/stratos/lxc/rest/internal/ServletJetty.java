package io.stratos.lxc.rest.internal;

import javax.servlet.http.HttpServlet;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/** One of the API's plain servlets on a real Jetty at 127.0.0.1, mapped as the whiteboard maps it, async supported. */
final class ServletJetty implements AutoCloseable {

    private final Server jetty;
    /** {@code http://127.0.0.1:<port>} */
    final String origin;

    ServletJetty(HttpServlet servlet, String pattern, int maxThreads) throws Exception {
        jetty = new Server(new QueuedThreadPool(maxThreads, Math.min(8, maxThreads)));
        ServerConnector connector = new ServerConnector(jetty);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        jetty.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        context.setContextPath("/");
        ServletHolder holder = new ServletHolder(servlet);
        holder.setAsyncSupported(true);
        context.addServlet(holder, pattern);
        jetty.setHandler(context);
        jetty.start();
        origin = "http://127.0.0.1:" + connector.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        jetty.stop();
    }
}
