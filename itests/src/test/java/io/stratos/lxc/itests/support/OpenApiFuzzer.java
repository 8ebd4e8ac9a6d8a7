package io.stratos.lxc.itests.support;

import static io.stratos.lxc.itests.support.OpenApiDescription.cast;

import io.stratos.lxc.itests.support.OpenApiDescription.Operation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.function.Predicate;
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
 * documented response schema, bounds and patterns included, a 2xx for a body the schema forbids). Distinct
 * failures are kept with the first request that showed them, as a curl command.
 * <p>
 * This class walks the operations and learns from the answers; {@link OpenApiDescription} reads the description,
 * {@link RequestGenerator} and {@link SchemaValues} make the requests, {@link AnswerChecker} judges the answers
 * and {@link FuzzFindings} keeps what it found.
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

    private final OpenApiDescription description;
    private final List<Operation> operations;
    private final Transport transport;
    private final long seed;
    private final Random random;
    private final RequestGenerator generator;
    private final FuzzFindings findings = new FuzzFindings();
    private final AnswerChecker checker;
    private final Deque<Supplier<Request>> followUps = new ArrayDeque<>();
    private final Map<Integer, Integer> statuses = new TreeMap<>();
    private final Map<String, Integer> perOperation = new TreeMap<>();
    private final Map<String, Integer> perMode = new TreeMap<>();
    private int sent;

    public OpenApiFuzzer(String specJson, Transport transport, long seed) {
        this.description = new OpenApiDescription(specJson);
        this.operations = description.operations();
        this.transport = transport;
        this.seed = seed;
        this.random = new Random(seed);
        this.generator = new RequestGenerator(description, new SchemaValues(description, random), random);
        this.checker = new AnswerChecker(description, findings);
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
        return findings.httpLayerRejections();
    }

    public List<Failure> failures() {
        return findings.failures();
    }

    /** Seeds the pools of path parameter values, e.g. {@code name -> static-httpd}. */
    public OpenApiFuzzer know(String parameter, String value) {
        generator.know(parameter, value);
        return this;
    }

    /**
     * Declares an open, understood failure: requests it matches are listed as known (with the reason, every
     * run) instead of failing the run. For what cannot be fixed in this code base yet, never to hide a bug.
     */
    public OpenApiFuzzer known(Predicate<Request> matches, String why) {
        findings.known(matches, why);
        return this;
    }

    /** Known failures seen: reason to count. */
    public Map<String, Integer> knownSeen() {
        return findings.knownSeen();
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

    private Request generate(Operation op, String mode) {
        return generate(op, mode, Map.of());
    }

    private Request generate(Operation op, String mode, Map<String, String> bound) {
        return generator.generate(op, mode, bound, sent);
    }

    private void send(Request request) {
        sent++;
        perOperation.merge(request.operation(), 1, Integer::sum);
        perMode.merge(request.mode(), 1, Integer::sum);
        RawHttp.Response response;
        long started = System.nanoTime();
        try {
            response = transport.send(request.method(), request.target(), request.headers(), request.body());
        } catch (Exception e) {
            findings.fail("no answer", request.operation() + " " + e.getClass().getSimpleName(), -1, e.toString(), request);
            return;
        }
        long millis = (System.nanoTime() - started) / 1_000_000;
        statuses.merge(response.status(), 1, Integer::sum);
        checker.check(request, response, millis);
        learn(request, response);
    }

    /** Remembers names, aliases, versions, digests and tags from answers; follows up on what was created. */
    private void learn(Request request, RawHttp.Response response) {
        if (response.status() >= 300) {
            return;
        }
        Object body = AnswerChecker.parseOrNull(response.text());
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
        Operation creator = description.operation(request.operation());
        if (creator == null) {
            return;
        }
        String collection = creator.method().equals("post") ? creator.path() : creator.path().replaceAll("/\\{[^}]+}$", "");
        String key = created.get("alias") instanceof String a ? a : created.get("name") instanceof String n ? n : null;
        if (creator.method().equals("put")) {
            // an upload: the version's path is the creator's own
            Map<String, String> bound = creator.pathValues(request.target());
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

    /** A summary for the test's output. */
    public String summary() {
        StringBuilder out = new StringBuilder();
        out.append("seed ").append(seed).append(": ").append(sent).append(" requests over ").append(operations.size())
                .append(" operations; by status ").append(statuses).append("; by kind ").append(perMode)
                .append("; refused by Jetty's parser ").append(findings.httpLayerRejections()).append('\n');
        perOperation.forEach((op, n) -> out.append(String.format("  %5d  %s%n", n, op)));
        return out.toString();
    }
}
