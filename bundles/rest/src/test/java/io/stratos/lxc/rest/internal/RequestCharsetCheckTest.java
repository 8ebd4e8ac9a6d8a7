package io.stratos.lxc.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class RequestCharsetCheckTest {

    @ParameterizedTest
    @ValueSource(strings = {"application/json; charset=klingon", "application/json;charset=x-no-such-charset",
            "application/json; charset=\"klingon\"", "application/json; charset=\"", "application/json; charset=\"utf-8",
            "application/json; charset=utf 8", "text/plain; charset=@@@; q=1"})
    void aCharsetTheJvmDoesNotKnowIsFound(String contentType) {
        assertThat(RequestCharsetCheck.unsupportedCharset(contentType, null)).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "application/json; charset=utf-8", "application/json; charset=UTF-8",
            "application/json; charset=\"utf-8\"", "application/json; charset=utf-8\"", "application/json; charset=utf-16",
            "application/json; charset=ISO-8859-1; foo=bar", "application/json; charset=", "application/x-tar", ""})
    void knownOrAbsentCharsetsPass(String contentType) {
        assertThat(RequestCharsetCheck.unsupportedCharset(contentType, null)).isEmpty();
    }

    @Test
    void theContainersReadingCountsWhenTheHeaderHasNoLowercaseCharsetParameter() {
        // "Charset=" escapes CXF's case-sensitive search; CXF then asks the container, which reads it case-insensitively
        assertThat(RequestCharsetCheck.unsupportedCharset("application/json; Charset=klingon", "klingon")).contains("klingon");
        assertThat(RequestCharsetCheck.unsupportedCharset("application/json; Charset=utf-8", "utf-8")).isEmpty();
        assertThat(RequestCharsetCheck.unsupportedCharset(null, null)).isEmpty();
    }

    @Test
    void anUnknownCharsetIsAnswered415WithTheJsonErrorAndGoesNoFurther() throws Exception {
        Exchange exchange = new Exchange("application/json; charset=klingon");
        new RequestCharsetCheck().doFilter(exchange.request(), exchange.response(), (req, res) -> exchange.passed.set(true));

        assertThat(exchange.passed).isFalse();
        assertThat(exchange.status).isEqualTo(415);
        assertThat(exchange.contentType).isEqualTo("application/json");
        ApiError error = RestServer.objectMapper().readValue(exchange.body.toByteArray(), ApiError.class);
        assertThat(error.field()).isEqualTo("Content-Type");
        assertThat(error.error()).contains("'klingon'");
        assertThat(error.hint()).contains("utf-8");
    }

    @Test
    void aHostileCharsetNameIsQuotedAsJsonAndCutShort() throws Exception {
        Exchange exchange = new Exchange("application/json; charset=\"}{\\\"x" + "y".repeat(5000));
        new RequestCharsetCheck().doFilter(exchange.request(), exchange.response(), (req, res) -> exchange.passed.set(true));

        assertThat(exchange.status).isEqualTo(415);
        ApiError error = RestServer.objectMapper().readValue(exchange.body.toByteArray(), ApiError.class);
        assertThat(error.error()).hasSizeLessThan(200);
    }

    @Test
    void aGoodRequestPassesUntouched() throws Exception {
        Exchange exchange = new Exchange("application/json; charset=utf-8");
        new RequestCharsetCheck().doFilter(exchange.request(), exchange.response(), (req, res) -> exchange.passed.set(true));

        assertThat(exchange.passed).isTrue();
        assertThat(exchange.status).isZero();
        assertThat(exchange.body.size()).isZero();
    }

    /** Just enough of a servlet request and response (the filter reads two headers and writes one answer). */
    static final class Exchange {
        final String contentType0;
        final AtomicBoolean passed = new AtomicBoolean();
        final ByteArrayOutputStream body = new ByteArrayOutputStream();
        final Map<String, Object> set = new HashMap<>();
        int status;
        String contentType;

        Exchange(String contentType) {
            this.contentType0 = contentType;
        }

        HttpServletRequest request() {
            return (HttpServletRequest) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {HttpServletRequest.class},
                    (proxy, method, args) -> switch (method.getName()) {
                        case "getContentType" -> contentType0;
                        case "getCharacterEncoding" -> null;
                        case "getRequestURI" -> "/stratos/api/v1/subscriptions";
                        default -> throw new UnsupportedOperationException(method.getName());
                    });
        }

        HttpServletResponse response() {
            ServletOutputStream out = new ServletOutputStream() {
                @Override
                public boolean isReady() {
                    return true;
                }

                @Override
                public void setWriteListener(WriteListener listener) {
                }

                @Override
                public void write(int b) {
                    body.write(b);
                }
            };
            return (HttpServletResponse) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {HttpServletResponse.class},
                    (proxy, method, args) -> {
                        switch (method.getName()) {
                            case "setStatus" -> status = (Integer) args[0];
                            case "setContentType" -> contentType = (String) args[0];
                            case "getOutputStream" -> {
                                return out;
                            }
                            default -> set.put(method.getName(), args == null ? null : args[0]);
                        }
                        return null;
                    });
        }
    }
}
