package io.stratos.lxc.itests.support;

import java.util.List;
import org.HdrHistogram.DoubleHistogram;

/** Percentiles of a benchmark's samples, with HdrHistogram (4 significant digits: finer than the figures are printed). */
public final class Percentiles {

    private Percentiles() {
    }

    /** The value at quantile {@code q} (0.5 for the median, 0.99 for p99) of the samples, in their unit. */
    public static double of(List<Double> samples, double q) {
        if (samples.isEmpty()) {
            throw new IllegalArgumentException("no samples");
        }
        DoubleHistogram histogram = new DoubleHistogram(4);
        samples.forEach(histogram::recordValue);
        return histogram.getValueAtPercentile(q * 100);
    }
}
