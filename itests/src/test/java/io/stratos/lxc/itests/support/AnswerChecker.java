package io.stratos.lxc.itests.support;

import static io.stratos.lxc.itests.support.OpenApiDescription.cast;

import io.stratos.lxc.itests.support.OpenApiDescription.Operation;
import io.stratos.lxc.itests.support.OpenApiFuzzer.Request;
import java.util.Map;

/**
 * Checks one answer against the description: no 5xx, no slow answer, the JSON error shape on every 4xx of the API,
 * only documented statuses, no 2xx for a body the schema forbids or a path parameter breaking its pattern, and a
 * body that matches the documented response schema.
 */
final class AnswerChecker {

    private final OpenApiDescription description;
    private final FuzzFindings findings;
    private final ResponseSchema schemas;

    AnswerChecker(OpenApiDescription description, FuzzFindings findings) {
        this.description = description;
        this.findings = findings;
        this.schemas = new ResponseSchema(description::resolve);
    }

    void check(Request request, RawHttp.Response response, long millis) {
        int status = response.status();
        String text = response.text();
        if (status >= 500) {
            findings.fail("server error", request.operation() + " -> " + status + " " + firstLine(text), status, text, request);
            return;
        }
        if (millis > 20_000) {
            findings.fail("slow answer", request.operation() + " took over 20 s", status, millis + " ms", request);
        }
        boolean ours = request.target().startsWith("/stratos/");
        if (status >= 400 && text.startsWith("<h1>Bad Message ")) {
            // Jetty's HTTP parser refused the request line or headers (bad percent-encoding, %00, a URI or
            // header over its limits) before any servlet saw it: a 4xx, in Jetty's words rather than ours
            findings.refusedByHttpParser(status);
            return;
        }
        if (status >= 400 && ours && !request.method().equals("HEAD") && !request.method().equals("TRACE")) {
            Object body = parseOrNull(text);
            if (!(body instanceof Map<?, ?> map) || !(map.get("error") instanceof String)) {
                findings.fail("error without the JSON error shape", request.operation() + " -> " + status + " " + response.contentType(),
                        status, text, request);
            }
        }
        Operation op = description.operation(request.operation());
        boolean asDescribed = op != null && request.method().equalsIgnoreCase(op.method()) && !request.mode().equals("protocol");
        if (!asDescribed) {
            return;
        }
        if (status < 300 && request.schemaInvalidBody()) {
            findings.fail("accepted a body the schema forbids", request.operation() + " -> " + status, status, text, request);
        }
        // Every status answered to a request of the operation's own method must be one the description lists for it.
        if (!op.responses().containsKey(String.valueOf(status)) && !op.responses().containsKey("default")) {
            findings.fail("undocumented status", request.operation() + " -> " + status, status, text, request);
            return;
        }
        if (status < 300 && request.mode().endsWith("mutated")) {
            String broken = pathParameterBreakingItsPattern(request, op);
            if (broken != null) {
                findings.fail("accepted a path parameter the description forbids", request.operation() + " -> " + status + " " + broken,
                        status, text, request);
            }
            return; // a hostile path parameter may still name something real: only its refusals are checked
        }
        Map<String, Object> documented = description.resolve(op.responses().getOrDefault(String.valueOf(status),
                op.responses().getOrDefault("default", Map.of())));
        Map<String, Object> content = documented.get("content") instanceof Map<?, ?> c ? cast(c) : Map.of();
        Object json = content.get("application/json");
        if (json instanceof Map<?, ?> media && media.get("schema") != null) {
            Object body = parseOrNull(text);
            if (body == null && !text.trim().equals("null")) {
                findings.fail("response is not JSON", request.operation() + " -> " + status, status, text, request);
                return;
            }
            String problem = schemas.problem(body, description.resolve(media.get("schema")));
            if (problem != null) {
                findings.fail("response breaks its schema", request.operation() + " -> " + status + " " + problem.replaceAll("\\[\\d+\\]", "[]")
                        .replaceAll("'[^']*'", "'...'"), status, text, request);
            }
        }
    }

    /** The name of a path parameter whose value breaks the pattern its schema documents, or null. */
    private String pathParameterBreakingItsPattern(Request request, Operation op) {
        Map<String, String> values = op.pathValues(request.target());
        for (Map<String, Object> parameter : op.parameters()) {
            if (!"path".equals(parameter.get("in")) || !(parameter.get("schema") instanceof Map<?, ?> schema)) {
                continue;
            }
            String value = values.get(String.valueOf(parameter.get("name")));
            if (value != null && description.resolve(schema).get("pattern") instanceof String pattern
                    && !java.util.regex.Pattern.compile(pattern).matcher(value).find()) {
                return String.valueOf(parameter.get("name"));
            }
        }
        return null;
    }

    private static String firstLine(String text) {
        Object body = parseOrNull(text);
        String line = body instanceof Map<?, ?> map && map.get("error") != null ? String.valueOf(map.get("error")) : text;
        line = line.replaceAll("[0-9a-f]{8}", "<id>");
        int nl = line.indexOf('\n');
        return nl > 0 ? line.substring(0, nl) : line.length() > 120 ? line.substring(0, 120) : line;
    }

    /** The parsed JSON, or null when the text is not JSON. */
    static Object parseOrNull(String text) {
        try {
            return Json.parse(text);
        } catch (RuntimeException e) {
            return null;
        }
    }

}
