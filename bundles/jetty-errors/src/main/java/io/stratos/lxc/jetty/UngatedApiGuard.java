package io.stratos.lxc.jetty;

import java.io.IOException;
import javax.servlet.ServletException;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.HandlerWrapper;

/**
 * Closes the boot window before the API's gate exists. CXF's servlet is registered at {@code /stratos} as soon as
 * CXF's bundles start, before the REST bundle registers its gate (a whiteboard preprocessor, which answers 503 until
 * every resource is published). In between, CXF answered an API call itself: a 404 with HTML, "No service was found."
 * (seen in CI). CXF writes that answer directly, so no error handler sees it.
 * <p>
 * Put in every servlet context by {@link ContextErrorHandlers}. After the context has answered, a 404 for an API path
 * that the gate never saw (it marks every request it sees with {@value #GATE_SEEN}) and that is not yet on the wire is
 * replaced by the 503 with {@code Retry-After} that the gate would have answered. Once the gate is there, nothing
 * changes.
 */
public class UngatedApiGuard extends HandlerWrapper {

    /** The request attribute the REST bundle's gate sets on every request it sees (its ApiGate.SEEN, same text). */
    static final String GATE_SEEN = "io.stratos.lxc.rest.gate.seen";

    @Override
    public void handle(String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
            throws IOException, ServletException {
        super.handle(target, baseRequest, request, response);
        // A 404 sent as an error (sendError) goes to the context's JsonContextErrorHandler instead, which tells a real
        // one (the console's) from Pax Web's catch-all; only one written directly, as CXF writes it, is taken here.
        if (response.getStatus() == HttpStatus.NOT_FOUND_404 && request.getAttribute(GATE_SEEN) == null
                && !response.isCommitted() && !request.isAsyncStarted() && !baseRequest.getHttpChannelState().isSendError()
                && JsonErrors.isApi(baseRequest.getHttpURI() == null ? null : baseRequest.getHttpURI().getDecodedPath())) {
            response.reset();
            JsonErrors.notPublished(baseRequest, request, response);
        }
    }
}
