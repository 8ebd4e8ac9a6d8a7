package io.stratos.lxc.rest.internal;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.stratos.lxc.api.StratosException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.servlet.AsyncContext;
import javax.servlet.AsyncEvent;
import javax.servlet.AsyncListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * What the plain servlets of the API (the agents' and the routers' protocols) answer with: the API's compact JSON, its
 * error bodies ({@link ErrorMappers}), and long polls held asynchronously (a waiting peer holds a connection, not a
 * thread) and answered on a container thread, never on the controller's thread that completed the poll.
 */
final class ServletAnswers {

    /** A poll the controller never answers (it answers within its long-poll seconds) is ended after this. */
    static final long POLL_TIMEOUT_MILLIS = 10 * 60 * 1000L;

    private static final ObjectWriter WRITER = RestServer.objectMapper().disable(SerializationFeature.INDENT_OUTPUT).writer();

    private ServletAnswers() {
    }

    static void write(HttpServletResponse response, int status, Object body) throws IOException {
        byte[] json = WRITER.writeValueAsBytes(body);
        response.setStatus(status);
        response.setHeader("Date", HttpDate.now());
        response.setContentType("application/json");
        response.setContentLength(json.length);
        response.getOutputStream().write(json);
    }

    /** The error, with headers given as name, value, ... (set here: a reset before the answer drops earlier ones). */
    static void writeError(HttpServletResponse response, ErrorMappers.Answer answer, String... headers) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.reset();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            response.setHeader(headers[i], headers[i + 1]);
        }
        write(response, answer.status(), answer.body());
    }

    /** Reads a JSON body within the API's limit (maxJsonBytes), refusing what is not JSON before reading it. */
    static <T> T body(HttpServletRequest request, ObjectReader reader, String what, long max) throws IOException {
        String contentType = request.getContentType();
        if (contentType != null && !contentType.isBlank() && !contentType.startsWith("*/*") && !BodyLimit.isJson(contentType)) {
            throw new UnsupportedType(contentType);
        }
        long declared = request.getContentLengthLong();
        if (declared > max) {
            throw BodyLimit.declaredTooLarge(declared, max);
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(declared > 0 ? (int) declared : 4096);
        try (InputStream in = new BodyLimit.Limited(request.getInputStream(), max)) {
            in.transferTo(bytes);
        }
        if (bytes.size() == 0) {
            throw StratosException.invalid(null, what + " needs a JSON body", "send a JSON object as described in the API reference");
        }
        return reader.readValue(bytes.toByteArray());
    }

    /** Refuses any other method with 405 (see {@link #fail}). */
    static void allow(HttpServletRequest request, String method) {
        if (!request.getMethod().equals(method)) {
            throw new MethodNotAllowed(method);
        }
    }

    /** The API's answer to what a servlet threw: 405 with Allow, 415 for a body that is not JSON, else the mapped error. */
    static void fail(HttpServletRequest request, HttpServletResponse response, String path, Exception e) throws IOException {
        if (e instanceof MethodNotAllowed refused) {
            writeError(response, new ErrorMappers.Answer(405, new ApiError("method not allowed: " + printable(request.getMethod())
                    + " " + printable(path), null, "use " + refused.allowed)), "Allow", refused.allowed);
        } else if (e instanceof UnsupportedType unsupported) {
            writeError(response, new ErrorMappers.Answer(415, new ApiError("Content-Type " + printable(unsupported.getMessage())
                    + " is not JSON", "Content-Type", "send Content-Type: application/json")));
        } else {
            writeError(response, ErrorMappers.answer(e));
        }
    }

    /** What of the caller's input goes back into an error message: no control characters, not too long. */
    static String printable(String s) {
        String clean = s == null ? "" : s.replaceAll("\\p{Cntrl}", "?");
        return clean.length() > 200 ? clean.substring(0, 200) + "..." : clean;
    }

    /** The {@code since} revision of a long poll: 0 when absent. */
    static long since(HttpServletRequest request) {
        String value;
        try {
            value = request.getParameter("since");
        } catch (RuntimeException e) {
            // Jetty decodes the query only now, and says so with its BadMessageException
            throw StratosException.invalid("url", "the request's query is not validly percent-encoded", "encode '%' as %25");
        }
        if (value == null || value.isEmpty()) {
            return 0;
        }
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw StratosException.invalid("since", "'since' must be a revision number, not '" + printable(value) + "'",
                    "send the revision of the last answer received, or 0");
        }
    }

    /** Holds the request until {@code poll} completes, then writes its value (200) or its failure as the API's error. */
    static <T> void longPoll(HttpServletRequest request, CompletionStage<T> poll) {
        AsyncContext async = request.startAsync();
        async.setTimeout(POLL_TIMEOUT_MILLIS);
        AtomicBoolean answered = new AtomicBoolean();
        async.addListener(new AsyncListener() {
            @Override
            public void onTimeout(AsyncEvent event) {
                answer(async, answered, () -> writeError((HttpServletResponse) async.getResponse(),
                        ErrorMappers.domain(StratosException.unavailable("no answer was ready in time", "poll again"))));
            }

            @Override
            public void onError(AsyncEvent event) {
                answered.set(true); // the connection broke: nothing to answer
            }

            @Override
            public void onComplete(AsyncEvent event) {
            }

            @Override
            public void onStartAsync(AsyncEvent event) {
            }
        });
        // completed on the controller's thread, inside its lock: the answer is written on one of the container's threads
        poll.whenComplete((value, failure) -> {
            if (answered.get()) {
                return; // timed out or broken meanwhile
            }
            async.start(() -> answer(async, answered, () -> {
                HttpServletResponse response = (HttpServletResponse) async.getResponse();
                if (failure == null) {
                    write(response, 200, value);
                } else {
                    writeError(response, ErrorMappers.answer(failure instanceof CompletionException && failure.getCause() != null
                            ? failure.getCause() : failure));
                }
            }));
        });
    }

    private interface Answering {
        void run() throws IOException;
    }

    private static void answer(AsyncContext async, AtomicBoolean answered, Answering answering) {
        if (!answered.compareAndSet(false, true)) {
            return;
        }
        try {
            answering.run();
        } catch (IOException | RuntimeException e) {
            // the peer went away while it waited: it polls again
        } finally {
            try {
                async.complete();
            } catch (IllegalStateException ignored) {
                // already completed by the container (timeout or broken connection)
            }
        }
    }

    private static final class MethodNotAllowed extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final String allowed;

        MethodNotAllowed(String allowed) {
            super(null, null, false, false);
            this.allowed = allowed;
        }
    }

    /** 415, like the JAX-RS API's answer to a body it has no reader for. */
    private static final class UnsupportedType extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UnsupportedType(String contentType) {
            super(contentType, null, false, false);
        }
    }
}
