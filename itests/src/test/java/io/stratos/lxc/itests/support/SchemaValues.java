package io.stratos.lxc.itests.support;

import static io.stratos.lxc.itests.support.HostileValues.NUMBERS;
import static io.stratos.lxc.itests.support.HostileValues.STRINGS;
import static io.stratos.lxc.itests.support.HostileValues.any;
import static io.stratos.lxc.itests.support.OpenApiDescription.cast;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Values for a schema: valid ones, and mutations of them (missing, unknown, null and wrong-typed fields, odd strings
 * and numbers, deep nesting, huge collections, broken JSON), all drawn from the fuzzer's one seeded {@link Random}.
 */
final class SchemaValues {

    private final OpenApiDescription description;
    private final Random random;

    SchemaValues(OpenApiDescription description, Random random) {
        this.description = description;
        this.random = random;
    }

    /** A value the schema accepts. */
    Object valid(Map<String, Object> schema, int depth) {
        if (schema.get("enum") instanceof List<?> values && !values.isEmpty()) {
            return values.get(random.nextInt(values.size()));
        }
        if (schema.get("example") != null && random.nextInt(10) < 6) {
            return schema.get("example");
        }
        String type = schema.get("type") instanceof String t ? t : schema.containsKey("properties") ? "object" : "string";
        switch (type) {
            case "object": {
                Map<String, Object> out = new LinkedHashMap<>();
                Map<String, Object> properties = schema.get("properties") instanceof Map<?, ?> p ? cast(p) : Map.of();
                List<?> required = schema.get("required") instanceof List<?> r ? r : List.of();
                for (Map.Entry<String, Object> prop : properties.entrySet()) {
                    if (depth < 6 && (required.contains(prop.getKey()) || random.nextInt(3) > 0)) {
                        out.put(prop.getKey(), valid(description.resolve(prop.getValue()), depth + 1));
                    }
                }
                if (schema.get("additionalProperties") instanceof Map<?, ?> extra && depth < 6) {
                    int n = random.nextInt(4);
                    for (int i = 0; i < n; i++) {
                        String key = extra.isEmpty() ? "k" + i : RegexSample.sample("[A-Z][A-Z0-9_]{0,10}", random);
                        out.put(key, valid(description.resolve(extra), depth + 1));
                    }
                }
                return out;
            }
            case "array": {
                List<Object> out = new ArrayList<>();
                int min = schema.get("minItems") instanceof BigDecimal m ? m.intValue() : 0;
                int n = min + random.nextInt(3);
                Map<String, Object> items = schema.get("items") == null ? Map.of() : description.resolve(schema.get("items"));
                for (int i = 0; i < n && depth < 6; i++) {
                    out.add(valid(items, depth + 1));
                }
                return out;
            }
            case "integer": {
                long min = schema.get("minimum") instanceof BigDecimal m ? m.longValue() : 0;
                long max = schema.get("maximum") instanceof BigDecimal m ? m.longValue() : min + 20;
                if (Boolean.TRUE.equals(schema.get("exclusiveMinimum"))) {
                    min++;
                }
                // small values mostly: they reach further than the extremes, which the mutations cover
                long span = Math.max(0, Math.min(max - min, random.nextInt(4) == 0 ? max - min : 5));
                return BigDecimal.valueOf(min + (span == 0 ? 0 : Math.floorMod(random.nextLong(), span + 1)));
            }
            case "number": {
                double min = schema.get("minimum") instanceof BigDecimal m ? m.doubleValue() : 0;
                double max = schema.get("maximum") instanceof BigDecimal m ? m.doubleValue() : min + 100;
                double value = Math.round((min + random.nextDouble() * (max - min)) * 100) / 100.0;
                if (value <= min && Boolean.TRUE.equals(schema.get("exclusiveMinimum"))
                        || value >= max && Boolean.TRUE.equals(schema.get("exclusiveMaximum"))) {
                    value = (min + max) / 2;
                }
                return BigDecimal.valueOf(value);
            }
            case "boolean":
                return random.nextBoolean();
            default: {
                if (schema.get("pattern") instanceof String pattern) {
                    return RegexSample.sample(pattern, random);
                }
                if ("date-time".equals(schema.get("format"))) {
                    return "2026-01-01T00:00:00Z";
                }
                return RegexSample.sample("[a-z][a-z0-9]{2,9}", random);
            }
        }
    }

