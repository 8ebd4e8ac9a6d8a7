package io.stratos.lxc.rest.internal;

import io.stratos.lxc.api.StratosException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongSupplier;
import javax.ws.rs.container.ContainerRequestContext;
import javax.ws.rs.container.ContainerRequestFilter;
import javax.ws.rs.container.PreMatching;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;

/**
 * Request bodies the API reads as JSON: at most {@code maxJsonBytes} (PID {@code io.stratos.lxc.rest},
 * default 1 MiB; image uploads have the store's own limit). A larger Content-Length is answered 413 before a
 * byte of the body is read; a chunked body is cut off with 413 as soon as it passes the limit, so no JSON
 * body is ever held in memory whole beyond it. A body without Content-Type (or with a wildcard one) is taken as
 * JSON (CXF would otherwise look for an octet-stream reader, fail, and log that at ERROR for every such
 * request); a Content-Type that is not a media type is a 415.
 */
@PreMatching
final class BodyLimit implements ContainerRequestFilter {

    static final long DEFAULT_MAX_JSON_BYTES = 1024 * 1024;

    private final LongSupplier maxJsonBytes;

    BodyLimit(LongSupplier maxJsonBytes) {
        this.maxJsonBytes = maxJsonBytes;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        String contentType = request.getHeaderString(HttpHeaders.CONTENT_TYPE);
        if (contentType != null) {
            MediaType type;
            try {
                type = MediaType.valueOf(contentType);
            } catch (IllegalArgumentException e) {
                request.abortWith(ErrorMappers.error(415, "Content-Type is not a media type", "Content-Type",
                        "send Content-Type: application/json"));
                return;
            }
            if (type.isWildcardType() || type.isWildcardSubtype()) {
                contentType = null; // says nothing: as if absent
                request.getHeaders().remove(HttpHeaders.CONTENT_TYPE);
            }
        }
        if (contentType == null) {
            // also without a body: CXF would look for an octet-stream reader of the resource's JSON type
            request.getHeaders().putSingle(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON);
            contentType = MediaType.APPLICATION_JSON;
        }
        if (contentType == null || !isJson(contentType)) {
            return;
        }
        long max = maxJsonBytes.getAsLong();
        if (request.getLength() > max) {
            CartridgeResource.leaveBodyUnread();
            request.abortWith(ErrorMappers.error(ErrorMappers.domain(declaredTooLarge(request.getLength(), max))));
            return;
        }
        request.setEntityStream(new Limited(request.getEntityStream(), max));
    }

    /** A body whose Content-Length is over the limit: refused before a byte of it is read. */
    static StratosException declaredTooLarge(long declared, long max) {
        return StratosException.tooLarge("body", "the request body has " + declared + " bytes, more than the limit of " + max
                + " bytes for JSON", "send a smaller body; maxJsonBytes in io.stratos.lxc.rest.cfg sets the limit");
    }

    static boolean isJson(String contentType) {
        try {
            MediaType type = MediaType.valueOf(contentType);
            return type.getSubtype().equalsIgnoreCase("json") || type.getSubtype().toLowerCase().endsWith("+json");
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Throws 413 once more than {@code max} bytes were read. */
    static final class Limited extends FilterInputStream {
        private final long max;
        private long read;

        Limited(InputStream in, long max) {
            super(in);
            this.max = max;
        }

        private void count(long n) {
            if (n > 0) {
                read += n;
                if (read > max) {
                    CartridgeResource.leaveBodyUnread();
                    throw StratosException.tooLarge("body", "the request body passed the limit of " + max
                            + " bytes for JSON", "send a smaller body; maxJsonBytes in io.stratos.lxc.rest.cfg sets the limit");
                }
            }
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            count(b < 0 ? 0 : 1);
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            count(n);
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = super.skip(n);
            count(skipped);
            return skipped;
        }
    }
}
