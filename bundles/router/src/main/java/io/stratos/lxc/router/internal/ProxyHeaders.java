package io.stratos.lxc.router.internal;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.net.InetAddress;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/** Which headers cross the router, in either direction, and what it adds: the header policy of the proxy. */
final class ProxyHeaders {

    /** Hop-by-hop headers (RFC 9110 7.6.1) and those the router sets itself. */
    static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authenticate", "proxy-authorization", "te", "trailer", "trailers", "transfer-encoding", "upgrade",
            "host", "expect");

    private ProxyHeaders() {
    }

    /**
     * How the answer's body is framed toward the client ({@code headers} are those going out): chunked when the
     * backend gave no length, unless the client speaks HTTP/1.0, which knows no chunks (then the body ends with the
     * connection); and the Connection header that says whether it stays open. Returns whether it does.
     */
    static boolean framing(HttpRequest request, int status, HttpHeaders headers, boolean keepAlive) {
        boolean http10 = request.protocolVersion().equals(HttpVersion.HTTP_1_0);
        boolean noBody = request.method().equals(HttpMethod.HEAD) || status == 204 || status == 304 || status < 200;
        if (!noBody && !headers.contains(HttpHeaderNames.CONTENT_LENGTH)) {
            if (http10) {
                keepAlive = false;
            } else {
                headers.set(HttpHeaderNames.TRANSFER_ENCODING, "chunked");
            }
        }
        if (!keepAlive) {
            headers.set(HttpHeaderNames.CONNECTION, "close");
        } else if (http10) {
            headers.set(HttpHeaderNames.CONNECTION, "keep-alive");
        }
        return keepAlive;
    }

    /**
     * The headers of a request forwarded to a backend at {@code backendAuthority}: the client's end-to-end ones,
     * and the X-Forwarded-* ones of the router ({@code endpoint} when the client named no host).
     */
    static void copyRequestHeaders(HttpRequest request, HttpHeaders out, InetAddress client, boolean trusted,
                                   String backendAuthority, boolean upgrade, String host, String prefix,
                                   Supplier<String> endpoint) {
        HttpHeaders in = request.headers();
        Set<String> dropped = connectionTokens(in.getAll(HttpHeaderNames.CONNECTION));
        for (Map.Entry<String, String> header : in) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (NOT_FORWARDED.contains(name) || dropped.contains(name) || name.startsWith("x-forwarded-")) {
                continue;
            }
            out.add(header.getKey(), header.getValue());
        }
        out.set(HttpHeaderNames.HOST, backendAuthority);
        if (HttpUtil.isTransferEncodingChunked(request)) {
            out.set(HttpHeaderNames.TRANSFER_ENCODING, "chunked");
        }
        if (upgrade) {
            out.set(HttpHeaderNames.CONNECTION, "upgrade");
            out.set(HttpHeaderNames.UPGRADE, in.get(HttpHeaderNames.UPGRADE));
        }
        // the router is the edge: what it saw, not what the client claims, unless the client is a
        // proxy it trusts (then its X-Forwarded-For is appended to and the others kept)
        String address = client.getHostAddress();
        String forwardedFor = trusted ? joined(in.getAll("X-Forwarded-For")) : null;
        out.set("X-Forwarded-For", forwardedFor == null ? address : forwardedFor + ", " + address);
        String proto = trusted ? in.get("X-Forwarded-Proto") : null;
        out.set("X-Forwarded-Proto", proto != null ? proto : "http");
        String forwardedHost = trusted ? in.get("X-Forwarded-Host") : null;
        out.set("X-Forwarded-Host", forwardedHost != null ? forwardedHost : host != null ? host : endpoint.get());
        String forwardedPrefix = trusted ? in.get("X-Forwarded-Prefix") : null;
        if (!prefix.isEmpty()) {
            out.set("X-Forwarded-Prefix", forwardedPrefix == null ? prefix : forwardedPrefix + prefix);
        } else if (forwardedPrefix != null) {
            out.set("X-Forwarded-Prefix", forwardedPrefix);
        }
    }

    /** The end-to-end headers of a backend's response, as they go to the client. */
    static void copyResponseHeaders(HttpHeaders in, HttpHeaders out) {
        Set<String> dropped = connectionTokens(in.getAll(HttpHeaderNames.CONNECTION));
        for (Map.Entry<String, String> header : in) {
            String name = header.getKey().toLowerCase(Locale.ROOT);
            if (NOT_FORWARDED.contains(name) || dropped.contains(name)) {
                continue;
            }
            out.add(header.getKey(), header.getValue());
        }
    }

    /** Header names listed in {@code Connection} (hop-by-hop by declaration). */
    static Set<String> connectionTokens(List<String> values) {
        if (values.isEmpty()) {
            return Set.of();
        }
        Set<String> tokens = new HashSet<>();
        for (String value : values) {
            for (String token : value.split(",")) {
                tokens.add(token.trim().toLowerCase(Locale.ROOT));
            }
        }
        return tokens;
    }

    static boolean hasToken(HttpHeaders headers, CharSequence name, String token) {
        for (String value : headers.getAll(name)) {
            for (String part : value.split(",")) {
                if (part.trim().equalsIgnoreCase(token)) {
                    return true;
                }
            }
        }
        return false;
    }

    static boolean hasBody(HttpRequest request) {
        if (request instanceof LastHttpContent) {
            return false;
        }
        return HttpUtil.isTransferEncodingChunked(request) || HttpUtil.getContentLength(request, 0L) > 0;
    }

    static String joined(List<String> values) {
        return values.isEmpty() ? null : String.join(", ", values);
    }
}
