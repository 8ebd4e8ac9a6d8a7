package io.stratos.lxc.console.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;
import javax.servlet.Servlet;
import javax.servlet.http.HttpServlet;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Serves the web console's static files at {@code /stratos/console/}. The pages themselves talk only to the
 * public REST API ({@code /stratos/api/v1}) with the user's credentials; this servlet holds no data and
 * needs none, so it answers without authentication.
 */
@Component(service = Servlet.class, property = {
        "osgi.http.whiteboard.servlet.pattern=" + ConsoleServlet.PATTERN,
        "osgi.http.whiteboard.servlet.name=stratos-console"})
public class ConsoleServlet extends HttpServlet {

    static final String PATTERN = "/stratos/console/*";

    private static final long serialVersionUID = 1L;

    private transient ConsoleResources resources;
    private String etag;

    @Activate
    void activate(BundleContext context) {
        resources = new ConsoleResources(ConsoleServlet.class.getClassLoader()::getResource);
        // the files change only with the bundle
        etag = "\"" + Long.toHexString(context.getBundle().getLastModified()) + "\"";
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String path = request.getPathInfo();
        if (path == null) {
            // relative links in the page need the trailing slash
            response.sendRedirect(request.getRequestURI() + "/");
            return;
        }
        Optional<ConsoleResources.Resource> resource = resources.resolve(path);
        if (resource.isEmpty()) {
            response.setContentType("text/plain; charset=utf-8");
            response.sendError(HttpServletResponse.SC_NOT_FOUND, "no such file in the console");
            return;
        }
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setHeader("Referrer-Policy", "no-referrer");
        response.setHeader("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'");
        response.setHeader("X-Frame-Options", "DENY");
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("ETag", etag);
        if (etag.equals(request.getHeader("If-None-Match"))) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        response.setContentType(resource.get().contentType());
        try (InputStream in = resource.get().url().openStream(); OutputStream out = response.getOutputStream()) {
            in.transferTo(out);
        }
    }
}
