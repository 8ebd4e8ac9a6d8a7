package io.stratos.lxc.loadgen;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/** The record of a run: its intervals, totals, and their CSV and JSON forms. */
public record LoadResult(LoadPlan plan, List<Interval> intervals) {

    public LoadResult {
        intervals = List.copyOf(intervals);
    }

    public long sent() {
        return intervals.stream().mapToLong(Interval::sent).sum();
    }

    public long ok() {
        return intervals.stream().mapToLong(Interval::ok).sum();
    }

    public long failed() {
        return intervals.stream().mapToLong(Interval::failed).sum();
    }

    /** Failures by kind over the whole run. */
    public Map<String, Long> failures() {
        return failures(intervals);
    }

    /** Intervals starting at or after {@code fromEpochMillis} and before {@code toEpochMillis}. */
    public List<Interval> between(long fromEpochMillis, long toEpochMillis) {
        return intervals.stream().filter(i -> i.epochMillis() >= fromEpochMillis && i.epochMillis() < toEpochMillis).toList();
    }

    public static Map<String, Long> failures(List<Interval> intervals) {
        Map<String, Long> total = new TreeMap<>();
        intervals.forEach(i -> i.failures().forEach((k, v) -> total.merge(k, v, Long::sum)));
        return total;
    }

    /** One line: totals and failure kinds. */
    public String summary() {
        return String.format(Locale.ROOT, "%s loop, %d intervals of %d ms: sent %d, ok %d, failed %d %s",
                plan.mode().name().toLowerCase(Locale.ROOT), intervals.size(), plan.interval().toMillis(), sent(), ok(), failed(),
                failures());
    }

    /** {@code index,start_ms,epoch_ms,level,sent,ok,failed,failures,p50_ms,p99_ms}; failures as {@code kind=n;kind=n}. */
    public String csv() {
        StringBuilder out = new StringBuilder("index,start_ms,epoch_ms,level,sent,ok,failed,failures,p50_ms,p99_ms\n");
        for (Interval i : intervals) {
            out.append(i.index()).append(',').append(i.startMillis()).append(',').append(i.epochMillis()).append(',')
                    .append(number(i.level())).append(',').append(i.sent()).append(',').append(i.ok()).append(',')
                    .append(i.failed()).append(',')
                    .append(new TreeMap<>(i.failures()).entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                            .collect(Collectors.joining(";")))
                    .append(',').append(number(i.p50Millis())).append(',').append(number(i.p99Millis())).append('\n');
        }
        return out.toString();
    }

    public String json() {
        StringBuilder out = new StringBuilder("{\n");
        out.append("  \"target\": ").append(quote(plan.target().toString())).append(",\n");
        out.append("  \"mode\": ").append(quote(plan.mode().name().toLowerCase(Locale.ROOT))).append(",\n");
        out.append("  \"intervalMillis\": ").append(plan.interval().toMillis()).append(",\n");
        out.append("  \"sent\": ").append(sent()).append(", \"ok\": ").append(ok()).append(", \"failed\": ").append(failed())
                .append(",\n");
        out.append("  \"failures\": ").append(jsonMap(failures())).append(",\n");
        out.append("  \"intervals\": [");
        for (int n = 0; n < intervals.size(); n++) {
            Interval i = intervals.get(n);
            out.append(n == 0 ? "\n" : ",\n");
            out.append("    {\"index\": ").append(i.index()).append(", \"startMillis\": ").append(i.startMillis())
                    .append(", \"epochMillis\": ").append(i.epochMillis()).append(", \"level\": ").append(number(i.level()))
                    .append(", \"sent\": ").append(i.sent()).append(", \"ok\": ").append(i.ok())
                    .append(", \"failed\": ").append(i.failed()).append(", \"failures\": ").append(jsonMap(i.failures()))
                    .append(", \"p50Millis\": ").append(number(i.p50Millis())).append(", \"p99Millis\": ")
                    .append(number(i.p99Millis())).append('}');
        }
        out.append("\n  ]\n}\n");
        return out.toString();
    }

    public void writeCsv(Path file) throws IOException {
        Files.writeString(file, csv(), StandardCharsets.UTF_8);
    }

    public void writeJson(Path file) throws IOException {
        Files.writeString(file, json(), StandardCharsets.UTF_8);
    }

    private static String jsonMap(Map<String, Long> map) {
        return new TreeMap<>(map).entrySet().stream().map(e -> quote(e.getKey()) + ": " + e.getValue())
                .collect(Collectors.joining(", ", "{", "}"));
    }

    private static String number(double value) {
        return value == Math.rint(value) && Math.abs(value) < 1e15 ? Long.toString((long) value)
                : String.format(Locale.ROOT, "%.2f", value);
    }

    private static String quote(String text) {
        StringBuilder q = new StringBuilder("\"");
        for (char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                q.append('\\').append(c);
            } else if (c < 0x20) {
                q.append(String.format("\\u%04x", (int) c));
            } else {
                q.append(c);
            }
        }
        return q.append('"').toString();
    }
}
