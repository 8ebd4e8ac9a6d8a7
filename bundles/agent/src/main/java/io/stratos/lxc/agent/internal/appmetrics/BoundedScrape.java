package io.stratos.lxc.agent.internal.appmetrics;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One GET of a process's metrics text, bounded: at most {@code maxBytes} of body (larger answers are cut off and
 * refused), all of it within {@code timeout} (a process that trickles its answer is given up on), and redirects are
 * never followed (a 3xx is refused like any answer but 200). Completes with the text, or fails with a
 * {@link Refused} whose message is the reason shown in the process's detail.
 */
public final class BoundedScrape {

    /** Why an answer was not taken, in words for the process's detail. */
    public static final class Refused extends RuntimeException {
        public Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    private final HttpClient http;
    private final int maxBytes;
    private final Duration timeout;

    public BoundedScrape(int maxBytes, Duration timeout) {
        this.maxBytes = maxBytes;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(timeout)
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    public int maxBytes() {
        return maxBytes;
    }

    public CompletableFuture<String> get(URI uri) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET()
                .header("Accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5").build();
        Limited body = new Limited(maxBytes);
        CompletableFuture<HttpResponse<String>> sent = http.sendAsync(request, info -> {
            long length = info.headers().firstValueAsLong("Content-Length").orElse(-1);
            if (info.statusCode() != 200 || length > maxBytes) {
                return new Limited(-1); // refused below, without reading the body
            }
            return body;
        });
        return sent.orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).handle((response, failure) -> {
            if (failure != null) {
                body.cancel();
                sent.cancel(true);
                throw new CompletionException(refusal(failure));
            }
            int status = response.statusCode();
            if (status >= 300 && status < 400) {
                throw new Refused("answered HTTP " + status + " (a redirect" + response.headers().firstValue("Location")
                        .map(l -> " to " + shorten(l)).orElse("") + "; redirects are not followed)");
            }
            if (status != 200) {
                throw new Refused("answered HTTP " + status);
            }
            if (response.body() == null) {
                throw new Refused("answered more than " + maxBytes + " bytes (Content-Length "
                        + response.headers().firstValue("Content-Length").orElse("?") + ")");
            }
            return response.body();
        });
    }

    private Refused refusal(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof Refused refused) {
            return refused;
        }
        if (cause instanceof TimeoutException || cause instanceof HttpTimeoutException) {
            return new Refused("no complete answer within " + timeout.toMillis() + " ms");
        }
        return new Refused("no answer: " + shorten(String.valueOf(cause.getMessage() == null ? cause.getClass().getSimpleName()
                : cause.getMessage())));
    }

    private static String shorten(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }

    /**
     * Collects the body up to the limit; one byte more cancels the transfer and fails the request. With a limit below
     * zero it takes nothing: it cancels at once and completes with null.
     */
    private static final class Limited implements HttpResponse.BodySubscriber<String> {
        private final int maxBytes;
        private final CompletableFuture<String> result = new CompletableFuture<>();
        private final java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        private volatile Flow.Subscription subscription;

        Limited(int maxBytes) {
            this.maxBytes = maxBytes;
        }

        void cancel() {
            Flow.Subscription s = subscription;
            if (s != null) {
                s.cancel();
            }
        }

        @Override
        public CompletionStage<String> getBody() {
            return result;
        }

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
            if (maxBytes < 0) {
                s.cancel();
                result.complete(null);
                return;
            }
            s.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            if (result.isDone()) {
                return;
            }
            for (ByteBuffer buffer : buffers) {
                if (bytes.size() + buffer.remaining() > maxBytes) {
                    cancel();
                    result.completeExceptionally(new Refused("answered more than " + maxBytes + " bytes"));
                    return;
                }
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                bytes.writeBytes(chunk);
            }
        }

        @Override
        public void onError(Throwable failure) {
            result.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            result.complete(bytes.toString(StandardCharsets.UTF_8));
        }
    }
}
