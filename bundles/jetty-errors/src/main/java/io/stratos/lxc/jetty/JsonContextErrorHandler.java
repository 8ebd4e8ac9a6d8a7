package io.stratos.lxc.jetty;

import java.io.IOException;
import java.nio.ByteBuffer;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.servlet.ErrorPageErrorHandler;

/**
 * A servlet context's error handler (put in place by {@link ContextErrorHandlers}): an error page the context
 * configures still wins; any other error is answered with {@link JsonErrors}. It extends
 * {@link ErrorPageErrorHandler} because Pax Web casts a context's handler to it when it adds error pages.
 */
public class JsonContextErrorHandler extends ErrorPageErrorHandler {

    /** Every method gets a body: Jetty's default gives PUT and DELETE an empty one. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    public void doError(String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        if (getErrorPage(request) != null) {
            super.doError(target, baseRequest, request, response);
        } else {
            JsonErrors.answer(baseRequest, request, response);
        }
    }

    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields fields) {
        return JsonErrors.badMessage(status, reason, fields);
    }
}
