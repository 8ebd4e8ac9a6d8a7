package io.stratos.lxc.itests.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket to 127.0.0.1, one request per connection ({@code Connection: close}): the
 * request line goes out exactly as given, so tests can send what java.net.http refuses to (a raw
 * {@code %00} or {@code ..} in the path, a wrong Content-Length, any method). Reach the controller through
 * {@link ControllerProcess#raw}, which adds the headers every API call carries.
 */
public final class RawHttp {

    /** An answer: status, headers (lower-case names) and body (chunked encoding undone). */
    public record Response(int status, Map<String, String> headers, byte[] body) {
        public String text() {
            return new String(body, StandardCharsets.UTF_8);
        }

        public String contentType() {
            return headers.getOrDefault("content-type", "");
        }
    }

    private RawHttp() {
    }

    /**
     * Sends one request. Adds Host, Connection: close and (when a body is given and no header names it)
     * Content-Length.
     */
    public static Response exchange(int port, String method, String target, Map<String, String> headers, byte[] body,
                                    int timeoutMillis) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(timeoutMillis);
            StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
            head.append("Host: 127.0.0.1:").append(port).append("\r\n");
            boolean hasLength = false;
            for (Map.Entry<String, String> h : headers.entrySet()) {
                head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
                hasLength |= h.getKey().equalsIgnoreCase("Content-Length") || h.getKey().equalsIgnoreCase("Transfer-Encoding");
            }
            if (body != null && !hasLength) {
                head.append("Content-Length: ").append(body.length).append("\r\n");
            }
            head.append("Connection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            // UTF-8, not ASCII: a fuzzed path may hold any character and goes out as its bytes
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            if (body != null) {
                try {
                    out.write(body);
                } catch (IOException e) {
                    // the server may answer (413) and close before it took the whole body: read its answer
                }
            }
            out.flush();
            return read(socket.getInputStream());
        }
    }

    /** Reads one response from the stream. */
    public static Response read(InputStream in) throws IOException {
        String statusLine = line(in);
        if (statusLine == null || !statusLine.startsWith("HTTP/1.")) {
            throw new IOException("no HTTP status line but '" + statusLine + "'");
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        Map<String, String> headers = new LinkedHashMap<>();
        String line;
        if (status >= 100 && status < 200 && status != 101) {
            // an interim answer (100 Continue): the real one follows
            while ((line = line(in)) != null && !line.isEmpty()) {
                // its headers, if any
            }
            return read(in);
        }
        while ((line = line(in)) != null && !line.isEmpty()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.merge(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim(),
                        (a, b) -> a + ", " + b);
            }
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            while (true) {
                String size = line(in);
                if (size == null) {
                    break;
                }
                int n = Integer.parseInt(size.split(";")[0].trim(), 16);
                if (n == 0) {
                    line(in);
                    break;
                }
                body.write(in.readNBytes(n));
                line(in);
            }
        } else if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        } else if (status != 204 && status != 304) {
            body.write(in.readAllBytes());
        }
        return new Response(status, headers, body.toByteArray());
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1) {
            if (c == '\n') {
                byte[] bytes = line.toByteArray();
                int length = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, length, StandardCharsets.ISO_8859_1);
            }
            line.write(c);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    /** The answer to a streamed request and how many body bytes had gone out when it came. */
    public record Streamed(Response response, long sentWhenAnswered, long total) {
    }

    /**
     * Sends a chunked body of up to {@code total} bytes (64 KiB chunks of {@code fill}, the first starting with {@code prefix}) from another thread while
     * this one waits for the answer: when a server refuses early, the answer comes long before the body ends.
     */
    public static Streamed stream(int port, String method, String target, Map<String, String> headers, byte[] prefix,
                                  long total, byte fill) throws IOException, InterruptedException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(60_000);
            StringBuilder head = new StringBuilder(method).append(' ').append(target).append(" HTTP/1.1\r\n");
            head.append("Host: 127.0.0.1:").append(port).append("\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            head.append("Transfer-Encoding: chunked\r\nConnection: close\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.UTF_8));
            java.util.concurrent.atomic.AtomicLong sent = new java.util.concurrent.atomic.AtomicLong();
            java.util.concurrent.atomic.AtomicBoolean answered = new java.util.concurrent.atomic.AtomicBoolean();
            Thread sender = new Thread(() -> {
                byte[] chunk = new byte[64 * 1024];
                java.util.Arrays.fill(chunk, fill);
                System.arraycopy(prefix, 0, chunk, 0, Math.min(prefix.length, chunk.length));
                byte[] size = (Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                try {
                    while (sent.get() < total && !answered.get()) {
                        out.write(size);
                        out.write(chunk);
                        out.write(new byte[] {'\r', '\n'});
                        sent.addAndGet(chunk.length);
                        java.util.Arrays.fill(chunk, 0, Math.min(prefix.length, chunk.length), fill);
                    }
                    out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                } catch (IOException e) {
                    // closed by the server: it stopped reading
                }
            }, "raw-http-sender");
            sender.start();
            Response response = read(socket.getInputStream());
            long at = sent.get();
            answered.set(true);
            sender.join(60_000);
            return new Streamed(response, at, total);
        }
    }
}