    /** A mutated value, or its bytes ({@code raw}) when the mutation is no longer a JSON value. */
    record Mutation(Object value, boolean schemaInvalid, byte[] raw) {
    }

    /** One mutation of a valid body; whether the schema forbids the result (when that is certain). */
    Mutation mutate(Object value, Map<String, Object> schema) {
        int dice = random.nextInt(14);
        List<List<Object>> nodes = new ArrayList<>();
        collect(value, new ArrayList<>(), nodes, 0);
        switch (dice) {
            case 0: { // a required field missing
                List<?> required = schema.get("required") instanceof List<?> r ? r : List.of();
                if (value instanceof Map<?, ?> map && !required.isEmpty()) {
                    Map<String, Object> copy = new LinkedHashMap<>(cast(map));
                    copy.remove(String.valueOf(required.get(random.nextInt(required.size()))));
                    return new Mutation(copy, true, null);
                }
                return new Mutation(null, false, null);
            }
            case 1: { // an unknown field
                if (value instanceof Map<?, ?> map) {
                    Map<String, Object> copy = new LinkedHashMap<>(cast(map));
                    copy.put(random.nextBoolean() ? "zz" + random.nextInt(100) : any(STRINGS, random),
                            random.nextBoolean() ? 1 : "x");
                    return new Mutation(copy, Boolean.FALSE.equals(schema.get("additionalProperties")), null);
                }
                return new Mutation(Map.of("zz", 1), true, null);
            }
            case 2, 3: { // a node of the wrong type, or null
                Object replacement = dice == 3 ? null : otherType(nodes.isEmpty() ? value : pick(nodes).get(1));
                return new Mutation(replace(value, nodes, replacement), false, null);
            }
            case 4, 5: { // an odd string
                String s = random.nextInt(4) == 0 ? hugeString() : any(STRINGS, random);
                return new Mutation(replace(value, stringNodes(nodes), s), false, null);
            }
            case 6, 7: // an odd number
                return new Mutation(replace(value, numberNodes(nodes), any(NUMBERS, random)), false, null);
            case 8: { // deep nesting
                int depth = new int[] {100, 1001, 5000, 100_000}[random.nextInt(4)];
                boolean arrays = random.nextBoolean();
                String open = arrays ? "[" : "{\"a\":";
                String close = arrays ? "]" : "}";
                String nested = open.repeat(depth) + "1" + close.repeat(depth);
                String json = JsonTree.write(replace(value, nodes, "__NESTED__")).replace("\"__NESTED__\"", nested);
                return new Mutation(null, false, json.getBytes(StandardCharsets.UTF_8));
            }
            case 9: { // a huge array or map
                int n = new int[] {300, 10_000, 200_000}[random.nextInt(3)];
                Object big;
                if (random.nextBoolean()) {
                    List<Object> list = new ArrayList<>();
                    for (int i = 0; i < n; i++) {
                        list.add("x" + i);
                    }
                    big = list;
                } else {
                    Map<String, Object> map = new LinkedHashMap<>();
                    for (int i = 0; i < n; i++) {
                        map.put("K" + i, "v");
                    }
                    big = map;
                }
                return new Mutation(replace(value, nodes, big), false, null);
            }
            case 10: // broken JSON
                return new Mutation(null, false, brokenJson(JsonTree.write(value).getBytes(StandardCharsets.UTF_8)));
            case 11: { // duplicate keys
                String json = JsonTree.write(value);
                if (json.startsWith("{\"")) {
                    int colon = json.indexOf(':');
                    json = "{" + json.substring(1, colon) + ":null," + json.substring(1);
                }
                return new Mutation(null, false, json.getBytes(StandardCharsets.UTF_8));
            }
            case 12: // a value of another type for the whole body
                return new Mutation(new Object[] {"str", 1, List.of(value), true, List.of()}[random.nextInt(5)], true, null);
            default: { // several at once
                Object v = replace(value, nodes, otherType(null));
                List<List<Object>> again = new ArrayList<>();
                collect(v, new ArrayList<>(), again, 0);
                return new Mutation(replace(v, stringNodes(again), any(STRINGS, random)), false, null);
            }
        }
    }

