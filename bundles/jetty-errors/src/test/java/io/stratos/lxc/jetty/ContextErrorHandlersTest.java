package io.stratos.lxc.jetty;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandlerCollection;
import org.eclipse.jetty.servlet.ErrorPageErrorHandler;
import org.eclipse.jetty.servlet.ServletContextHandler;
import org.eclipse.jetty.servlet.ServletHolder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A Jetty 9.4 server set up the way Pax Web 8 sets it up (a context collection as the server's handler, then
 * jetty.xml, then contexts made with an ErrorPageErrorHandler of their own and a catch-all 404 servlet named
 * "default"): the errors its contexts answer themselves are the API's JSON.
 */
class ContextErrorHandlersTest {

    private final Server server = new Server();
    private final ContextHandlerCollection contexts = new ContextHandlerCollection();
    private final HttpClient http = HttpClient.newHttpClient();
    private String base;
    private ServletContextHandler root;

    /** CXF's servlet registered at /stratos with no service published: it writes its 404 itself. */
    private void cxfWithoutServices() {
        root.getServletHandler().addServletWithMapping(new ServletHolder("cxf", new NoServiceFound()), "/stratos/*");
    }

    @BeforeEach
    void start() throws Exception {
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(contexts);
        // what /jetty.xml does
        server.setErrorHandler(new JsonErrorHandler());
        server.addEventListener(new ContextErrorHandlers());

        // what Pax Web does for the whiteboard's default context once the console registers its servlet
        root = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        root.setContextPath("/");
        ErrorPageErrorHandler paxWebs = new ErrorPageErrorHandler();
        paxWebs.addErrorPage(418, "/teapot");
        root.setErrorHandler(paxWebs);
        root.addServlet(new ServletHolder(JsonErrors.PAX_WEB_404_SERVLET, new NotFound()), "/");
        root.addServlet(new ServletHolder("console", new NotFound()), "/stratos/console/*");
        root.addServlet(new ServletHolder("teapot-page", new Text("a configured error page")), "/teapot");
        root.addServlet(new ServletHolder("teapot", new Status(418)), "/brew");
        contexts.addHandler(root);

        server.start();
        base = "http://127.0.0.1:" + connector.getLocalPort();
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    @Test
    void anApiPathOnlyTheCatchAllAnsweredIsA503WithRetryAfterEvenForAPut() throws Exception {
        HttpResponse<String> put = send("PUT", "/stratos/api/v1/partitions/static/scale");

        assertNotPublishedYet(put);
    }

    @Test
    void anApiCallCxfAnswersBeforeTheGateExistsIsA503WithRetryAfterNotCxfsHtml() throws Exception {
        cxfWithoutServices();
        HttpResponse<String> put = send("PUT", "/stratos/api/v1/partitions/static/scale");

        assertNotPublishedYet(put);
    }

    @Test
    void onceTheGateSeesTheCallsCxfsOwnAnswerStands() throws Exception {
        cxfWithoutServices();
        HttpResponse<String> get = send("GET", "/stratos/api/v1/nothing", true);

        assertEquals(404, get.statusCode());
        assertEquals("<html><body>No service was found.</body></html>", get.body());
    }

    @Test
    void aServletOfItsOwnUnderTheApiAnswersARealJson404() throws Exception {
        HttpResponse<String> delete = send("DELETE", "/stratos/console/nothing");

        assertEquals(404, delete.statusCode());
        assertTrue(delete.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertTrue(delete.body().startsWith("{\"error\":\"404 "), delete.body());
    }

    @Test
    void aPathOutsideTheApiIsAJson404WithAHint() throws Exception {
        HttpResponse<String> get = send("GET", "/elsewhere");

        assertEquals(404, get.statusCode());
        assertTrue(get.body().contains("\"hint\":\"the API lives under /stratos/api/v1"), get.body());
    }

    @Test
    void anErrorPageTheContextConfiguredStillWins() throws Exception {
        HttpResponse<String> get = send("GET", "/brew");

        assertEquals(418, get.statusCode());
        assertEquals("a configured error page", get.body());
    }

    @Test
    void aContextAddedWhileRunningGetsTheJsonHandlerToo() throws Exception {
        ServletContextHandler late = new ServletContextHandler(ServletContextHandler.NO_SESSIONS);
        late.setContextPath("/late");
        late.setErrorHandler(new ErrorPageErrorHandler());
        late.addServlet(new ServletHolder(JsonErrors.PAX_WEB_404_SERVLET, new NotFound()), "/");
        contexts.addHandler(late);
        late.start();

        HttpResponse<String> put = send("PUT", "/late/x");

        assertEquals(404, put.statusCode());
        assertTrue(put.body().startsWith("{\"error\":\"404 "), put.body());
    }

    /** The answer of an API path while the API is not published: 503, JSON, Retry-After. */
    private static void assertNotPublishedYet(HttpResponse<String> answer) {
        assertEquals(503, answer.statusCode(), answer.body());
        assertEquals("1", answer.headers().firstValue("Retry-After").orElse("-"));
        assertTrue(answer.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        assertTrue(answer.body().startsWith("{\"error\":\"the controller is starting"), answer.body());
    }

    private HttpResponse<String> send(String method, String path) throws IOException, InterruptedException {
        return send(method, path, false);
    }

    /** With {@code gated}, as if the REST bundle's gate saw the call (the test's header stands for it). */
    private HttpResponse<String> send(String method, String path, boolean gated) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
                .method(method, HttpRequest.BodyPublishers.ofString("{}"));
        if (gated) {
            request.header("X-Test-Gate", "seen");
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /** CXF's answer when no service is published at the path, written as CXF writes it (ServletController). */
    private static final class NoServiceFound extends HttpServlet {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            if (req.getHeader("X-Test-Gate") != null) {
                req.setAttribute(UngatedApiGuard.GATE_SEEN, Boolean.TRUE);
            }
            resp.setStatus(404);
            resp.setContentType("text/html");
            resp.getWriter().write("<html><body>No service was found.</body></html>");
        }
    }

    private static final class NotFound extends HttpServlet {
        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.sendError(404);
        }
    }

    private static final class Status extends HttpServlet {
        private final int status;

        Status(int status) {
            this.status = status;
        }

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.sendError(status);
        }
    }

    private static final class Text extends HttpServlet {
        private final String text;

        Text(String text) {
            this.text = text;
        }

        @Override
        protected void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
            resp.setContentType("text/plain");
            resp.getWriter().print(text);
        }
    }
}
