package io.stratos.lxc.loadgen;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How the load level changes over a run: phases, each a duration at a level (requests per second in
 * open loop, concurrent clients in closed loop). The run ends with the last phase, so a schedule also
 * bounds a run's time.
 */
public record Schedule(List<Phase> phases) {

    /** One phase: {@code level} for {@code duration}. */
    public record Phase(Duration duration, double level) {
        public Phase {
            if (duration == null || duration.isNegative() || duration.isZero()) {
                throw new IllegalArgumentException("a phase needs a positive duration, not " + duration);
            }
            if (!(level >= 0) || Double.isInfinite(level)) {
                throw new IllegalArgumentException("a phase's level must be 0 or more, not " + level);
            }
        }
    }

    public Schedule {
        if (phases == null || phases.isEmpty()) {
            throw new IllegalArgumentException("a schedule needs at least one phase");
        }
        phases = List.copyOf(phases);
    }

    /** One level for a while. */
    public static Schedule constant(double level, Duration duration) {
        return new Schedule(List.of(new Phase(duration, level)));
    }

    /** Steps: each level held for {@code each}, in order. */
    public static Schedule steps(Duration each, double... levels) {
        List<Phase> phases = new ArrayList<>();
        for (double level : levels) {
            phases.add(new Phase(each, level));
        }
        return new Schedule(phases);
    }

    /** A square wave: {@code high} for {@code halfPeriod}, then {@code low} for {@code halfPeriod}, {@code cycles} times. */
    public static Schedule square(double high, double low, Duration halfPeriod, int cycles) {
        if (cycles < 1) {
            throw new IllegalArgumentException("a square wave needs at least 1 cycle, not " + cycles);
        }
        List<Phase> phases = new ArrayList<>();
        for (int i = 0; i < cycles; i++) {
            phases.add(new Phase(halfPeriod, high));
            phases.add(new Phase(halfPeriod, low));
        }
        return new Schedule(phases);
    }

    /**
     * Parses {@code 10s:1,30s:8,10s:1} (duration:level, comma-separated; durations in ms, s or m) or
     * {@code square:HIGH:LOW:HALF_PERIOD:CYCLES}, e.g. {@code square:8:1:10s:3}.
     */
    public static Schedule parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("an empty schedule: write e.g. 10s:1,30s:8 or square:8:1:10s:3");
        }
        String t = text.trim();
        if (t.startsWith("square:")) {
            String[] parts = t.split(":");
            if (parts.length != 5) {
                throw new IllegalArgumentException("'" + t + "' is not square:HIGH:LOW:HALF_PERIOD:CYCLES (e.g. square:8:1:10s:3)");
            }
            return square(number(parts[1], t), number(parts[2], t), duration(parts[3]), (int) number(parts[4], t));
        }
        List<Phase> phases = new ArrayList<>();
        for (String part : t.split(",")) {
            String[] p = part.trim().split(":");
            if (p.length != 2) {
                throw new IllegalArgumentException("'" + part.trim() + "' is not DURATION:LEVEL (e.g. 30s:8)");
            }
            phases.add(new Phase(duration(p[0]), number(p[1], part)));
        }
        return new Schedule(phases);
    }

    /** {@code 250ms}, {@code 10s}, {@code 2m}; a bare number is seconds. */
    public static Duration duration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.endsWith("ms")) {
                return Duration.ofMillis(Long.parseLong(t.substring(0, t.length() - 2)));
            }
            if (t.endsWith("s")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 1000));
            }
            if (t.endsWith("m")) {
                return Duration.ofMillis(Math.round(Double.parseDouble(t.substring(0, t.length() - 1)) * 60_000));
            }
            return Duration.ofMillis(Math.round(Double.parseDouble(t) * 1000));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a duration (e.g. 250ms, 10s, 2m)");
        }
    }

    private static double number(String text, String context) {
        try {
            return Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' in '" + context + "' is not a number");
        }
    }

    /** The whole schedule's length. */
    public Duration total() {
        return phases.stream().map(Phase::duration).reduce(Duration.ZERO, Duration::plus);
    }

    /** The level at this time since the start; the last phase's level after the end. */
    public double levelAt(long elapsedMillis) {
        long end = 0;
        for (Phase phase : phases) {
            end += phase.duration().toMillis();
            if (elapsedMillis < end) {
                return phase.level();
            }
        }
        return phases.get(phases.size() - 1).level();
    }

    /** The highest level anywhere in the schedule. */
    public double maxLevel() {
        return phases.stream().mapToDouble(Phase::level).max().orElse(0);
    }
}
