package io.stratos.lxc.jetty;

import java.io.IOException;
import java.nio.ByteBuffer;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.handler.ErrorHandler;

/** Jetty's server-level error handler (set by this fragment's {@code /jetty.xml}): answers with {@link JsonErrors}. */
public class JsonErrorHandler extends ErrorHandler {

    /** Every method gets a body: Jetty's default gives PUT and DELETE an empty one. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    @Override
    public void doError(String target, Request baseRequest, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        JsonErrors.answer(baseRequest, request, response);
    }

    /** Jetty's answer to a request it cannot parse: no request object exists yet, only the status and reason. */
    @Override
    public ByteBuffer badMessageError(int status, String reason, HttpFields fields) {
        return JsonErrors.badMessage(status, reason, fields);
    }
}
