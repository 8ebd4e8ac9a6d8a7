package io.stratos.lxc.itests.support;

import java.math.BigDecimal;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Generates requests from an OpenAPI 3 description and checks the answers, like Schemathesis: for every
 * operation, schema-valid requests, then mutated ones (missing, extra, null and wrong-typed fields, huge and
 * control-character strings, extreme numbers, deep nesting, broken JSON, wrong content types and methods,
 * hostile path and query parameters and headers), plus stateful sequences: what a request creates is used by
 * the operations on it and then deleted. Everything comes from one seeded {@link Random}: the same seed
 * against the same server sends the same requests.
 * <p>
 * A failure is a 5xx, no answer, a status the description does not list for the operation, or an answer whose
 * body breaks the description (a 4xx without the JSON error shape of the API, a 2xx or 4xx that does not match its
 * documented response schema, bounds and patterns included, a 2xx for a body the schema forbids). Distinct failures are kept with the first request that showed them, as a curl command.
 */
public final class OpenApiFuzzer {

    /** Sends one request; {@code target} is the absolute path with query, as it goes on the request line. */
    @FunctionalInterface
    public interface Transport {
        RawHttp.Response send(String method, String target, Map<String, String> headers, byte[] body) throws Exception;
    }

    /** One generated request and why it was generated. */
    public record Request(int index, String operation, String mode, String method, String target,
                          Map<String, String> headers, byte[] body, boolean schemaInvalidBody) {

        public String curl(String base) {
            StringBuilder cmd = new StringBuilder("curl -g -X ").append(method).append(" '").append(base).append(target.replace("'", "'\\''")).append('\'');
            headers.forEach((k, v) -> cmd.append(" -H '").append(k).append(": ").append(v.replace("'", "'\\''")).append('\''));
            if (body != null) {
                String text = new String(body, StandardCharsets.UTF_8);
                boolean printable = body.length <= 600 && text.chars().allMatch(c -> c >= 0x20 && c < 0x7f || c == '\n');
                if (printable) {
                    cmd.append(" --data-binary '").append(text.replace("'", "'\\''")).append('\'');
                } else {
                    cmd.append(" --data-binary @body.bin  # ").append(body.length).append(" bytes, base64 of the first 300: ")
                            .append(Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(body, Math.min(300, body.length))));
                }
            }
            return cmd.toString();
        }
    }

    /** A distinct failure: its kind and signature, how often, and the first request that showed it. */
    public record Failure(String kind, String signature, int status, String answer, Request first, int[] count) {
    }

    private record Operation(String method, String base, String path, List<Map<String, Object>> parameters,
                             Map<String, Object> requestBody, Map<String, Object> responses) {
        String id() {
            return method.toUpperCase(Locale.ROOT) + " " + path;
        }
    }

    private static final List<String> METHODS = List.of("get", "put", "post", "delete", "patch", "head", "options");
    private static final String[] WEIRD_STRINGS = {"", " ", "..", "../../../../etc/passwd", "%00", "\u0000", "a\u0000b",
        "\r\nX-Injected: 1", "line\nbreak", "' OR '1'='1", "\"; DROP TABLE subscriptions; --", "<script>alert(1)</script>",
        "${jndi:ldap://127.0.0.1/x}", "{{7*7}}", "\u202eevil", "\ud83d\ude00", "\ud800", "\udfff", "\uffff", "\ufeffbom",
        "ü", "日本語", "NaN", "-1", "0", "null", "true", "[]", "{}", "/", "\\", "%s%n%x", "a".repeat(64), "A", "-a", "a-",
        "latest", "sha256:", "sha256:" + "0".repeat(64), "CON", "*", "?", "#", ";", "&", "=", "~", "`id`", "$(id)"};
    private static final Object[] WEIRD_NUMBERS = {-1, 0, 1, 2147483647, 2147483648L, -2147483648L, -2147483649L,
        new BigDecimal("9223372036854775807"), new BigDecimal("9223372036854775808"), new BigDecimal("-9223372036854775809"),
        new BigDecimal("1e308"), new BigDecimal("1e400"), new BigDecimal("-1e400"), new BigDecimal("1e-400"), new BigDecimal("-0.0"),
        new BigDecimal("0.5"), new BigDecimal("123456789012345678901234567890.123456789"), new BigDecimal("1E+2147483647")};
    private static final String[] CONTENT_TYPES = {"text/plain", "application/xml", "application/x-www-form-urlencoded",
        "multipart/form-data", "multipart/form-data; boundary=xyz", "application/json; charset=utf-16",
        "application/json; charset=klingon", "application/octet-stream", "*/*", "application/json, text/plain", "application",
        "application/json;" + "a".repeat(3000), "application/gzip", "image/png", "application/vnd.api+json", ""};
    private static final String[] ACCEPTS = {"application/xml", "text/html", "text/plain", "*/*", "application/octet-stream",
        "garbage", "application/json;q=0", "image/*"};
    private static final String[] PATH_ATTACKS = {"..", "%2e%2e", "%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", "..%2f..%2f", "%00", "a%00b",
        "%", "%zz", "%c0%ae%c0%ae", "a%2Fb", "a%5Cb", "%20", "%0d%0aX-Injected:%201", "%ff%fe", "%ed%a0%80", "%F0%9F%98%80", "%C3%BC",
        ";x=y", "a;b", ".", "...", "~root", "-1", "0", "999999999999999999999", "A".repeat(64), "a".repeat(300), "a".repeat(5000),
        "sha256:" + "f".repeat(64), "sha256:" + "F".repeat(64), "sha256:../../x", "latest", "$(id)", "%24%7Bjndi%3Aldap%3A%2F%2F127.0.0.1%2Fx%7D"};
    private static final String[] RANGES = {"bytes=0-", "bytes=0-0", "bytes=-1", "bytes=-0", "bytes=5-1", "bytes=0-1,2-3",
        "bytes=99999999999999999999-", "bytes=-99999999999999999999", "bytes=", "bytes=a-b", "lines=1-2", "bytes=0-1, 0-1",
        "bytes=9223372036854775807-", "bytes=1-9223372036854775807", "garbage"};

    private final Map<String, Object> spec;
    private final Transport transport;
    private final long seed;
    private final Random random;
    private final List<Operation> operations = new ArrayList<>();
    private final Map<String, List<String>> pools = new HashMap<>();
    private final Deque<Supplier<Request>> followUps = new ArrayDeque<>();
    private final Map<String, Failure> failures = new LinkedHashMap<>();
    private final Map<Integer, Integer> statuses = new TreeMap<>();
    private final Map<String, Integer> perOperation = new TreeMap<>();
    private final Map<String, Integer> perMode = new TreeMap<>();
    private final Map<Integer, Integer> httpLayerRejections = new TreeMap<>();
    private final Map<String, java.util.function.Predicate<Request>> knownIssues = new LinkedHashMap<>();
    private final Map<String, Integer> knownSeen = new TreeMap<>();
    private final ResponseSchema schemas = new ResponseSchema(this::resolve);
    private int sent;
    private Request current;

    @SuppressWarnings("unchecked")
    public OpenApiFuzzer(String specJson, Transport transport, long seed) {
        this.spec = (Map<String, Object>) Json.parse(specJson);
        this.transport = transport;
        this.seed = seed;
        this.random = new Random(seed);
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

    public List<String> operationIds() {
        return operations.stream().map(Operation::id).toList();
    }

    public int sent() {
        return sent;
    }

    public Map<Integer, Integer> statuses() {
        return statuses;
    }

    public Map<String, Integer> perOperation() {
        return perOperation;
    }

    public Map<String, Integer> perMode() {
        return perMode;
    }

    /** Requests Jetty's HTTP parser refused before the API saw them, by status. */
    public Map<Integer, Integer> httpLayerRejections() {
        return httpLayerRejections;
    }

    public List<Failure> failures() {
        return new ArrayList<>(failures.values());
    }

    /** Seeds the pools of path parameter values, e.g. {@code name -> static-httpd}. */
    public OpenApiFuzzer know(String parameter, String value) {
        List<String> pool = pools.computeIfAbsent(parameter, k -> new ArrayList<>());
        if (!pool.contains(value)) {
            pool.add(value);
        }
        return this;
    }

    /** Sends {@code requests} requests: every operation once with a valid request first, then at random. */
    public void run(int requests) {
        for (Operation op : operations) {
            if (sent < requests) {
                send(generate(op, "valid"));
            }
        }
        while (sent < requests) {
            Supplier<Request> next = followUps.poll();
            if (next != null) {
                send(next.get());
                continue;
            }
            Operation op = operations.get(random.nextInt(operations.size()));
            int dice = random.nextInt(100);
            String mode = dice < 35 ? "valid" : dice < 80 ? "mutated" : "protocol";
            send(generate(op, mode));
        }
    }

    // ------------------------------------------------------------------------------------------ sending

    private void send(Request request) {
        current = request;
        sent++;
        perOperation.merge(request.operation(), 1, Integer::sum);
        perMode.merge(request.mode(), 1, Integer::sum);
        RawHttp.Response response;
        long started = System.nanoTime();
        try {
            response = transport.send(request.method(), request.target(), request.headers(), request.body());
        } catch (Exception e) {
            fail("no answer", request.operation() + " " + e.getClass().getSimpleName(), -1, e.toString(), request);
            return;
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        statuses.merge(response.status(), 1, Integer::sum);
        check(request, response, millis);
        learn(request, response);
    }

    /**
     * Declares an open, understood failure: requests it matches are listed as known (with the reason, every
     * run) instead of failing the run. For what cannot be fixed in this code base yet, never to hide a bug.
     */
    public OpenApiFuzzer known(java.util.function.Predicate<Request> matches, String why) {
        knownIssues.put(why, matches);
        return this;
    }

    /** Known failures seen: reason to count. */
    public Map<String, Integer> knownSeen() {
        return knownSeen;
    }

    private void fail(String kind, String signature, int status, String answer, Request request) {
        for (Map.Entry<String, java.util.function.Predicate<Request>> issue : knownIssues.entrySet()) {
            if (issue.getValue().test(request)) {
                knownSeen.merge(issue.getKey() + " (" + kind + " " + status + ")", 1, Integer::sum);
                return;
            }
        }
        Failure failure = failures.computeIfAbsent(kind + ": " + signature,
                k -> new Failure(kind, signature, status, answer.length() > 600 ? answer.substring(0, 600) + "..." : answer, request, new int[1]));
        failure.count()[0]++;
    }

    private void check(Request request, RawHttp.Response response, long millis) {
        int status = response.status();
        String text = response.text();
        if (status >= 500) {
            fail("server error", request.operation() + " -> " + status + " " + firstLine(text), status, text, request);
            return;
        }
        if (millis > 20_000) {
            fail("slow answer", request.operation() + " took over 20 s", status, millis + " ms", request);
        }
        boolean ours = request.target().startsWith("/stratos/");
        if (status >= 400 && text.startsWith("<h1>Bad Message ")) {
            // Jetty's HTTP parser refused the request line or headers (bad percent-encoding, %00, a URI or
            // header over its limits) before any servlet saw it: a 4xx, in Jetty's words rather than ours
            httpLayerRejections.merge(status, 1, Integer::sum);
            return;
        }
        if (status >= 400 && ours && !request.method().equals("HEAD") && !request.method().equals("TRACE")) {
            Object body = parseOrNull(text);
            if (!(body instanceof Map<?, ?> map) || !(map.get("error") instanceof String)) {
                fail("error without the JSON error shape", request.operation() + " -> " + status + " " + response.contentType(),
                        status, text, request);
            }
        }
        Operation op = operation(request.operation());
        boolean asDescribed = op != null && request.method().equalsIgnoreCase(op.method()) && !request.mode().equals("protocol");
        if (!asDescribed) {
            return;
        }
        if (status < 300 && request.schemaInvalidBody()) {
            fail("accepted a body the schema forbids", request.operation() + " -> " + status, status, text, request);
        }
        // Every status answered to a request of the operation's own method must be one the description lists for it.
        if (!op.responses().containsKey(String.valueOf(status)) && !op.responses().containsKey("default")) {
            fail("undocumented status", request.operation() + " -> " + status, status, text, request);
            return;
        }
        if (status < 300 && request.mode().endsWith("mutated")) {
            String broken = pathParameterBreakingItsPattern(request, op);
            if (broken != null) {
                fail("accepted a path parameter the description forbids", request.operation() + " -> " + status + " " + broken,
                        status, text, request);
            }
            return; // a hostile path parameter may still name something real: only its refusals are checked
        }
        Map<String, Object> documented = resolve(op.responses().getOrDefault(String.valueOf(status),
                op.responses().getOrDefault("default", Map.of())));
        Map<String, Object> content = documented.get("content") instanceof Map<?, ?> c ? cast(c) : Map.of();
        Object json = content.get("application/json");
        if (json instanceof Map<?, ?> media && media.get("schema") != null) {
            Object body = parseOrNull(text);
            if (body == null && !text.trim().equals("null")) {
                fail("response is not JSON", request.operation() + " -> " + status, status, text, request);
                return;
            }
            String problem = schemas.problem(body, resolve(media.get("schema")));
            if (problem != null) {
                fail("response breaks its schema", request.operation() + " -> " + status + " " + problem.replaceAll("\\[\\d+\\]", "[]")
                        .replaceAll("'[^']*'", "'...'"), status, text, request);
            }
        }
    }

    /** The name of a path parameter whose value breaks the pattern its schema documents, or null. */
    private String pathParameterBreakingItsPattern(Request request, Operation op) {
        Map<String, String> values = pathValues(request, op);
        for (Map<String, Object> parameter : op.parameters()) {
            if (!"path".equals(parameter.get("in")) || !(parameter.get("schema") instanceof Map<?, ?> schema)) {
                continue;
            }
            String value = values.get(String.valueOf(parameter.get("name")));
            if (value != null && resolve(schema).get("pattern") instanceof String pattern
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

    private static Object parseOrNull(String text) {
        try {
            return Json.parse(text);
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Remembers names, aliases, versions, digests and tags from answers; follows up on what was created. */
    private void learn(Request request, RawHttp.Response response) {
        if (response.status() >= 300) {
            return;
        }
        Object body = parseOrNull(response.text());
        harvest(body, 0);
        if (response.status() == 201 && body instanceof Map<?, ?> created) {
            followUp(request, cast(created));
        }
    }

    private void harvest(Object node, int depth) {
        if (depth > 6) {
            return;
        }
        if (node instanceof Map<?, ?> map) {
            for (String key : List.of("name", "alias", "version", "digest", "id", "cartridge")) {
                if (map.get(key) instanceof String value && value.length() < 100) {
                    know(key.equals("cartridge") ? "name" : key, value);
                }
            }
            if (map.get("tags") instanceof Map<?, ?> tags) {
                tags.keySet().forEach(t -> know("tag", String.valueOf(t)));
            }
            map.values().forEach(v -> harvest(v, depth + 1));
        } else if (node instanceof List<?> list) {
            list.stream().limit(50).forEach(v -> harvest(v, depth + 1));
        }
    }

    /** What a 201 created is used by the operations on its path, then deleted. */
    private void followUp(Request request, Map<String, Object> created) {
        Operation creator = operation(request.operation());
        if (creator == null) {
            return;
        }
        String collection = creator.method().equals("post") ? creator.path() : creator.path().replaceAll("/\\{[^}]+}$", "");
        String key = created.get("alias") instanceof String a ? a : created.get("name") instanceof String n ? n : null;
        if (creator.method().equals("put")) {
            // an upload: the version's path is the creator's own
            Map<String, String> bound = pathValues(request, creator);
            for (Operation op : operations) {
                if (op.path().equals(creator.path()) && op.method().equals("get")) {
                    followUps.add(() -> generate(op, "sequence", bound));
                }
                if (op.path().equals("/cartridges/{name}/tags/{tag}") && op.method().equals("put")) {
                    followUps.add(() -> generate(op, "sequence", bound));
                }
                if (op.path().equals("/images/{digest}") && created.get("digest") instanceof String digest) {
                    followUps.add(() -> generate(op, "sequence", Map.of("digest", digest)));
                }
            }
            operations.stream().filter(op -> op.path().equals(creator.path()) && op.method().equals("delete"))
                    .forEach(op -> followUps.add(() -> generate(op, "sequence", bound)));
            return;
        }
        if (key == null) {
            return;
        }
        for (Operation op : operations) {
            if (!op.path().startsWith(collection + "/{") || op == creator) {
                continue;
            }
            String param = op.path().substring(collection.length() + 2, op.path().indexOf('}', collection.length()));
            Map<String, String> bound = Map.of(param, key);
            if (op.method().equals("delete") && op.path().endsWith("}") && op.path().indexOf('/', collection.length() + 1) < 0) {
                Operation d = op;
                // deleted later, after the random traffic had a chance to use it too
                followUps.add(() -> generate(d, random.nextInt(3) == 0 ? "sequence-mutated" : "sequence", bound));
                continue;
            }
            followUps.addFirst(() -> generate(op, random.nextBoolean() ? "sequence" : "sequence-mutated", bound));
        }
    }

    private Map<String, String> pathValues(Request request, Operation op) {
        Map<String, String> values = new HashMap<>();
        String[] template = (op.base() + op.path()).split("/");
        String path = request.target().split("\\?")[0];
        String[] actual = path.split("/");
        for (int i = 0; i < template.length && i < actual.length; i++) {
            if (template[i].startsWith("{")) {
                values.put(template[i].substring(1, template[i].length() - 1), decode(actual[i]));
            }
        }
        return values;
    }

    private Operation operation(String id) {
        for (Operation op : operations) {
            if (op.id().equals(id)) {
                return op;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------------------------------ generating

    private Request generate(Operation op, String mode) {
        return generate(op, mode, Map.of());
    }

    private Request generate(Operation op, String mode, Map<String, String> bound) {
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
            Map<String, Object> schema = p.get("schema") == null ? Map.of() : resolve(p.get("schema"));
            boolean hostile = i == mutatedParam;
            switch (in) {
                case "path" -> {
                    String value;
                    if (hostile) {
                        value = PATH_ATTACKS[random.nextInt(PATH_ATTACKS.length)];
                    } else if (bound.containsKey(name)) {
                        value = encode(bound.get(name));
                    } else {
                        value = encode(pathValue(name, schema));
                    }
                    pathValues.put(name, value);
                }
                case "query" -> {
                    if (hostile) {
                        String weird = random.nextBoolean() ? String.valueOf(WEIRD_NUMBERS[random.nextInt(WEIRD_NUMBERS.length)])
                                : encode(WEIRD_STRINGS[random.nextInt(WEIRD_STRINGS.length)]);
                        query.add(name + "=" + weird);
                        if (random.nextBoolean()) {
                            query.add(name + "=" + weird);
                        }
                    } else if (Boolean.TRUE.equals(p.get("required")) || random.nextBoolean()) {
                        query.add(name + "=" + encode(String.valueOf(valid(schema, 0))));
                    }
                }
                case "header" -> {
                    if (hostile) {
                        headers.put(name, name.equals("Range") ? RANGES[random.nextInt(RANGES.length)]
                                : headerSafe(WEIRD_STRINGS[random.nextInt(WEIRD_STRINGS.length)]));
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
            Map<String, Object> schema = media.get("schema") == null ? Map.of() : resolve(media.get("schema"));
            if ("binary".equals(schema.get("format")) || contentType.startsWith("multipart/")) {
                Upload upload = upload(op, pathValues, contentType, mutated || protocol);
                body = upload.body();
                contentType = upload.contentType();
            } else {
                Object value = valid(schema, 0);
                if (mutated) {
                    Mutation m = mutate(value, schema);
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
                case 1 -> contentType = CONTENT_TYPES[random.nextInt(CONTENT_TYPES.length)];
                case 2 -> headers.put("Accept", ACCEPTS[random.nextInt(ACCEPTS.length)]);
                case 3 -> {
                    body = brokenJson(body == null ? "{}".getBytes(StandardCharsets.UTF_8) : body);
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
                        body = JsonTree.write(valid(Map.of("type", "object"), 0)).getBytes(StandardCharsets.UTF_8);
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
        return new Request(sent, op.id(), mode, method, target, headers, body, invalidBody && !protocol);
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
        return String.valueOf(valid(schema, 0));
    }

    private String headerValue(String name, Map<String, Object> schema) {
        return switch (name) {
            case "Range" -> "bytes=" + random.nextInt(100) + "-" + (100 + random.nextInt(1000));
            case "If-None-Match", "If-Range" -> "\"sha256:" + (pools.containsKey("digest") && !pools.get("digest").isEmpty()
                    ? pools.get("digest").get(0).substring(7) : "0".repeat(64)) + "\"";
            case "Digest" -> "sha-256=" + Base64.getEncoder().encodeToString(new byte[32]);
            case "Content-Digest" -> "sha-256=:" + Base64.getEncoder().encodeToString(new byte[32]) + ":";
            default -> headerSafe(String.valueOf(valid(schema, 0)));
        };
    }

    private static String headerSafe(String value) {
        StringBuilder out = new StringBuilder();
        for (char c : value.toCharArray()) {
            out.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        return out.toString();
    }

    /** Percent-decoded, or as it is when it is not validly encoded (a hostile value). */
    private static String decode(String value) {
        try {
            return java.net.URLDecoder.decode(value.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return value;
        }
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
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
                        out.put(prop.getKey(), valid(resolve(prop.getValue()), depth + 1));
                    }
                }
                if (schema.get("additionalProperties") instanceof Map<?, ?> extra && depth < 6) {
                    int n = random.nextInt(4);
                    for (int i = 0; i < n; i++) {
                        String key = extra.isEmpty() ? "k" + i : RegexSample.sample("[A-Z][A-Z0-9_]{0,10}", random);
                        out.put(key, valid(resolve(extra), depth + 1));
                    }
                }
                return out;
            }
            case "array": {
                List<Object> out = new ArrayList<>();
                int min = schema.get("minItems") instanceof BigDecimal m ? m.intValue() : 0;
                int n = min + random.nextInt(3);
                Map<String, Object> items = schema.get("items") == null ? Map.of() : resolve(schema.get("items"));
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

    private record Mutation(Object value, boolean schemaInvalid, byte[] raw) {
    }

    /** One mutation of a valid body; whether the schema forbids the result (when that is certain). */
    private Mutation mutate(Object value, Map<String, Object> schema) {
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
                    copy.put(random.nextBoolean() ? "zz" + random.nextInt(100) : WEIRD_STRINGS[random.nextInt(WEIRD_STRINGS.length)],
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
                String s = random.nextInt(4) == 0 ? hugeString() : WEIRD_STRINGS[random.nextInt(WEIRD_STRINGS.length)];
                return new Mutation(replace(value, stringNodes(nodes), s), false, null);
            }
            case 6, 7: // an odd number
                return new Mutation(replace(value, numberNodes(nodes), WEIRD_NUMBERS[random.nextInt(WEIRD_NUMBERS.length)]), false, null);
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
                return new Mutation(replace(v, stringNodes(again), WEIRD_STRINGS[random.nextInt(WEIRD_STRINGS.length)]), false, null);
            }
        }
    }

    private String hugeString() {
        int n = new int[] {10_000, 100_000, 1_000_000, 6_000_000}[random.nextInt(4)];
        String unit = new String[] {"a", "ü", "\u0000", "\ud83d\ude00", "\\"}[random.nextInt(5)];
        return unit.repeat(n / unit.length());
    }

    private byte[] brokenJson(byte[] json) {
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

    private static byte[] concat(byte[] a, byte[] b) {
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

    // ------------------------------------------------------------------------------------------ schemas

    @SuppressWarnings("unchecked")
    private Map<String, Object> resolve(Object node) {
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

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object map) {
        return (Map<String, Object>) map;
    }

    /** A summary for the test's output. */
    public String summary() {
        StringBuilder out = new StringBuilder();
        out.append("seed ").append(seed).append(": ").append(sent).append(" requests over ").append(operations.size())
                .append(" operations; by status ").append(statuses).append("; by kind ").append(perMode)
                .append("; refused by Jetty's parser ").append(httpLayerRejections).append('\n');
        perOperation.forEach((op, n) -> out.append(String.format("  %5d  %s%n", n, op)));
        return out.toString();
    }
}
