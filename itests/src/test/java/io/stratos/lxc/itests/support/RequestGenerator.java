package io.stratos.lxc.itests.support;

import static io.stratos.lxc.itests.support.HostileValues.ACCEPTS;
import static io.stratos.lxc.itests.support.HostileValues.CONTENT_TYPES;
import static io.stratos.lxc.itests.support.HostileValues.NUMBERS;
import static io.stratos.lxc.itests.support.HostileValues.PATH_SEGMENTS;
import static io.stratos.lxc.itests.support.HostileValues.RANGES;
import static io.stratos.lxc.itests.support.HostileValues.STRINGS;
import static io.stratos.lxc.itests.support.HostileValues.any;
import static io.stratos.lxc.itests.support.OpenApiDescription.cast;
import static io.stratos.lxc.itests.support.OpenApiDescription.decode;
import static io.stratos.lxc.itests.support.SchemaValues.concat;

import io.stratos.lxc.itests.support.OpenApiDescription.Operation;
import io.stratos.lxc.itests.support.OpenApiFuzzer.Request;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * Builds one request for an operation, in a mode: {@code valid}; {@code mutated} (a hostile parameter or a mutated
 * body); {@code protocol} (wrong methods, media types, paths, queries and headers); and the {@code sequence} modes,
 * which use what an earlier request created. Path parameters come from the pools of known values when they can.
 */
final class RequestGenerator {

    private final OpenApiDescription description;
    private final SchemaValues values;
    private final Random random;
    private final Map<String, List<String>> pools = new HashMap<>();

    RequestGenerator(OpenApiDescription description, SchemaValues values, Random random) {
        this.description = description;
        this.values = values;
        this.random = random;
    }

    /** Adds a value to the pool of a path parameter, e.g. {@code name -> static-httpd}. */
    void know(String parameter, String value) {
        List<String> pool = pools.computeIfAbsent(parameter, k -> new ArrayList<>());
        if (!pool.contains(value)) {
            pool.add(value);
        }
    }

