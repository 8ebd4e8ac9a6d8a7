package io.stratos.lxc.api.router;

import java.util.List;

/**
 * Request durations of one alias since the router started, in fixed buckets (for the metrics endpoint's histogram).
 *
 * @param upperBoundsSeconds each bucket's upper bound, ascending; the last is {@code +Inf}
 * @param counts             requests per bucket (not cumulative), as many as bounds
 */
public record LatencyHistogram(List<Double> upperBoundsSeconds, List<Long> counts) {

    public LatencyHistogram {
        upperBoundsSeconds = List.copyOf(upperBoundsSeconds);
        counts = List.copyOf(counts);
        if (upperBoundsSeconds.size() != counts.size()) {
            throw new IllegalArgumentException("as many counts as bounds");
        }
    }
}
