package io.stratos.lxc.store.internal;

import io.stratos.lxc.api.StratosException;
import java.util.Comparator;
import java.util.regex.Pattern;

/** Syntax of cartridge names, versions, tags and digests, and the order of versions. */
final class Names {

    static final Pattern NAME = Pattern.compile("[a-z]([a-z0-9-]{0,61}[a-z0-9])?");
    static final Pattern VERSION = Pattern.compile("[0-9]+(\\.[0-9]+){0,3}([-+~][0-9A-Za-z][0-9A-Za-z.+~-]{0,40})?");
    static final Pattern TAG = Pattern.compile("[a-z][a-z0-9._-]{0,62}");
    static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");

    /** Versions in semver-like order: numeric core, then a release after its pre-releases. */
    static final Comparator<String> VERSION_ORDER = Names::compareVersions;

    private Names() {
    }

    static String checkName(String field, String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw StratosException.invalid(field, "cartridge name '" + name + "' is not valid",
                    "use lower-case letters, digits and '-', starting with a letter, at most 63 characters (e.g. static-httpd)");
        }
        return name;
    }

    static String checkVersion(String field, String version) {
        if (version == null || !VERSION.matcher(version).matches()) {
            throw StratosException.invalid(field, "version '" + version + "' is not valid",
                    "use a semver-like version such as 1.0.0 or 8.2.7-1");
        }
        return version;
    }

    static String checkTag(String field, String tag) {
        if (tag == null || !TAG.matcher(tag).matches()) {
            throw StratosException.invalid(field, "tag '" + tag + "' is not valid",
                    "use lower-case letters, digits, '.', '_' and '-', starting with a letter (e.g. latest, stable)");
        }
        return tag;
    }

    static String checkDigest(String field, String digest) {
        if (digest == null || !DIGEST.matcher(digest).matches()) {
            throw StratosException.invalid(field, "digest '" + digest + "' is not valid",
                    "write it as sha256:<64 lower-case hex digits>");
        }
        return digest;
    }

    static int compareVersions(String a, String b) {
        String[] coreA = core(a).split("\\.");
        String[] coreB = core(b).split("\\.");
        for (int i = 0; i < Math.max(coreA.length, coreB.length); i++) {
            long x = i < coreA.length ? parse(coreA[i]) : 0;
            long y = i < coreB.length ? parse(coreB[i]) : 0;
            if (x != y) {
                return Long.compare(x, y);
            }
        }
        String sa = suffix(a);
        String sb = suffix(b);
        boolean preA = sa.startsWith("-") || sa.startsWith("~");
        boolean preB = sb.startsWith("-") || sb.startsWith("~");
        if (sa.isEmpty() != sb.isEmpty()) {
            // 1.0.0-rc1 < 1.0.0 < 1.0.0+build
            if (sa.isEmpty()) {
                return preB ? 1 : -1;
            }
            return preA ? -1 : 1;
        }
        int bySuffix = sa.compareTo(sb);
        return bySuffix != 0 ? bySuffix : a.compareTo(b);
    }

    private static String core(String version) {
        int end = 0;
        while (end < version.length() && (Character.isDigit(version.charAt(end)) || version.charAt(end) == '.')) {
            end++;
        }
        return version.substring(0, end);
    }

    private static String suffix(String version) {
        return version.substring(core(version).length());
    }

    private static long parse(String number) {
        try {
            return number.isEmpty() ? 0 : Long.parseLong(number);
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }
}
