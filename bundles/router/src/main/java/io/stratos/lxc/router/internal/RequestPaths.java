package io.stratos.lxc.router.internal;

import java.util.ArrayList;
import java.util.List;

/** Checks on a request before it is routed: the request-target's path, header characters. */
final class RequestPaths {

    private RequestPaths() {
    }

    /**
     * The raw (still percent-encoded) path with its dot segments removed (RFC 3986 5.2.4), or null when it
     * climbs above the root. {@code %2e} counts as a dot, so {@code /a/%2e%2e/b} is {@code /b}: the backend
     * would decode it to {@code ..} and the alias taken from the first segment would not be the one it
     * serves. Nothing else is decoded, so {@code %2f} stays inside its segment.
     */
    static String normalize(String rawPath) {
        if (rawPath.indexOf('.') < 0 && rawPath.indexOf('%') < 0) {
            return rawPath;
        }
        String[] segments = rawPath.substring(1).split("/", -1);
        List<String> out = new ArrayList<>(segments.length);
        for (int i = 0; i < segments.length; i++) {
            String segment = segments[i];
            boolean last = i == segments.length - 1;
            String dots = dots(segment);
            if (dots.equals(".")) {
                if (last) {
                    out.add("");
                }
            } else if (dots.equals("..")) {
                if (out.isEmpty()) {
                    return null;
                }
                out.remove(out.size() - 1);
                if (last) {
                    out.add("");
                }
            } else {
                out.add(segment);
            }
        }
        return "/" + String.join("/", out);
    }

    /** The segment with {@code %2e} read as a dot, when it is only dots; else the segment itself. */
    private static String dots(String segment) {
        if (segment.length() > 6 || segment.isEmpty()) {
            return segment;
        }
        String decoded = segment.replace("%2e", ".").replace("%2E", ".");
        return decoded.equals(".") || decoded.equals("..") ? decoded : segment;
    }

    /** A header name that is an RFC 9110 token. */
    static boolean validName(CharSequence name) {
        if (name.length() == 0) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= 0x20 || c >= 0x7f || "\"(),/:;<=>?@[\\]{}".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }

    /** A header value without control characters (NUL, CR, LF, DEL...; a tab is allowed). */
    static boolean validValue(CharSequence value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if ((c < 0x20 && c != '\t') || c == 0x7f) {
                return false;
            }
        }
        return true;
    }
}
