package io.stratos.lxc.rest.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import io.stratos.lxc.api.StratosException;
import java.util.UUID;
import javax.ws.rs.WebApplicationException;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import javax.ws.rs.ext.ExceptionMapper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Every error leaves the API as JSON {@link ApiError}; none leaks a stack trace. */
final class ErrorMappers {

    private static final Logger LOG = LoggerFactory.getLogger(ErrorMappers.class);

    private ErrorMappers() {
    }

    /** An error answer without JAX-RS: the agent API's servlet writes the same answers as the mappers. */
    record Answer(int status, ApiError body) {
    }

    static Response error(int status, String error, String field, String hint) {
        return error(new Answer(status, new ApiError(error, field, hint)));
    }

    static Response error(Answer answer) {
        return Response.status(answer.status()).type(MediaType.APPLICATION_JSON_TYPE).entity(answer.body()).build();
    }

    /** What the mappers answer for any failure of a call. */
    static Answer answer(Throwable e) {
        if (e instanceof StratosException domain) {
            return domain(domain);
        }
        if (e instanceof JsonProcessingException json) {
            return json(json);
        }
        return unexpected(e);
    }

    static Answer domain(StratosException e) {
        return new Answer(statusOf(e.kind()), new ApiError(e.getMessage(), e.field(), e.hint()));
    }

    static int statusOf(StratosException.Kind kind) {
        return switch (kind) {
            case INVALID_INPUT -> 400;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case TOO_LARGE -> 413;
            case FORBIDDEN -> 403;
            case UNAVAILABLE -> 503;
        };
    }

    /** Failures the services report in the domain's words. */
    static final class Domain implements ExceptionMapper<StratosException> {
        @Override
        public Response toResponse(StratosException e) {
            return error(domain(e));
        }
    }

    /** Malformed JSON and wrong types: 400 naming the field. */
    static final class Json implements ExceptionMapper<JsonProcessingException> {
        @Override
        public Response toResponse(JsonProcessingException e) {
            return error(json(e));
        }
    }

    /** Malformed JSON and wrong types: 400 naming the field. */
    static Answer json(JsonProcessingException e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof StratosException refusal) {
                // e.g. the body limit, thrown by the stream Jackson was reading and wrapped by it
                return domain(refusal);
            }
        }
        String field = null;
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            StringBuilder path = new StringBuilder();
            for (JsonMappingException.Reference ref : mapping.getPath()) {
                if (ref.getFieldName() != null) {
                    path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
                } else if (ref.getIndex() >= 0) {
                    path.append('[').append(ref.getIndex()).append(']');
                }
            }
            field = path.toString();
        }
        String message;
        if (e instanceof UnrecognizedPropertyException unknown) {
            message = "unknown field '" + unknown.getPropertyName() + "'";
        } else if (e instanceof InvalidFormatException format) {
            message = "field '" + field + "' has value " + format.getValue() + " of the wrong type, expected "
                    + format.getTargetType().getSimpleName().toLowerCase();
        } else if (e instanceof JsonMappingException) {
            message = "the request body does not match the expected JSON: " + e.getOriginalMessage();
        } else {
            message = "the request body is not valid JSON: " + e.getOriginalMessage();
        }
        return new Answer(400, new ApiError(message, field, "send a JSON object as described in the API reference"));
    }

    /** 404 for unknown paths, 405, 415 and the like keep their status but speak JSON. */
    static final class Web implements ExceptionMapper<WebApplicationException> {
        @Override
        public Response toResponse(WebApplicationException e) {
            int status = e.getResponse() == null ? 500 : e.getResponse().getStatus();
            String reason = e.getResponse() == null ? "error" : e.getResponse().getStatusInfo().getReasonPhrase();
            String hint = status == 404 ? "see GET /stratos/api/v1/status and the README for the paths" : null;
            return error(status, reason.toLowerCase(), null, hint);
        }
    }

    static boolean clientWentAway(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t.getClass().getSimpleName().equals("EofException")) {
                return true;
            }
        }
        return false;
    }

    /** CXF decodes the path and query lazily, and says so with an IllegalArgumentException of its URL decoder. */
    static boolean badUrlEncoding(Throwable e) {
        if (!(e instanceof IllegalArgumentException)) {
            return false;
        }
        for (StackTraceElement frame : e.getStackTrace()) {
            if (frame.getClassName().equals("org.apache.cxf.common.util.UrlUtils") && frame.getMethodName().equals("urlDecode")) {
                return true;
            }
        }
        return false;
    }

    /** Anything else is our bug: log it with an id the user can quote, answer 500 without details. */
    static final class Unexpected implements ExceptionMapper<Exception> {
        @Override
        public Response toResponse(Exception e) {
            return error(unexpected(e));
        }
    }

    static Answer unexpected(Throwable e) {
        String id = UUID.randomUUID().toString().substring(0, 8);
        if (badUrlEncoding(e)) {
            return new Answer(400, new ApiError("the request URL is not validly percent-encoded: " + e.getMessage(), "url",
                    "encode '%' as %25 in paths and query strings"));
        }
        if (clientWentAway(e)) {
            // The client closed the connection (a timeout on its side): nothing to answer, nothing broken here.
            LOG.debug("Client went away during a REST call: {}", e.toString());
            return new Answer(500, new ApiError("client went away", null, null));
        }
        LOG.error("Unexpected error {} in a REST call", id, e);
        return new Answer(500, new ApiError("internal error " + id, null, "the controller log has the details under this id"));
    }
}
