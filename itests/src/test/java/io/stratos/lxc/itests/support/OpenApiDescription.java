package io.stratos.lxc.itests.support;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** An OpenAPI 3 description read as plain maps: its operations, and its schemas with {@code $ref}s resolved. */
final class OpenApiDescription {

    /** One method on one path, with the parameters of its path item and its own. */
    record Operation(String method, String base, String path, List<Map<String, Object>> parameters,
                     Map<String, Object> requestBody, Map<String, Object> responses) {

        String id() {
            return method.toUpperCase(Locale.ROOT) + " " + path;
        }

        /** The decoded values a request target gives this operation's path parameters. */
        Map<String, String> pathValues(String target) {
            Map<String, String> values = new HashMap<>();
            String[] template = (base + path).split("/");
            String[] actual = target.split("\\?")[0].split("/");
            for (int i = 0; i < template.length && i < actual.length; i++) {
                if (template[i].startsWith("{")) {
                    values.put(template[i].substring(1, template[i].length() - 1), decode(actual[i]));
                }
            }
            return values;
        }
    }

    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch", "head", "options");

    private final Map<String, Object> spec;
    private final List<Operation> operations = new ArrayList<>();

    @SuppressWarnings("unchecked")
    OpenApiDescription(String specJson) {
        this.spec = (Map<String, Object>) Json.parse(specJson);
        String defaultBase = serverUrl(spec.get("servers"), "");
        Map<String, Object> paths = (Map<String, Object>) spec.get("paths");
        for (Map.Entry<String, Object> path : paths.entrySet()) {
            Map<String, Object> item = (Map<String, Object>) path.getValue();
            String base = serverUrl(item.get("servers"), defaultBase);
            List<Map<String, Object>> shared = params(item.get("parameters"));
            for (String method : METHODS) {
                Map<String, Object> op = (Map<String, Object>) item.get(method);
                if (op == null) {
                    continue;
                }
                List<Map<String, Object>> parameters = new ArrayList<>(shared);
                parameters.addAll(params(op.get("parameters")));
                Map<String, Object> body = op.get("requestBody") == null ? null : resolve(op.get("requestBody"));
                operations.add(new Operation(method, base, path.getKey(), parameters, body,
                        (Map<String, Object>) op.getOrDefault("responses", Map.of())));
            }
        }
    }

    List<Operation> operations() {
        return operations;
    }

    /** The operation with this id, or null. */
    Operation operation(String id) {
        for (Operation op : operations) {
            if (op.id().equals(id)) {
                return op;
            }
        }
        return null;
    }

    /** The node itself, or what its {@code $ref} (and theirs, in turn) points to. */
    @SuppressWarnings("unchecked")
    Map<String, Object> resolve(Object node) {
        Map<String, Object> map = (Map<String, Object>) node;
        int hops = 0;
        while (map.get("$ref") instanceof String ref && hops++ < 20) {
            Object target = spec;
            for (String part : ref.substring(2).split("/")) {
                target = ((Map<String, Object>) target).get(part);
            }
            if (target == null) {
                throw new IllegalStateException("the description refers to " + ref + ", which it does not have");
            }
            map = (Map<String, Object>) target;
        }
        return map;
    }

    private List<Map<String, Object>> params(Object node) {
        List<Map<String, Object>> out = new ArrayList<>();
        if (node instanceof List<?> list) {
            list.forEach(p -> out.add(resolve(p)));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static String serverUrl(Object servers, String fallback) {
        if (servers instanceof List<?> list && !list.isEmpty()) {
            return String.valueOf(((Map<String, Object>) list.get(0)).get("url"));
        }
        return fallback;
    }

    /** Percent-decoded, or as it is when it is not validly encoded (a hostile value). */
    static String decode(String value) {
        try {
            return java.net.URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return value;
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> cast(Object map) {
        return (Map<String, Object>) map;
    }
}
