package io.stratos.lxc.autoscaler.history;

import java.util.Arrays;

/**
 * The samples of one subscription or partition: a fixed number of int columns over a ring of {@code capacity}
 * slots, one slot per sampling pass (pass {@code n} lives in slot {@code n % capacity}; the pass's time is kept
 * once for all series, in {@link HistoryStore}). Floats are stored as their bits. Primitive arrays, allocated once:
 * a series costs {@code 4 * columns * capacity} bytes plus ~100 bytes of headers, whatever it holds. Not thread-safe:
 * {@link HistoryStore} guards it.
 */
final class SeriesRing {

    /** In column 0 of a pass this series was not sampled in (a pass that failed, or the controller away). */
    static final int MISSING = Integer.MIN_VALUE;

    private final int[][] columns;
    private final int capacity;
    /** The first and the last pass recorded; -1 before the first. */
    private long first = -1;
    private long last = -1;
    /** What the series belongs to beyond its name (a subscription's creation time). */
    private String tag;

    SeriesRing(int columns, int capacity) {
        this.columns = new int[columns][capacity];
        this.capacity = capacity;
    }

    String tag() {
        return tag;
    }

    void tag(String value) {
        tag = value;
    }

    /** Records pass {@code pass}; passes skipped since the last one are marked missing. */
    void put(long pass, int... values) {
        if (last >= 0 && pass <= last) {
            return;
        }
        if (last >= 0) {
            for (long p = Math.max(last + 1, pass - capacity + 1); p < pass; p++) {
                columns[0][slot(p)] = MISSING;
            }
        } else {
            first = pass;
        }
        int slot = slot(pass);
        for (int c = 0; c < columns.length; c++) {
            columns[c][slot] = values[c];
        }
        last = pass;
    }

    /** The oldest pass still held: from this one to {@link #last()}. -1 when empty. */
    long oldest() {
        return last < 0 ? -1 : Math.max(first, last - capacity + 1);
    }

    long last() {
        return last;
    }

    /** Whether pass {@code pass} (within oldest..last) was sampled. */
    boolean has(long pass) {
        return pass >= oldest() && pass <= last && columns[0][slot(pass)] != MISSING;
    }

    int get(long pass, int column) {
        return columns[column][slot(pass)];
    }

    float getFloat(long pass, int column) {
        return Float.intBitsToFloat(get(pass, column));
    }

    private int slot(long pass) {
        return (int) (pass % capacity);
    }

    @Override
    public String toString() {
        return "SeriesRing" + Arrays.toString(new long[] {oldest(), last});
    }
}
