package io.stratos.lxc.itests.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The autoscaler's recorded decisions ({@code GET /autoscaler/decisions}), read with Jackson. */
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

    private Decisions() {
    }

    /** The decisions, oldest first (the API gives newest first). */
    public static List<Decision> of(ControllerProcess controller, int limit) throws Exception {
        return parse(controller.get("/autoscaler/decisions?limit=" + limit));
    }

    public static List<Decision> parse(String json) {
        List<Decision> out = new ArrayList<>();
        for (JsonNode d : Json.tree(json)) {
            out.add(0, new Decision(Instant.parse(d.path("time").asText()), d.path("level").asText(), d.path("target").asText(),
                    d.path("from").asInt(), d.path("to").asInt(), d.path("reason").asText()));
        }
        return out;
    }
}
