package io.stratos.lxc.metrics.internal;

import io.prometheus.metrics.exporter.common.PrometheusHttpExchange;
import io.prometheus.metrics.exporter.common.PrometheusHttpRequest;
import io.prometheus.metrics.exporter.common.PrometheusHttpResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Enumeration;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

/**
 * A servlet call as the Prometheus client's scrape handler sees it (what its exporter-servlet module does, which is
 * not served for javax.servlet here): it reads the Accept header and the {@code name[]} filter, and writes the body.
 */
final class ServletExchange implements PrometheusHttpExchange {

    private final HttpServletRequest request;
    private final HttpServletResponse response;

    ServletExchange(HttpServletRequest request, HttpServletResponse response) {
        this.request = request;
        this.response = response;
    }

    @Override
    public PrometheusHttpRequest getRequest() {
        return new PrometheusHttpRequest() {
            @Override
            public String getQueryString() {
                return request.getQueryString();
            }

            @Override
            public Enumeration<String> getHeaders(String name) {
                return request.getHeaders(name);
            }

            @Override
            public String getMethod() {
                return request.getMethod();
            }

            @Override
            public String getRequestPath() {
                return request.getRequestURI();
            }
        };
    }

    @Override
    public PrometheusHttpResponse getResponse() {
        return new PrometheusHttpResponse() {
            @Override
            public void setHeader(String name, String value) {
                response.setHeader(name, value);
            }

            @Override
            public OutputStream sendHeadersAndGetBody(int status, int contentLength) throws IOException {
                if (contentLength > 0) {
                    response.setContentLength(contentLength);
                }
                response.setStatus(status);
                return response.getOutputStream();
            }
        };
    }

    @Override
    public void handleException(IOException e) throws IOException {
        throw e;
    }

    @Override
    public void handleException(RuntimeException e) {
        throw e;
    }

    @Override
    public void close() {
        // the servlet container completes the response
    }
}