    /** Request number {@code index} for the operation; {@code bound} fixes path parameters to values an earlier answer gave. */
    Request generate(Operation op, String mode, Map<String, String> bound, int index) {
        boolean mutated = mode.endsWith("mutated");
        boolean protocol = mode.equals("protocol");
        String method = op.method().toUpperCase(Locale.ROOT);
        Map<String, String> headers = new LinkedHashMap<>();
        StringBuilder path = new StringBuilder();
        String template = op.path();
        List<String> query = new ArrayList<>();
        Map<String, String> pathValues = new HashMap<>();
        int mutatedParam = -1;
        List<Map<String, Object>> parameters = op.parameters();
        if (mutated && !parameters.isEmpty() && random.nextInt(3) == 0) {
            mutatedParam = random.nextInt(parameters.size());
        }
        for (int i = 0; i < parameters.size(); i++) {
            Map<String, Object> p = parameters.get(i);
            String name = (String) p.get("name");
            String in = (String) p.get("in");
            Map<String, Object> schema = p.get("schema") == null ? Map.of() : description.resolve(p.get("schema"));
            boolean hostile = i == mutatedParam;
            switch (in) {
                case "path" -> {
                    String value;
                    if (hostile) {
                        value = any(PATH_SEGMENTS, random);
                    } else if (bound.containsKey(name)) {
                        value = encode(bound.get(name));
                    } else {
                        value = encode(pathValue(name, schema));
                    }
                    pathValues.put(name, value);
                }
                case "query" -> {
                    if (hostile) {
                        String weird = random.nextBoolean() ? String.valueOf(any(NUMBERS, random))
                                : encode(any(STRINGS, random));
                        query.add(name + "=" + weird);
                        if (random.nextBoolean()) {
                            query.add(name + "=" + weird);
                        }
                    } else if (Boolean.TRUE.equals(p.get("required")) || random.nextBoolean()) {
                        query.add(name + "=" + encode(String.valueOf(values.valid(schema, 0))));
                    }
                }
                case "header" -> {
                    if (hostile) {
                        headers.put(name, name.equals("Range") ? any(RANGES, random)
                                : headerSafe(any(STRINGS, random)));
                    } else if (random.nextInt(3) == 0) {
                        headers.put(name, headerValue(name, schema));
                    }
                }
                default -> {
                }
            }
        }
        for (String part : template.split("/")) {
            if (part.isEmpty()) {
                continue;
            }
            path.append('/');
            if (part.startsWith("{")) {
                String name = part.substring(1, part.length() - 1);
                path.append(pathValues.getOrDefault(name, "x"));
            } else {
                path.append(part);
            }
        }
        byte[] body = null;
        boolean invalidBody = false;
        String contentType = null;
        Map<String, Object> requestBody = op.requestBody();
        if (requestBody != null) {
            Map<String, Object> content = cast(requestBody.get("content"));
            List<String> types = new ArrayList<>(content.keySet());
            contentType = types.get(random.nextInt(types.size()));
            Map<String, Object> media = cast(content.get(contentType));
            Map<String, Object> schema = media.get("schema") == null ? Map.of() : description.resolve(media.get("schema"));
            if ("binary".equals(schema.get("format")) || contentType.startsWith("multipart/")) {
                Upload upload = upload(op, pathValues, contentType, mutated || protocol);
                body = upload.body();
                contentType = upload.contentType();
            } else {
                Object value = values.valid(schema, 0);
                if (mutated) {
                    SchemaValues.Mutation m = values.mutate(value, schema);
                    value = m.value();
                    invalidBody = m.schemaInvalid();
                    body = m.raw() != null ? m.raw() : JsonTree.write(value).getBytes(StandardCharsets.UTF_8);
                } else {
                    body = JsonTree.write(value).getBytes(StandardCharsets.UTF_8);
                }
            }
        }
        if (protocol) {
            int dice = random.nextInt(8);
            switch (dice) {
                case 0 -> method = new String[] {"PATCH", "OPTIONS", "HEAD", "TRACE", "PROPFIND", "DELETE", "PUT", "POST", "GET", "FOO"}[random.nextInt(10)];
                case 1 -> contentType = any(CONTENT_TYPES, random);
                case 2 -> headers.put("Accept", any(ACCEPTS, random));
                case 3 -> {
                    body = values.brokenJson(body == null ? "{}".getBytes(StandardCharsets.UTF_8) : body);
                    invalidBody = false;
                    if (contentType == null) {
                        contentType = "application/json";
                    }
                }
                case 4 -> path.append(new String[] {"/", "//", "/x", "/..", "/%2e%2e/status", "/../../agent/v1/register",
                    "/" + "z".repeat(9000), ";jsessionid=1", "/.json", "%00", "/openapi.json"}[random.nextInt(11)]);
                case 5 -> query.add(new String[] {"_method=DELETE", "a=" + "q".repeat(20000), "%=%", "x", "&&&", "limit=1&limit=2",
                    "a[]=1&a[b]=2", "%00=%00"}[random.nextInt(8)]);
                case 6 -> headers.put(new String[] {"X-HTTP-Method-Override", "Content-Encoding", "Transfer-Encoding", "Expect",
                    "If-None-Match", "If-Range", "Digest", "Content-Digest", "Authorization"}[random.nextInt(9)],
                        new String[] {"DELETE", "gzip", "gzip, chunked", "100-continue", "*", "W/\"x\"", "sha-256=!!!!",
                            "sha-256=:AAAA:", "Bearer " + "x".repeat(100), "Basic Og==", "identity"}[random.nextInt(11)]);
                default -> {
                    if (body == null) {
                        body = JsonTree.write(values.valid(Map.of("type", "object"), 0)).getBytes(StandardCharsets.UTF_8);
                        contentType = "application/json";
                    } else {
                        contentType = null;
                    }
                }
            }
        }
        if (contentType != null && !contentType.isEmpty()) {
            headers.put("Content-Type", contentType);
        }
        if (headers.containsKey("Transfer-Encoding") && body == null) {
            headers.remove("Transfer-Encoding");
        }
        if (headers.containsKey("Transfer-Encoding")) {
            // a chunked body that is really one: the transport must not add a Content-Length
            body = chunked(body);
            headers.put("Transfer-Encoding", "chunked");
        }
        String target = op.base() + path + (query.isEmpty() ? "" : "?" + String.join("&", query));
        return new Request(index, op.id(), mode, method, target, headers, body, invalidBody && !protocol);
    }

