package io.stratos.lxc.itests.support;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/** Reading the API's JSON answers in tests, with Jackson (compact or pretty-printed alike). */
public final class Json {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private Json() {
    }

    /** The document as a tree; IllegalArgumentException when it is not one JSON value. */
    public static JsonNode tree(String json) {
        try {
            JsonNode node = MAPPER.readTree(json);
            if (node == null || node.isMissingNode()) {
                throw new IllegalArgumentException("no JSON value in an empty text");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(e.getOriginalMessage(), e);
        }
    }

    /**
     * One JSON value as plain Java values: Map (in document order), List, String, BigDecimal for every number,
     * Boolean and null. IllegalArgumentException when the text is not one JSON value.
     */
    public static Object parse(String json) {
        return plain(tree(json));
    }

    /** The elements of an array node (or the values of an object node; nothing for others), in order. */
    public static Stream<JsonNode> stream(JsonNode node) {
        return StreamSupport.stream(node.spliterator(), false);
    }

    /** Whether the text is one JSON value. */
    public static boolean isJson(String text) {
        try {
            tree(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * Whether the text is one JSON object with a non-empty string in each of the fields: {@code hasStrings(body,
     * "error", "hint")} is the API's error answer. False, not an exception, for text that is not JSON.
     */
    public static boolean hasStrings(String text, String... fields) {
        if (!isJson(text)) {
            return false;
        }
        JsonNode node = tree(text);
        for (String field : fields) {
            if (!node.isObject() || !node.path(field).isTextual() || node.path(field).textValue().isEmpty()) {
                return false;
            }
        }
        return true;
    }

    /** All string values of the field, anywhere in the document, in document order. */
    public static List<String> strings(String json, String field) {
        List<String> values = new ArrayList<>();
        collect(tree(json), field, values);
        return values;
    }

    /**
     * The value at a JSON pointer ("/state", "/components/0/name") as text: a string as it is, a number or boolean
     * as written; null when there is nothing there.
     */
    public static String at(String json, String pointer) {
        JsonNode node = tree(json).at(pointer);
        return node.isMissingNode() || node.isNull() ? null : node.asText();
    }

    /**
     * In a JSON array (GET /vms, /subscriptions/x/processes), the first element whose field has the value; a missing
     * node (whose fields are missing too) when there is none.
     */
    public static JsonNode element(String arrayJson, String field, String value) {
        return stream(tree(arrayJson)).filter(e -> value.equals(e.path(field).asText(null))).findFirst()
                .orElse(com.fasterxml.jackson.databind.node.MissingNode.getInstance());
    }

    /** In a status document (GET /status), the state of the named component; null when it is not listed. */
    public static String componentState(String statusJson, String component) {
        return stream(tree(statusJson).path("components")).filter(c -> component.equals(c.path("name").asText()))
                .map(c -> c.path("state").asText()).findFirst().orElse(null);
    }

    public static long count(String json, String field, String value) {
        return strings(json, field).stream().filter(value::equals).count();
    }

    private static void collect(JsonNode node, String field, List<String> into) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> fields = node.fields(); fields.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = fields.next();
                if (entry.getKey().equals(field) && entry.getValue().isTextual()) {
                    into.add(entry.getValue().textValue());
                }
                collect(entry.getValue(), field, into);
            }
        } else if (node.isArray()) {
            node.forEach(element -> collect(element, field, into));
        }
    }

    private static Object plain(JsonNode node) {
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            node.fields().forEachRemaining(e -> map.put(e.getKey(), plain(e.getValue())));
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>();
            node.forEach(element -> list.add(plain(element)));
            return list;
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        return node.isNull() ? null : node.textValue();
    }
}
