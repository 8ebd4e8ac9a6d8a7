package io.stratos.lxc.rest.internal;

import io.stratos.lxc.api.security.Role;
import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.store.Cartridge;
import io.stratos.lxc.api.store.CartridgeImage;
import io.stratos.lxc.api.store.CartridgeStore;
import io.stratos.lxc.api.store.UploadResult;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.HeaderParam;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.Context;
import javax.ws.rs.core.HttpHeaders;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.core.UriInfo;
import org.apache.cxf.io.DelegatingInputStream;
import org.apache.cxf.jaxrs.ext.multipart.Attachment;
import org.apache.cxf.jaxrs.ext.MessageContextImpl;
import org.apache.cxf.jaxrs.ext.multipart.MultipartBody;
import org.apache.cxf.jaxrs.utils.multipart.AttachmentUtils;
import org.apache.cxf.message.Message;
import org.apache.cxf.phase.PhaseInterceptorChain;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * The cartridge store over REST:
 * <pre>
 *   GET    /cartridges                               all cartridges with versions and tags
 *   GET    /cartridges/{name}                        one cartridge
 *   GET    /cartridges/{name}/versions/{version}     one version (or a tag such as latest)
 *   PUT    /cartridges/{name}/versions/{version}     upload: raw tarball body (Digest: sha-256=&lt;base64&gt;), or
 *                                                    multipart/form-data with parts "image" and optional "manifest"
 *   DELETE /cartridges/{name}/versions/{version}     204; 409 while a subscription uses it
 *   PUT    /cartridges/{name}/tags/{tag}             {"version": "1.0.0"}: point a tag at a version
 *   DELETE /cartridges/{name}/tags/{tag}             remove a tag
 * </pre>
 */
@Component(service = RestResource.class)
@Path("/cartridges")
@Produces(MediaType.APPLICATION_JSON)
public class CartridgeResource implements RestResource {

    /** Answer of an upload. {@code created} is false when the same bytes were already stored. */
    public record Uploaded(String name, String version, String digest, long size, boolean created) {
    }

    /** Body of {@code PUT /cartridges/{name}/tags/{tag}}. */
    public record TagRequest(String version) {
    }

    @Reference
    CartridgeStore store;

    @Context
    UriInfo uriInfo;

    @Allowed({Role.TENANT})
    @GET
    public List<Cartridge> list() {
        return store.list();
    }

    @Allowed({Role.TENANT})
    @GET
    @Path("/{name}")
    public Cartridge cartridge(@PathParam("name") String name) {
        return store.cartridge(name);
    }

    @Allowed({Role.TENANT})
    @GET
    @Path("/{name}/versions/{version}")
    public CartridgeImage version(@PathParam("name") String name, @PathParam("version") String version) {
        return store.image(name, version);
    }

    /**
     * One method for both shapes of upload: with two, CXF would send a request without Content-Type
     * to the more specific multipart one and answer 415.
     */
    @PUT
    @Path("/{name}/versions/{version}")
    @Consumes(MediaType.WILDCARD)
    public Response upload(@PathParam("name") String name, @PathParam("version") String version,
                           @HeaderParam(HttpHeaders.CONTENT_TYPE) String contentType,
                           @HeaderParam(HttpHeaders.CONTENT_LENGTH) String contentLength,
                           @HeaderParam("Digest") String digestHeader,
                           @HeaderParam("Content-Digest") String contentDigestHeader, InputStream body) {
        long declared = declaredLength(contentLength);
        String expected = expectedDigest(digestHeader != null ? digestHeader : contentDigestHeader);
        try {
            if (contentType != null && contentType.toLowerCase(java.util.Locale.ROOT).startsWith("multipart/")) {
                return uploadMultipart(name, version, declared, expected);
            }
            // The store refuses an announced size over its limit before reading a byte of the body.
            return answer(store.upload(name, version, body, declared, expected, null));
        } catch (StratosException e) {
            // refused (too large, or a bad entry found while streaming): the rest of the body is of no use
            leaveBodyUnread();
            throw e;
        }
    }

