package io.stratos.lxc.itests.support;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Checks an answer (parsed by {@link Json#parse}) against an OpenAPI 3.0 schema: types, required and unknown
 * properties, enums, nullability, numeric bounds, string patterns and array sizes. What a description says of an
 * answer must hold for every answer, or the description is wrong.
 */
final class ResponseSchema {

    private final Function<Object, Map<String, Object>> resolve;

    ResponseSchema(Function<Object, Map<String, Object>> resolve) {
        this.resolve = resolve;
    }

    /** Why the value breaks the schema, or null. */
    String problem(Object value, Map<String, Object> schema) {
        return conforms(value, schema, "$", 0);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object map) {
        return (Map<String, Object>) map;
    }

    private String conforms(Object value, Map<String, Object> schema, String where, int depth) {
        if (depth > 20 || schema.isEmpty()) {
            return null;
        }
        if (value == null) {
            return Boolean.TRUE.equals(schema.get("nullable")) || !schema.containsKey("type") ? null : where + " is null";
        }
        String type = schema.get("type") instanceof String t ? t : null;
        if (type == null) {
            return null;
        }
        switch (type) {
            case "object": {
                if (!(value instanceof Map<?, ?> map)) {
                    return where + " is not an object";
                }
                Map<String, Object> properties = schema.get("properties") instanceof Map<?, ?> p ? cast(p) : Map.of();
                if (schema.get("required") instanceof List<?> required) {
                    for (Object r : required) {
                        if (!map.containsKey(r)) {
                            return where + "." + r + " is missing";
                        }
                    }
                }
                for (Map.Entry<?, ?> e : map.entrySet()) {
                    Object propSchema = properties.get(e.getKey());
                    if (propSchema == null) {
                        if (Boolean.FALSE.equals(schema.get("additionalProperties"))) {
                            return where + "." + e.getKey() + " is not in the schema";
                        }
                        propSchema = schema.get("additionalProperties") instanceof Map<?, ?> extra ? extra : null;
                    }
                    if (propSchema != null) {
                        String problem = conforms(e.getValue(), resolve.apply(propSchema), where + "." + e.getKey(), depth + 1);
                        if (problem != null) {
                            return problem;
                        }
                    }
                }
                return null;
            }
            case "array": {
                if (!(value instanceof List<?> list)) {
                    return where + " is not an array";
                }
                if (schema.get("minItems") instanceof BigDecimal min && list.size() < min.intValue()) {
                    return where + " has " + list.size() + " items, fewer than minItems " + min;
                }
                Map<String, Object> items = schema.get("items") == null ? Map.of() : resolve.apply(schema.get("items"));
                for (int i = 0; i < list.size(); i++) {
                    String problem = conforms(list.get(i), items, where + "[" + i + "]", depth + 1);
                    if (problem != null) {
                        return problem;
                    }
                }
                return null;
            }
            case "string":
                if (!(value instanceof String s)) {
                    return where + " is not a string";
                }
                if (schema.get("enum") instanceof List<?> values && !values.contains(s)) {
                    return where + " '" + s + "' is not one of " + values;
                }
                if (schema.get("pattern") instanceof String pattern && !Pattern.compile(pattern).matcher(s).find()) {
                    return where + " '" + s + "' does not match " + pattern;
                }
                return null;
            case "integer":
                if (!(value instanceof BigDecimal d) || d.stripTrailingZeros().scale() > 0) {
                    return where + " is not an integer";
                }
                return bounds(d, schema, where);
            case "number":
                return value instanceof BigDecimal d ? bounds(d, schema, where) : where + " is not a number";
            case "boolean":
                return value instanceof Boolean ? null : where + " is not a boolean";
            default:
                return null;
        }
    }

    private static String bounds(BigDecimal value, Map<String, Object> schema, String where) {
        if (schema.get("minimum") instanceof BigDecimal min && value.compareTo(min) < 0) {
            return where + " " + value.toPlainString() + " is below the minimum " + min.toPlainString();
        }
        if (schema.get("maximum") instanceof BigDecimal max && value.compareTo(max) > 0) {
            return where + " " + value.toPlainString() + " is above the maximum " + max.toPlainString();
        }
        return null;
    }
}
