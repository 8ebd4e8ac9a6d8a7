package io.stratos.lxc.agent.internal.appmetrics;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A strict reader of the Prometheus text exposition format (0.0.4) and OpenMetrics text (1.0), enough to take the
 * values of a few named metrics from a process's answer.
 * <p>
 * Written here because no library that runs in this OSGi agent parses the format: the Prometheus Java client's 1.x
 * line (prometheus-metrics-exposition-textformats) only writes it, simpleclient 0.x only writes it, and the parsers
 * that exist live in Go (Prometheus's own expfmt) or in large scrapers. It is strict on purpose: an answer that is
 * not the format (an HTML page, a JSON body, a truncated line) is refused whole, naming the line, rather than read
 * in part, so a process that answers garbage is ignored with a reason instead of scaling on a misread number.
 * <p>
 * Accepted: {@code # HELP}, {@code # TYPE}, {@code # UNIT} and other comment lines, blank lines, {@code # EOF} (after
 * which nothing may follow), and samples {@code name{label="value",...} value [timestamp] [# exemplar]}; label values
 * with the escapes {@code \\}, {@code \"} and {@code \n}; values as Go's ParseFloat reads them, and {@code +Inf},
 * {@code -Inf}, {@code NaN}.
 */
public final class OpenMetricsText {

    /** The answer is not the text format; the message names the line and what is wrong with it. */
    public static final class Malformed extends Exception {
        Malformed(int line, String what) {
            super("line " + line + ": " + what);
        }
    }

    private OpenMetricsText() {
    }

    /**
     * The values of the wanted metrics: for each name, the sum of its samples over all their label sets (one per
     * name when it has no labels). A wanted name without a sample is absent from the result.
     */
    public static Map<String, Double> values(String text, Collection<String> wanted) throws Malformed {
        Set<String> names = Set.copyOf(wanted);
        Map<String, Double> values = new HashMap<>();
        String[] lines = text.split("\n", -1);
        boolean eof = false;
        // the last element is what follows the final line break: empty for a well-terminated answer
        int count = lines.length > 0 && lines[lines.length - 1].isEmpty() ? lines.length - 1 : lines.length;
        for (int i = 0; i < count; i++) {
            int number = i + 1;
            String line = lines[i];
            if (eof) {
                throw new Malformed(number, "text after # EOF");
            }
            if (line.isEmpty()) {
                continue;
            }
            if (line.charAt(0) == '#') {
                eof = line.equals("# EOF");
                continue;
            }
            Sample sample = new Reader(line, number).sample();
            if (names.contains(sample.name())) {
                values.merge(sample.name(), sample.value(), Double::sum);
            }
        }
        return values;
    }

    private record Sample(String name, double value) {
    }

    /** One sample line, read left to right. */
    private static final class Reader {
        private final String line;
        private final int number;
        private int at;

        Reader(String line, int number) {
            this.line = line;
            this.number = number;
        }

        Sample sample() throws Malformed {
            String name = name(true);
            if (at < line.length() && line.charAt(at) == '{') {
                labels();
            }
            expect(' ');
            double value = number(token());
            if (at < line.length()) {
                expect(' ');
                if (at < line.length() && line.charAt(at) == '#') {
                    return new Sample(name, value); // an OpenMetrics exemplar: not needed here
                }
                number(token()); // a timestamp
                if (at < line.length()) {
                    expect(' ');
                    if (at >= line.length() || line.charAt(at) != '#') {
                        throw new Malformed(number, "unexpected '" + rest() + "' after the timestamp");
                    }
                }
            }
            return new Sample(name, value);
        }

        private String name(boolean metric) throws Malformed {
            int start = at;
            while (at < line.length()) {
                char c = line.charAt(at);
                boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (metric && c == ':');
                boolean digit = c >= '0' && c <= '9';
                if (!(letter || (digit && at > start))) {
                    break;
                }
                at++;
            }
            if (at == start) {
                throw new Malformed(number, (metric ? "not a metric name" : "not a label name") + " at '" + rest() + "'");
            }
            return line.substring(start, at);
        }

        private void labels() throws Malformed {
            expect('{');
            while (at < line.length() && line.charAt(at) != '}') {
                name(false);
                expect('=');
                expect('"');
                while (true) {
                    if (at >= line.length()) {
                        throw new Malformed(number, "a label value is not closed");
                    }
                    char c = line.charAt(at++);
                    if (c == '"') {
                        break;
                    }
                    if (c == '\\') {
                        if (at >= line.length() || "\\\"n".indexOf(line.charAt(at)) < 0) {
                            throw new Malformed(number, "a label value has a bad escape");
                        }
                        at++;
                    }
                }
                if (at < line.length() && line.charAt(at) == ',') {
                    at++;
                }
            }
            expect('}');
        }

        private String token() throws Malformed {
            int start = at;
            while (at < line.length() && line.charAt(at) != ' ') {
                at++;
            }
            if (at == start) {
                throw new Malformed(number, "a value is missing");
            }
            return line.substring(start, at);
        }

        private double number(String token) throws Malformed {
            switch (token) {
                case "+Inf", "Inf", "+inf", "inf":
                    return Double.POSITIVE_INFINITY;
                case "-Inf", "-inf":
                    return Double.NEGATIVE_INFINITY;
                case "NaN", "nan":
                    return Double.NaN;
                default:
                    break;
            }
            // Java's parser also takes "1d", "0x1p3" and "Infinity": the format does not
            for (int i = 0; i < token.length(); i++) {
                char c = token.charAt(i);
                if (!((c >= '0' && c <= '9') || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-')) {
                    throw new Malformed(number, "'" + token + "' is not a number");
                }
            }
            try {
                return Double.parseDouble(token);
            } catch (NumberFormatException e) {
                throw new Malformed(number, "'" + token + "' is not a number");
            }
        }

        private void expect(char c) throws Malformed {
            if (at >= line.length() || line.charAt(at) != c) {
                throw new Malformed(number, "expected '" + c + "' at '" + rest() + "'");
            }
            at++;
        }

        private String rest() {
            String rest = line.substring(Math.min(at, line.length()));
            return rest.length() > 40 ? rest.substring(0, 40) + "..." : rest;
        }
    }
}
