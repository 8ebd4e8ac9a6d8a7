package io.stratos.lxc.router.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;

/** The router's own answers: {@code {"error":...,"hint":...}} bodies, and the text that goes into them. */
final class JsonErrors {

    /** What a 503 (or a 502 a retry may cure) tells a client to wait, in seconds. */
    static final int RETRY_AFTER_SECONDS = 5;

    /** Jackson escapes the text as JSON needs it: the router keeps no escape table of its own. */
    private static final ObjectMapper JSON = JsonMapper.builder().build();

    private JsonErrors() {
    }

    static FullHttpResponse json(int status, String error, String hint, Integer retryAfter) {
        byte[] body = (body(error, hint) + "\n").getBytes(StandardCharsets.UTF_8);
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.valueOf(status),
                Unpooled.wrappedBuffer(body));
        response.headers().set(HttpHeaderNames.CONTENT_TYPE, "application/json");
        response.headers().set(HttpHeaderNames.CONTENT_LENGTH, body.length);
        if (retryAfter != null) {
            response.headers().set(HttpHeaderNames.RETRY_AFTER, retryAfter.toString());
        }
        return response;
    }

    /** {@code {"error":"...","hint":"..."}}, on one line. */
    static String body(String error, String hint) {
        ObjectNode node = JSON.createObjectNode();
        node.put("error", error);
        node.put("hint", hint);
        try {
            return JSON.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write an error body", e);
        }
    }

    static String abbreviate(String text) {
        return text.length() > 80 ? text.substring(0, 80) + "..." : text;
    }

    static String describe(Throwable cause) {
        if (cause instanceof ConnectException) {
            return "connection refused or timed out (" + cause.getMessage() + ")";
        }
        return cause.toString();
    }
}