    private static byte[] chunked(byte[] body) {
        String head = Integer.toHexString(body.length) + "\r\n";
        byte[] out = new byte[head.length() + body.length + 7];
        System.arraycopy(head.getBytes(StandardCharsets.US_ASCII), 0, out, 0, head.length());
        System.arraycopy(body, 0, out, head.length(), body.length);
        System.arraycopy("\r\n0\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0, out, head.length() + body.length, 7);
        return out;
    }

    private String pathValue(String name, Map<String, Object> schema) {
        List<String> pool = pools.get(name);
        if (pool != null && !pool.isEmpty() && random.nextInt(10) < 7) {
            return pool.get(random.nextInt(pool.size()));
        }
        return String.valueOf(values.valid(schema, 0));
    }

    private String headerValue(String name, Map<String, Object> schema) {
        return switch (name) {
            case "Range" -> "bytes=" + random.nextInt(100) + "-" + (100 + random.nextInt(1000));
            case "If-None-Match", "If-Range" -> "\"sha256:" + (pools.containsKey("digest") && !pools.get("digest").isEmpty()
                    ? pools.get("digest").get(0).substring(7) : "0".repeat(64)) + "\"";
            case "Digest" -> "sha-256=" + Base64.getEncoder().encodeToString(new byte[32]);
            case "Content-Digest" -> "sha-256=:" + Base64.getEncoder().encodeToString(new byte[32]) + ":";
            default -> headerSafe(String.valueOf(values.valid(schema, 0)));
        };
    }

    private static String headerSafe(String value) {
        StringBuilder out = new StringBuilder();
        for (char c : value.toCharArray()) {
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return out.toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private record Upload(byte[] body, String contentType) {
    }

    /** An image upload: a good tarball for the path's name and version, or a bad one, or not a tarball at all. */
    private Upload upload(Operation op, Map<String, String> pathValues, String contentType, boolean hostile) {
        String name = decode(pathValues.getOrDefault("name", "x"));
        String version = decode(pathValues.getOrDefault("version", "1.0.0"));
        TarBuilder image = TarBuilder.cartridge(name, version);
        byte[] tar;
        if (!hostile) {
            tar = image.gzip();
        } else {
            int dice = random.nextInt(12);
            tar = switch (dice) {
                case 0 -> image.entry("rootfs/../../etc/cron.d/x", TarBuilder.FILE, 0644, "", 1, new byte[1]).gzip();
                case 1 -> image.entry("/etc/passwd", TarBuilder.FILE, 0644, "", 1, new byte[1]).gzip();
                case 2 -> image.entry("rootfs/escape", TarBuilder.SYMLINK, 0777, "../../../../etc/shadow", 0, null).gzip();
                case 3 -> image.entry("rootfs/hard", TarBuilder.HARDLINK, 0644, "/etc/shadow", 0, null).gzip();
                case 4 -> image.entry("rootfs/null", TarBuilder.CHAR_DEVICE, 0666, "", 0, null).gzip();
                case 5 -> image.entry("rootfs/pipe", TarBuilder.FIFO, 0644, "", 0, null).gzip();
                case 6 -> image.entry("rootfs/bin/su", TarBuilder.FILE, 04755, "", 3, new byte[3]).gzip();
                case 7 -> image.entry("rootfs/huge", TarBuilder.FILE, 0644, "", 1L << 45, new byte[512]).tar();
                case 8 -> java.util.Arrays.copyOf(image.gzip(), random.nextInt(200));
                case 9 -> {
                    byte[] noise = new byte[random.nextInt(5000)];
                    random.nextBytes(noise);
                    yield noise;
                }
                case 10 -> TarBuilder.gzip(new byte[4 << 20]);
                default -> TarBuilder.cartridge(name + "x", version).gzip();
            };
        }
        if (contentType.startsWith("multipart/")) {
            String boundary = "fuzz" + random.nextInt(1_000_000);
            String part = hostile && random.nextBoolean() ? "picture" : "image";
            byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + part
                    + "\"; filename=\"i.tar.gz\"\r\nContent-Type: application/octet-stream\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII);
            byte[] body = concat(concat(head, tar), hostile && random.nextBoolean() ? new byte[0] : tail);
            return new Upload(body, hostile && random.nextInt(3) == 0 ? "multipart/form-data" : "multipart/form-data; boundary=" + boundary);
        }
        return new Upload(tar, contentType);
    }
}
