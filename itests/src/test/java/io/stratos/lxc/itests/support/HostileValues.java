package io.stratos.lxc.itests.support;

import java.math.BigDecimal;
import java.util.Random;

/** The fuzzer's catalogue of odd and hostile values: strings, numbers, media types, path segments, ranges. */
final class HostileValues {

    static final String[] STRINGS = {"", " ", "..", "../../../../etc/passwd", "%00", "\u0000", "a\u0000b",
        "\r\nX-Injected: 1", "line\nbreak", "' OR '1'='1", "\"; DROP TABLE subscriptions; --", "<script>alert(1)</script>",
        "${jndi:ldap://127.0.0.1/x}", "{{7*7}}", "\u202eevil", "\ud83d\ude00", "\ud800", "\udfff", "\uffff", "\ufeffbom",
        "ü", "日本語", "NaN", "-1", "0", "null", "true", "[]", "{}", "/", "\\", "%s%n%x", "a".repeat(64), "A", "-a", "a-",
        "latest", "sha256:", "sha256:" + "0".repeat(64), "CON", "*", "?", "#", ";", "&", "=", "~", "`id`", "$(id)"};
    static final Object[] NUMBERS = {-1, 0, 1, 2147483647, 2147483648L, -2147483648L, -2147483649L,
        new BigDecimal("9223372036854775807"), new BigDecimal("9223372036854775808"), new BigDecimal("-9223372036854775809"),
        new BigDecimal("1e308"), new BigDecimal("1e400"), new BigDecimal("-1e400"), new BigDecimal("1e-400"), new BigDecimal("-0.0"),
        new BigDecimal("0.5"), new BigDecimal("123456789012345678901234567890.123456789"), new BigDecimal("1E+2147483647")};
    static final String[] CONTENT_TYPES = {"text/plain", "application/xml", "application/x-www-form-urlencoded",
        "multipart/form-data", "multipart/form-data; boundary=xyz", "application/json; charset=utf-16",
        "application/json; charset=klingon", "application/octet-stream", "*/*", "application/json, text/plain", "application",
        "application/json;" + "a".repeat(3000), "application/gzip", "image/png", "application/vnd.api+json", ""};
    static final String[] ACCEPTS = {"application/xml", "text/html", "text/plain", "*/*", "application/octet-stream",
        "garbage", "application/json;q=0", "image/*"};
    static final String[] PATH_SEGMENTS = {"..", "%2e%2e", "%2E%2E%2F%2E%2E%2Fetc%2Fpasswd", "..%2f..%2f", "%00", "a%00b",
        "%", "%zz", "%c0%ae%c0%ae", "a%2Fb", "a%5Cb", "%20", "%0d%0aX-Injected:%201", "%ff%fe", "%ed%a0%80", "%F0%9F%98%80", "%C3%BC",
        ";x=y", "a;b", ".", "...", "~root", "-1", "0", "999999999999999999999", "A".repeat(64), "a".repeat(300), "a".repeat(5000),
        "sha256:" + "f".repeat(64), "sha256:" + "F".repeat(64), "sha256:../../x", "latest", "$(id)", "%24%7Bjndi%3Aldap%3A%2F%2F127.0.0.1%2Fx%7D"};
    static final String[] RANGES = {"bytes=0-", "bytes=0-0", "bytes=-1", "bytes=-0", "bytes=5-1", "bytes=0-1,2-3",
        "bytes=99999999999999999999-", "bytes=-99999999999999999999", "bytes=", "bytes=a-b", "lines=1-2", "bytes=0-1, 0-1",
        "bytes=9223372036854775807-", "bytes=1-9223372036854775807", "garbage"};

    private HostileValues() {
    }

    /** One of the values, drawn from the fuzzer's random. */
    static <T> T any(T[] values, Random random) {
        return values[random.nextInt(values.length)];
    }
}
