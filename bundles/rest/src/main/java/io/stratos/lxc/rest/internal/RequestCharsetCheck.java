package io.stratos.lxc.rest.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.StandardCharsets;
import java.nio.charset.UnsupportedCharsetException;
import java.util.Optional;
import javax.servlet.FilterChain;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.Preprocessor;

/**
 * Answers a request whose {@code Content-Type} names a charset the JVM does not know with 415 and the JSON error,
 * before CXF sees it: CXF's servlet transport reads the charset while it builds its message
 * ({@code AbstractHTTPDestination.setupMessage}), before any interceptor, filter or exception mapper of ours, and
 * fails with an IOException that Jetty turns into an HTML 500. A Pax Web whiteboard {@link Preprocessor} runs in front
 * of every servlet, including CXF's, which is registered through the HttpService and so out of reach of an ordinary
 * whiteboard filter. It only refuses what CXF would fail on; every other request passes untouched (authentication
 * stays with the JAX-RS filter; this answer tells nothing but what was wrong with the header).
 */
@Component(service = Preprocessor.class, property = "osgi.http.whiteboard.filter.name=stratos-charset-check")
public class RequestCharsetCheck implements Preprocessor {

    private static final ObjectMapper JSON = RestServer.objectMapper();

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        if (request instanceof HttpServletRequest http && response instanceof HttpServletResponse answer) {
            Optional<String> unknown = unsupportedCharset(http.getContentType(), http.getCharacterEncoding());
            if (unknown.isPresent()) {
                refuse(answer, unknown.get());
                return;
            }
        }
        chain.doFilter(request, response);
    }

    /**
     * The charset CXF would fail on, if any: the one CXF finds in the Content-Type ({@code charset=}, quotes removed),
     * or else the servlet container's reading of it.
     */
    static Optional<String> unsupportedCharset(String contentType, String servletEncoding) {
        String named = charsetParameter(contentType);
        if (named != null) {
            return supported(named) ? Optional.empty() : Optional.of(named);
        }
        if (servletEncoding != null) {
            return supported(servletEncoding) ? Optional.empty() : Optional.of(servletEncoding);
        }
        return Optional.empty();
    }

    /** CXF's reading ({@code HttpHeaderHelper.findCharset}): the text after the first {@code charset=} up to a {@code ;}. */
    private static String charsetParameter(String contentType) {
        if (contentType == null) {
            return null;
        }
        int at = contentType.indexOf("charset=");
        if (at < 0) {
            return null;
        }
        String value = contentType.substring(at + "charset=".length());
        int semicolon = value.indexOf(';');
        if (semicolon >= 0) {
            value = value.substring(0, semicolon).trim();
        }
        return value.isEmpty() ? null : value;
    }

    /** Whether CXF can map it to a Java charset (quotes and anything after a {@code ;} ignored, blank means the default). */
    static boolean supported(String charset) {
        String name = charset;
        if (name.length() >= 2 && name.charAt(0) == '"' && name.charAt(name.length() - 1) == '"') {
            name = name.substring(1, name.length() - 1);
        } else if (name.startsWith("\"")) {
            return false; // an unbalanced quote: CXF cuts the name wrongly or fails on it
        }
        int semicolon = name.indexOf(';');
        if (semicolon >= 0) {
            name = name.substring(0, semicolon);
        }
        name = name.replace("\"", "").replace("'", "").trim();
        if (name.isEmpty()) {
            return true;
        }
        try {
            Charset.forName(name);
            return true;
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
            return false;
        }
    }

    private static void refuse(HttpServletResponse answer, String charset) throws IOException {
        String shown = charset.length() > 64 ? charset.substring(0, 64) + "..." : charset;
        ApiError error = new ApiError("Content-Type names the charset '" + shown + "', which this server does not know",
                "Content-Type", "send JSON as UTF-8: Content-Type: application/json; charset=utf-8 (or no charset)");
        byte[] body = JSON.writeValueAsBytes(error);
        answer.setStatus(415);
        answer.setContentType("application/json");
        answer.setCharacterEncoding(StandardCharsets.UTF_8.name());
        answer.setContentLength(body.length);
        answer.getOutputStream().write(body);
    }

    @Override
    public void init(javax.servlet.FilterConfig config) {
        // nothing to set up
    }

    @Override
    public void destroy() {
        // nothing held
    }
}
