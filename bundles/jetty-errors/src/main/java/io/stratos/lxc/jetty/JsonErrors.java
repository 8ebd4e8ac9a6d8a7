package io.stratos.lxc.jetty;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import javax.servlet.RequestDispatcher;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;

/**
 * The answer to an error Jetty or Pax Web raises itself, where none of the API's own error handling is reached: the
 * API's JSON error, never Jetty's HTML or an empty body.
 * <ul>
 *   <li>a request Jetty refuses while parsing it (a path with {@code %00}, headers too large, a bad request line);</li>
 *   <li>an API path before the API is published: 503 with {@code Retry-After}, since the thing asked for may well
 *       exist, rather than a 404. That is a path asked before Pax Web has any context for it (it opens the port
 *       first), or one that only Pax Web's catch-all servlet (named {@value #PAX_WEB_404_SERVLET}) answered, in a
 *       context that the console or the agent API made before the API's own gate was registered.</li>
 * </ul>
 * It runs inside Jetty's own bundle (this is a fragment of Pax Web's Jetty bundle), where no JSON library is wired,
 * so the few fixed fields are written by hand.
 */
final class JsonErrors {

    static final String API_PREFIX = "/stratos";
    /** The name of the servlet Pax Web maps to "/" in every context, answering 404 for any path nothing else maps. */
    static final String PAX_WEB_404_SERVLET = "default";

    private JsonErrors() {
    }

    /** Writes the JSON answer for the error status the response holds. */
    static void answer(Request baseRequest, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        baseRequest.setHandled(true);
        int status = response.getStatus();
        // decoded and with dot segments resolved: the path Jetty dispatched, so /stratos/../x is not the API's
        String path = baseRequest.getHttpURI() == null ? null : baseRequest.getHttpURI().getDecodedPath();
        if (status == HttpStatus.NOT_FOUND_404 && notPublishedYet(path,
                request.getAttribute(RequestDispatcher.ERROR_SERVLET_NAME))) {
            notPublished(baseRequest, request, response);
            return;
        }
        Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        write(request, response, forStatus(status, message == null ? null : message.toString()));
    }

    /** 503 with {@code Retry-After}: the API path asked for is not published yet. */
    static void notPublished(Request baseRequest, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        baseRequest.setHandled(true);
        String path = baseRequest.getHttpURI() == null ? null : baseRequest.getHttpURI().getDecodedPath();
        response.setStatus(HttpStatus.SERVICE_UNAVAILABLE_503);
        response.setHeader(HttpHeader.RETRY_AFTER.asString(), "1");
        write(request, response, json("the controller is starting: " + path + " is not published yet", null,
                "retry in a second"));
    }

    private static void write(HttpServletRequest request, HttpServletResponse response, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        response.setContentType("application/json;charset=utf-8");
        response.setHeader(HttpHeader.CACHE_CONTROL.asString(), "no-store");
        response.setContentLength(bytes.length);
        if (!"HEAD".equals(request.getMethod())) {
            try (OutputStream out = response.getOutputStream()) {
                out.write(bytes);
            } catch (IllegalStateException writerTaken) {
                response.getWriter().write(body);
            }
        }
    }

    /** The answer to a request Jetty cannot parse: no request object exists yet, only the status and reason. */
    static ByteBuffer badMessage(int status, String reason, HttpFields fields) {
        fields.put(HttpHeader.CONTENT_TYPE, "application/json;charset=utf-8");
        return ByteBuffer.wrap(forStatus(status, reason).getBytes(StandardCharsets.UTF_8));
    }

    static boolean isApi(String path) {
        return path != null && (path.equals(API_PREFIX) || path.startsWith(API_PREFIX + "/"));
    }

    /**
     * A 404 for an API path that no servlet of the API answered (none at all, or only Pax Web's catch-all): the API
     * is not published yet. A 404 that the console's or the agent API's servlet answered is a real one.
     */
    static boolean notPublishedYet(String path, Object servletName) {
        return isApi(path) && (servletName == null || PAX_WEB_404_SERVLET.equals(servletName));
    }

    static String forStatus(int status, String reason) {
        String what = reason == null || reason.isBlank() ? HttpStatus.getMessage(status) : reason;
        boolean aboutTheUrl = what.toLowerCase(Locale.ROOT).contains("uri")
                || what.toLowerCase(Locale.ROOT).contains("path");
        String hint = switch (status) {
            case 400 -> aboutTheUrl
                    ? "a path may not hold encoded control characters such as %00, nor '..' above its root: send the path as the API describes it (GET /stratos/api/v1/openapi.json)"
                    : "send a well-formed HTTP/1.1 request: a path without encoded control characters such as %00, headers under 8 KiB";
            case 404 -> "the API lives under /stratos/api/v1 (GET /stratos/api/v1/openapi.json describes it)";
            case 414, 431 -> "send a shorter request line or fewer and smaller headers";
            default -> null;
        };
        return json(status + " " + what, aboutTheUrl && status == 400 ? "url" : null, hint);
    }

    static String json(String error, String field, String hint) {
        StringBuilder out = new StringBuilder("{\"error\":").append(quote(error));
        if (field != null) {
            out.append(",\"field\":").append(quote(field));
        }
        if (hint != null) {
            out.append(",\"hint\":").append(quote(hint));
        }
        return out.append('}').toString();
    }

    private static String quote(String text) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }
}
