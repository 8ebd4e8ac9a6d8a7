package io.stratos.lxc.itests.support;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Strings matching the small regular expressions of an OpenAPI description ({@code ^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$}):
 * literals, escapes, character classes with ranges, groups, alternation and the quantifiers ? * + {n} {m,n}.
 */
public final class RegexSample {

    private interface Node {
        void emit(Random random, StringBuilder out);
    }

    private final String regex;
    private int pos;

    private RegexSample(String regex) {
        this.regex = regex;
    }

    public static String sample(String regex, Random random) {
        RegexSample parser = new RegexSample(regex);
        Node node = parser.alternation();
        StringBuilder out = new StringBuilder();
        node.emit(random, out);
        return out.toString();
    }

    private Node alternation() {
        List<Node> options = new ArrayList<>();
        options.add(sequence());
        while (pos < regex.length() && regex.charAt(pos) == '|') {
            pos++;
            options.add(sequence());
        }
        return options.size() == 1 ? options.get(0) : (r, out) -> options.get(r.nextInt(options.size())).emit(r, out);
    }

    private Node sequence() {
        List<Node> items = new ArrayList<>();
        while (pos < regex.length() && regex.charAt(pos) != '|' && regex.charAt(pos) != ')') {
            Node atom = atom();
            if (atom != null) {
                items.add(quantified(atom));
            }
        }
        return (r, out) -> items.forEach(n -> n.emit(r, out));
    }

    private Node atom() {
        char c = regex.charAt(pos++);
        switch (c) {
            case '^', '$':
                return null;
            case '(': {
                if (regex.startsWith("?:", pos)) {
                    pos += 2;
                }
                Node inner = alternation();
                pos++; // ')'
                return inner;
            }
            case '[':
                return charClass();
            case '.':
                return (r, out) -> out.append((char) ('a' + r.nextInt(26)));
            case '\\': {
                char escaped = regex.charAt(pos++);
                if (escaped == 'd') {
                    return (r, out) -> out.append((char) ('0' + r.nextInt(10)));
                }
                return (r, out) -> out.append(escaped);
            }
            default:
                return (r, out) -> out.append(c);
        }
    }

    private Node charClass() {
        List<char[]> ranges = new ArrayList<>();
        while (regex.charAt(pos) != ']') {
            char from = regex.charAt(pos++);
            if (from == '\\') {
                from = regex.charAt(pos++);
            }
            char to = from;
            if (regex.charAt(pos) == '-' && regex.charAt(pos + 1) != ']') {
                pos++;
                to = regex.charAt(pos++);
            }
            ranges.add(new char[] {from, to});
        }
        pos++;
        return (r, out) -> {
            char[] range = ranges.get(r.nextInt(ranges.size()));
            out.append((char) (range[0] + r.nextInt(range[1] - range[0] + 1)));
        };
    }

    private Node quantified(Node atom) {
        if (pos >= regex.length()) {
            return atom;
        }
        char q = regex.charAt(pos);
        int min;
        int max;
        if (q == '?') {
            min = 0;
            max = 1;
        } else if (q == '*') {
            min = 0;
            max = 8;
        } else if (q == '+') {
            min = 1;
            max = 8;
        } else if (q == '{') {
            int close = regex.indexOf('}', pos);
            String[] bounds = regex.substring(pos + 1, close).split(",", -1);
            min = Integer.parseInt(bounds[0]);
            max = bounds.length == 1 ? min : bounds[1].isEmpty() ? min + 8 : Integer.parseInt(bounds[1]);
            pos = close;
        } else {
            return atom;
        }
        pos++;
        int lo = min;
        int hi = max;
        return (r, out) -> {
            // short strings mostly, the longest allowed now and then
            int n = r.nextInt(8) == 0 ? hi : lo + r.nextInt(Math.min(hi - lo, 12) + 1);
            for (int i = 0; i < n; i++) {
                atom.emit(r, out);
            }
        };
    }
}