    /** multipart/form-data: part "image" (the tarball) and optional part "manifest" (cartridge.json). */
    private Response uploadMultipart(String name, String version, long declared, String expected) {
        if (declared > store.maxImageBytes()) {
            throw StratosException.tooLarge("Content-Length", "the image is too large: " + declared
                    + " bytes are announced, the limit is " + store.maxImageBytes() + " bytes",
                    "raise maxImageBytes in io.stratos.lxc.store.cfg");
        }
        MultipartBody multipart;
        Attachment image;
        Attachment manifestPart;
        try {
            multipart = AttachmentUtils.getMultipartBody(new MessageContextImpl(PhaseInterceptorChain.getCurrentMessage()));
            image = multipart == null ? null : multipart.getAttachment("image");
            manifestPart = multipart == null ? null : multipart.getAttachment("manifest");
        } catch (Exception e) {
            // CXF reports a missing or wrong boundary as an IOException (undeclared): the client's fault
            throw StratosException.invalid("Content-Type", "the multipart body cannot be read: " + e.getMessage(),
                    "send multipart/form-data with its boundary in Content-Type and a part named 'image'");
        }
        if (image == null) {
            throw StratosException.invalid("image", "the multipart body has no part named 'image'",
                    "send the tarball as part 'image' and optionally cartridge.json as part 'manifest'");
        }
        try (InputStream in = image.getDataHandler().getInputStream()) {
            byte[] manifest = null;
            if (manifestPart != null) {
                try (InputStream json = manifestPart.getDataHandler().getInputStream()) {
                    manifest = json.readNBytes(1024 * 1024);
                }
            }
            return answer(store.upload(name, version, in, -1, expected, manifest));
        } catch (IOException e) {
            throw StratosException.invalid("image", "the multipart body cannot be read: " + e.getMessage(), null);
        }
    }

    @DELETE
    @Path("/{name}/versions/{version}")
    public Response delete(@PathParam("name") String name, @PathParam("version") String version) {
        store.delete(name, version);
        return Response.noContent().build();
    }

    @PUT
    @Path("/{name}/tags/{tag}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Cartridge tag(@PathParam("name") String name, @PathParam("tag") String tag, TagRequest request) {
        if (request == null || request.version() == null) {
            throw StratosException.invalid("version", "no version to tag", "send {\"version\": \"1.0.0\"}");
        }
        return store.tag(name, tag, request.version());
    }

    @DELETE
    @Path("/{name}/tags/{tag}")
    public Cartridge untag(@PathParam("name") String name, @PathParam("tag") String tag) {
        return store.untag(name, tag);
    }

    private Response answer(UploadResult result) {
        CartridgeImage image = result.image();
        Uploaded body = new Uploaded(image.name(), image.version(), image.digest(), image.size(), result.created());
        URI location = uriInfo == null ? null : uriInfo.getBaseUriBuilder().path("cartridges").path(image.name())
                .path("versions").path(image.version()).build();
        Response.ResponseBuilder response = result.created() ? Response.status(201) : Response.ok();
        if (location != null) {
            response.location(location);
        }
        return response.entity(body).type(MediaType.APPLICATION_JSON_TYPE).build();
    }

    /**
     * Before answering, CXF would read (cache, or consume up to 16 MiB of) a request body the
     * resource left unread; for a refused oversized upload it must not, so that the 413 goes out at
     * once. Jetty then closes the connection instead of reading the rest.
     */
    static void leaveBodyUnread() {
        Message message = PhaseInterceptorChain.getCurrentMessage();
        if (message != null && message.getExchange() != null) {
            message.getExchange().put("cxf.io.cacheinput", Boolean.FALSE);
            message.removeContent(DelegatingInputStream.class);
        }
    }

    static long declaredLength(String contentLength) {
        if (contentLength == null || contentLength.isBlank()) {
            return -1;
        }
        try {
            return Long.parseLong(contentLength.trim());
        } catch (NumberFormatException e) {
            throw StratosException.invalid("Content-Length", "Content-Length '" + contentLength + "' is not a number", null);
        }
    }

    /**
     * The expected digest from an RFC 3230 {@code Digest: sha-256=<base64>} header, or an RFC 9530
     * {@code Content-Digest: sha-256=:<base64>:} one (other algorithms in the list are ignored), as
     * {@code sha256:<hex>}; null when the header names no sha-256.
     */
    static String expectedDigest(String header) {
        if (header == null || header.isBlank()) {
            return null;
        }
        for (String item : header.split(",")) {
            String entry = item.trim();
            int eq = entry.indexOf('=');
            if (eq > 0 && entry.substring(0, eq).trim().equalsIgnoreCase("sha-256")) {
                String value = entry.substring(eq + 1).trim();
                if (value.length() >= 2 && value.startsWith(":") && value.endsWith(":")) {
                    value = value.substring(1, value.length() - 1);
                }
                try {
                    byte[] digest = Base64.getDecoder().decode(value);
                    if (digest.length == 32) {
                        return "sha256:" + HexFormat.of().formatHex(digest);
                    }
                } catch (IllegalArgumentException e) {
                    // fall through to the error below
                }
                throw StratosException.invalid("Digest", "the Digest header's sha-256 value '" + value
                        + "' is not 32 bytes in base64", "send Digest: sha-256=<base64 of the 32-byte SHA-256>");
            }
        }
        return null;
    }
}