    private String hugeString() {
        int n = new int[] {10_000, 100_000, 1_000_000, 6_000_000}[random.nextInt(4)];
        String unit = new String[] {"a", "ü", "\u0000", "\ud83d\ude00", "\\"}[random.nextInt(5)];
        return unit.repeat(n / unit.length());
    }

    /** Bytes that are not the JSON they were, in one of several ways. */
    byte[] brokenJson(byte[] json) {
        int dice = random.nextInt(10);
        return switch (dice) {
            case 0 -> java.util.Arrays.copyOf(json, random.nextInt(Math.max(1, json.length)));
            case 1 -> concat(json, "}}]]garbage".getBytes(StandardCharsets.UTF_8));
            case 2 -> new byte[0];
            case 3 -> concat(new byte[] {(byte) 0xef, (byte) 0xbb, (byte) 0xbf}, json);
            case 4 -> new byte[] {'{', '"', 'a', '"', ':', '"', (byte) 0xc3, (byte) 0x28, (byte) 0xff, '"', '}'};
            case 5 -> "{'alias': 'x', name: x,}".getBytes(StandardCharsets.UTF_8);
            case 6 -> new String(json, StandardCharsets.UTF_8).getBytes(StandardCharsets.UTF_16);
            case 7 -> "{\"a\":1e999999999}".getBytes(StandardCharsets.UTF_8);
            case 8 -> ("{\"a\":" + "9".repeat(100_000) + "}").getBytes(StandardCharsets.UTF_8);
            default -> {
                byte[] copy = json.clone();
                if (copy.length > 0) {
                    copy[random.nextInt(copy.length)] = (byte) random.nextInt(256);
                }
                yield copy;
            }
        };
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private Object otherType(Object current) {
        Object[] candidates = {"s", 7, -3.5, true, List.of(1, "a"), Map.of("k", "v"), null};
        Object pick;
        do {
            pick = candidates[random.nextInt(candidates.length)];
        } while (pick != null && current != null && pick.getClass() == current.getClass());
        return pick;
    }

    /** Every node of a value as [path (list of keys/indexes), node]. */
    private static void collect(Object node, List<Object> path, List<List<Object>> out, int depth) {
        if (depth > 8) {
            return;
        }
        List<Object> entry = new ArrayList<>();
        entry.add(path);
        entry.add(node);
        if (!path.isEmpty()) {
            out.add(entry);
        }
        if (node instanceof Map<?, ?> map) {
            for (Map.Entry<?, ?> e : map.entrySet()) {
                List<Object> p = new ArrayList<>(path);
                p.add(e.getKey());
                collect(e.getValue(), p, out, depth + 1);
            }
        } else if (node instanceof List<?> list) {
            for (int i = 0; i < list.size(); i++) {
                List<Object> p = new ArrayList<>(path);
                p.add(i);
                collect(list.get(i), p, out, depth + 1);
            }
        }
    }

    private static List<List<Object>> stringNodes(List<List<Object>> nodes) {
        return nodes.stream().filter(n -> n.get(1) instanceof String).toList();
    }

    private static List<List<Object>> numberNodes(List<List<Object>> nodes) {
        return nodes.stream().filter(n -> n.get(1) instanceof Number).toList();
    }

    private List<Object> pick(List<List<Object>> nodes) {
        return nodes.get(random.nextInt(nodes.size()));
    }

    /** A copy of the value with one node (chosen from the candidates, or the whole value when none) replaced. */
    @SuppressWarnings("unchecked")
    private Object replace(Object value, List<List<Object>> candidates, Object replacement) {
        if (candidates.isEmpty()) {
            return value instanceof Map<?, ?> map ? withEntry(cast(map), "zz", replacement) : replacement;
        }
        List<Object> path = (List<Object>) pick(candidates).get(0);
        return replaceAt(value, path, 0, replacement);
    }

    private static Map<String, Object> withEntry(Map<String, Object> map, String key, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(map);
        copy.put(key, value);
        return copy;
    }

    private static Object replaceAt(Object node, List<Object> path, int i, Object replacement) {
        if (i == path.size()) {
            return replacement;
        }
        Object key = path.get(i);
        if (node instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>(cast(map));
            copy.put((String) key, replaceAt(map.get(key), path, i + 1, replacement));
            return copy;
        }
        if (node instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list);
            int index = (Integer) key;
            copy.set(index, replaceAt(list.get(index), path, i + 1, replacement));
            return copy;
        }
        return replacement;
    }
}
