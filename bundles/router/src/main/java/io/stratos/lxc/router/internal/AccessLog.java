package io.stratos.lxc.router.internal;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The router's access log: one line per request in the combined log format that log tools read (Apache's and nginx's),
 * followed by the alias and the seconds the request took, as nginx's {@code $request_time}:
 * <pre>127.0.0.1 - - [07/Dec/2026:16:35:13 +0000] "GET /shop/ HTTP/1.1" 200 1234 "-" "curl/8.0" shop 0.002</pre>
 * Written to the logger {@value #LOGGER} at INFO, which the distribution sends to {@code data/log/router-access.log},
 * rotated; {@code log:set OFF io.stratos.lxc.router.access} turns it off. What the client sent is escaped as Apache
 * escapes it ({@code \"}, {@code \\}, {@code \xHH}), so a request cannot forge a line.
 */
final class AccessLog implements AutoCloseable {

    static final String LOGGER = "io.stratos.lxc.router.access";
    private static final Logger LOG = LoggerFactory.getLogger(LOGGER);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ROOT);
    /** The longest request target written: a 16 KiB one would make the log unreadable. */
    static final int MAX_TARGET = 2048;

    private final Consumer<String> out;
    private final java.util.function.BooleanSupplier enabled;
    /** The thread that writes the lines, when they are not written by the caller. */
    private final AccessLogWriter writer;

    private AccessLog(Consumer<String> out, java.util.function.BooleanSupplier enabled, AccessLogWriter writer) {
        this.out = writer == null ? out : writer::write;
        this.enabled = enabled;
        this.writer = writer;
    }

    /** To the access logger, off the event loops (see {@link AccessLogWriter}). */
    static AccessLog toLogger() {
        return new AccessLog(null, LOG::isInfoEnabled, new AccessLogWriter(LOG::info));
    }

    /** To {@code out}, on the caller's thread (tests). */
    static AccessLog to(Consumer<String> out) {
        return new AccessLog(out, () -> true, null);
    }

    /** Writes what is waiting; later lines are written by their callers. */
    @Override
    public void close() {
        if (writer != null) {
            writer.close();
        }
    }

    /** One request's line: {@code alias} null when none was found, {@code bytes} of the answer's body. */
    void request(SocketAddress client, HttpRequest request, int status, long bytes, String alias, long nanos) {
        if (!enabled.getAsBoolean()) {
            return;
        }
        String address = client instanceof InetSocketAddress inet && inet.getAddress() != null
                ? inet.getAddress().getHostAddress() : "-";
        StringBuilder line = new StringBuilder(160).append(address).append(" - - [").append(now()).append("] \"");
        escape(request.method().name(), line);
        line.append(' ');
        String target = request.uri();
        escape(target.length() > MAX_TARGET ? target.substring(0, MAX_TARGET) + "..." : target, line);
        line.append(' ').append(request.protocolVersion().text()).append("\" ").append(status).append(' ')
                .append(bytes > 0 ? Long.toString(bytes) : "-").append(" \"");
        escape(header(request, HttpHeaderNames.REFERER), line);
        line.append("\" \"");
        escape(header(request, HttpHeaderNames.USER_AGENT), line);
        long millis = Math.max(0, nanos) / 1_000_000;
        long fraction = millis % 1000;
        line.append("\" ").append(alias == null ? "-" : alias).append(' ').append(millis / 1000).append('.')
                .append(fraction < 100 ? fraction < 10 ? "00" : "0" : "").append(fraction);
        out.accept(line.toString());
    }

    /** The time as the log writes it, formatted once a second (every request of that second shares it). */
    private String now() {
        long second = System.currentTimeMillis() / 1000;
        Stamp stamp = this.stamp;
        if (stamp == null || stamp.second != second) {
            stamp = new Stamp(second, TIME.format(ZonedDateTime.ofInstant(java.time.Instant.ofEpochSecond(second), ZoneOffset.UTC)));
            this.stamp = stamp;
        }
        return stamp.text;
    }

    private record Stamp(long second, String text) {
    }

    private volatile Stamp stamp;

    private static String header(HttpRequest request, CharSequence name) {
        String value = request.headers().get(name);
        return value == null || value.isEmpty() ? "-" : value.length() > MAX_TARGET ? value.substring(0, MAX_TARGET) + "..." : value;
    }

    static void escape(String text, StringBuilder into) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '"' || c == '\\') {
                into.append('\\').append(c);
            } else if (c < 0x20 || c >= 0x7f && c <= 0xff) {
                into.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
            } else if (c > 0xff) {
                into.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                into.append(c);
            }
        }
    }
}
