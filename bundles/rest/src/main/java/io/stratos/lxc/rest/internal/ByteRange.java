package io.stratos.lxc.rest.internal;

/**
 * One HTTP byte range ({@code Range: bytes=a-b}, {@code bytes=a-}, {@code bytes=-n}) resolved
 * against a size. Several ranges in one header are answered with the whole body, which RFC 9110
 * allows; a malformed header is ignored the same way.
 *
 * @param start first byte, inclusive
 * @param end   last byte, inclusive
 */
record ByteRange(long start, long end) {

    /** The outcome of looking at a Range header. */
    sealed interface Outcome permits Whole, Partial, Unsatisfiable {
    }

    /** Serve the whole body with 200. */
    record Whole() implements Outcome {
    }

    /** Serve this range with 206. */
    record Partial(ByteRange range) implements Outcome {
    }

    /** Answer 416 with {@code Content-Range: bytes *}{@code /size}. */
    record Unsatisfiable() implements Outcome {
    }

    long length() {
        return end - start + 1;
    }

    String contentRange(long size) {
        return "bytes " + start + "-" + end + "/" + size;
    }

    static Outcome parse(String header, long size) {
        if (header == null || header.isBlank()) {
            return new Whole();
        }
        String value = header.trim();
        if (!value.regionMatches(true, 0, "bytes=", 0, 6)) {
            return new Whole();
        }
        String spec = value.substring(6).trim();
        if (spec.contains(",")) {
            return new Whole();
        }
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return new Whole();
        }
        String first = spec.substring(0, dash).trim();
        String last = spec.substring(dash + 1).trim();
        try {
            if (first.isEmpty()) {
                if (last.isEmpty()) {
                    return new Whole();
                }
                long suffix = Long.parseLong(last);
                if (suffix <= 0 || size == 0) {
                    return new Unsatisfiable();
                }
                return new Partial(new ByteRange(Math.max(0, size - suffix), size - 1));
            }
            long start = Long.parseLong(first);
            long end = last.isEmpty() ? Long.MAX_VALUE : Long.parseLong(last);
            if (start < 0 || end < start) {
                return new Whole();
            }
            if (start >= size) {
                return new Unsatisfiable();
            }
            return new Partial(new ByteRange(start, Math.min(end, size - 1)));
        } catch (NumberFormatException e) {
            return new Whole();
        }
    }
}
