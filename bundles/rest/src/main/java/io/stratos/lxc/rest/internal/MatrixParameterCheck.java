package io.stratos.lxc.rest.internal;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.servlet.FilterChain;
import javax.servlet.FilterConfig;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.http.whiteboard.Preprocessor;

/**
 * Refuses a {@code ;} in the path of a call to the user API with a JSON 400. No operation takes a matrix parameter,
 * and CXF strips them before matching: {@code DELETE /subscriptions/;x=y} became a 405 on the collection and
 * {@code GET /subscriptions/;x=y/processes} a 200 for an empty alias. An encoded {@code %3B} is not a matrix parameter:
 * it reaches the operation as part of the value, which then checks it.
 */
@Component(service = Preprocessor.class, property = "osgi.http.whiteboard.filter.name=stratos-matrix-parameter-check")
public class MatrixParameterCheck implements Preprocessor {

    private static final ObjectMapper JSON = RestServer.objectMapper();

    @Override
    public void doFilter(ServletRequest request, ServletResponse response, FilterChain chain) throws IOException, ServletException {
        if (request instanceof HttpServletRequest http && response instanceof HttpServletResponse answer
                && ApiGate.gated(http.getRequestURI()) && http.getRequestURI().indexOf(';') >= 0) {
            byte[] body = JSON.writeValueAsBytes(new ApiError("the URL's path has a ';' (a matrix parameter), which no operation takes",
                    "url", "encode ';' in a path parameter as %3B"));
            answer.setStatus(400);
            answer.setContentType("application/json");
            answer.setCharacterEncoding(StandardCharsets.UTF_8.name());
            answer.setContentLength(body.length);
            answer.getOutputStream().write(body);
            return;
        }
        chain.doFilter(request, response);
    }

    @Override
    public void init(FilterConfig config) {
        // nothing to set up
    }

    @Override
    public void destroy() {
        // nothing held
    }
}
