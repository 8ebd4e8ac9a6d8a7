package io.stratos.lxc.rest.internal;

import io.stratos.lxc.api.security.Role;
import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.store.CartridgeStore;
import io.stratos.lxc.api.store.ImageBlob;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.StreamingOutput;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code GET /images/sha256:<hex>}: image bytes by digest, for agents and users. Strong ETag (the
 * digest), {@code If-None-Match} (304), one {@code Range} (206, 416) with {@code If-Range}; the
 * bytes go straight from the blob file to the response, never through memory as a whole.
 */
@Component(service = RestResource.class)
@Path("/images")
public class ImageResource implements RestResource {

    static final String OCTET_STREAM = MediaType.APPLICATION_OCTET_STREAM;
    private static final int CHUNK = 1 << 20;

    @Reference
    CartridgeStore store;

    @Allowed({Role.AGENT})
    @GET
    @Path("/{digest}")
    @Produces({MediaType.APPLICATION_OCTET_STREAM, MediaType.APPLICATION_JSON})
    public Response download(@PathParam("digest") String digest, @HeaderParam("Range") String range,
                             @HeaderParam(HttpHeaders.IF_NONE_MATCH) String ifNoneMatch,
                             @HeaderParam("If-Range") String ifRange) {
        return serve(store.blob(digest), range, ifNoneMatch, ifRange);
    }

    /** The blob's bytes (or the asked range of them), for images and application artifacts alike. */
    static Response serve(ImageBlob blob, String range, String ifNoneMatch, String ifRange) {
        String etag = "\"" + blob.digest() + "\"";
        if (matches(ifNoneMatch, etag)) {
            return Response.notModified().header(HttpHeaders.ETAG, etag).build();
        }
        ByteRange.Outcome outcome = ifRange != null && !ifRange.trim().equals(etag)
                ? new ByteRange.Whole() : ByteRange.parse(range, blob.size());
        if (outcome instanceof ByteRange.Unsatisfiable) {
            return Response.fromResponse(ErrorMappers.error(416, "range " + range + " is outside the image's "
                            + blob.size() + " bytes", "Range", "ask for bytes 0 to " + (blob.size() - 1)))
                    .header("Content-Range", "bytes */" + blob.size()).build();
        }
        long start = 0;
        long length = blob.size();
        Response.ResponseBuilder response;
        if (outcome instanceof ByteRange.Partial partial) {
            start = partial.range().start();
            length = partial.range().length();
            response = Response.status(206).header("Content-Range", partial.range().contentRange(blob.size()));
        } else {
            response = Response.ok();
        }
        return response.entity(body(blob, start, length)).type(OCTET_STREAM)
                .header(HttpHeaders.ETAG, etag)
                .header(HttpHeaders.CONTENT_LENGTH, length)
                .header("Accept-Ranges", "bytes")
                .header(HttpHeaders.CACHE_CONTROL, "public, max-age=31536000, immutable")
                .build();
    }

    /** Whether an If-None-Match list names this entity tag (weak comparison, as RFC 9110 asks). */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals("*") || tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    private static StreamingOutput body(ImageBlob blob, long start, long length) {
        if (!Files.isReadable(blob.path())) {
            // Deleted meanwhile: a clean 404 rather than a broken 200.
            throw StratosException.notFound("no image has digest " + blob.digest(), null);
        }
        // The file is opened only when the body is written: a HEAD request writes none and opens nothing.
        // Big chunks straight from the file into the servlet's stream: Jetty writes a chunk at least its
        // aggregation size (8 KiB) to the socket at once, each a blocking write with its callback, so 8 KiB
        // chunks (what Channels.newChannel hands on) cost several times the copy; 1 MiB ones cost a copy.
        return (OutputStream out) -> {
            try (FileChannel in = FileChannel.open(blob.path(), StandardOpenOption.READ)) {
                byte[] chunk = new byte[(int) Math.min(length, CHUNK)];
                ByteBuffer buffer = ByteBuffer.wrap(chunk);
                long position = start;
                long remaining = length;
                while (remaining > 0) {
                    buffer.clear().limit((int) Math.min(remaining, chunk.length));
                    int read = in.read(buffer, position);
                    if (read <= 0) {
                        throw new IOException("image " + blob.digest() + " ended early");
                    }
                    out.write(chunk, 0, read);
                    position += read;
                    remaining -= read;
                }
                out.flush();
            }
        };
    }
}
