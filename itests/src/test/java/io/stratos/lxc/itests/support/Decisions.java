package io.stratos.lxc.itests.support;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The autoscaler's recorded decisions ({@code GET /autoscaler/decisions}), read from its pretty-printed JSON. */
public final class Decisions {

    /** One decision: when, which level and target, the change, and why. */
    public record Decision(Instant time, String level, String target, int from, int to, String reason) {
        public boolean is(String level, String target) {
            return this.level.equals(level) && this.target.equals(target);
        }

        public boolean up() {
            return to > from;
        }
    }

    private static final Pattern TIME = Pattern.compile("\"time\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern LEVEL = Pattern.compile("\"level\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern TARGET = Pattern.compile("\"target\"\\s*:\\s*\"([^\"]+)\"");
    private static final Pattern FROM = Pattern.compile("\"from\"\\s*:\\s*(\\d+)");
    private static final Pattern TO = Pattern.compile("\"to\"\\s*:\\s*(\\d+)");
    private static final Pattern REASON = Pattern.compile("\"reason\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private Decisions() {
    }

    /** The decisions, oldest first (the API gives newest first). */
    public static List<Decision> of(ControllerProcess controller, int limit) throws Exception {
        return parse(controller.get("/autoscaler/decisions?limit=" + limit));
    }

    public static List<Decision> parse(String json) {
        List<Decision> out = new ArrayList<>();
        String[] parts = json.split("(?=\"time\"\\s*:)");
        for (String part : parts) {
            Matcher time = TIME.matcher(part);
            if (!time.find()) {
                continue;
            }
            out.add(0, new Decision(Instant.parse(time.group(1)), group(LEVEL, part), group(TARGET, part),
                    Integer.parseInt(group(FROM, part)), Integer.parseInt(group(TO, part)), group(REASON, part)));
        }
        return out;
    }

    private static String group(Pattern pattern, String text) {
        Matcher m = pattern.matcher(text);
        return m.find() ? m.group(1) : "";
    }
}
