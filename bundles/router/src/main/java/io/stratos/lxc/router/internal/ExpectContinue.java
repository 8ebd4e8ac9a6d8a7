package io.stratos.lxc.router.internal;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;

/** 100-continue answered by the router (Expect is not forwarded); an expectation it cannot meet is a JSON 417. */
final class ExpectContinue extends HttpServerExpectContinueHandler {
    @Override
    protected HttpResponse rejectResponse(HttpRequest request) {
        FullHttpResponse response = JsonErrors.json(417, "unsupported expectation '" + request.headers().get(HttpHeaderNames.EXPECT) + "'",
                "only Expect: 100-continue is understood", null);
        response.headers().set(HttpHeaderNames.CONNECTION, "close");
        return response;
    }
}
