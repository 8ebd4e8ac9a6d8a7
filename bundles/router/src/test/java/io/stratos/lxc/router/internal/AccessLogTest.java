package io.stratos.lxc.router.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AccessLogTest {

    private final List<String> lines = new ArrayList<>();
    private final AccessLog log = AccessLog.to(lines::add);

    @Test
    void whatTheClientSentCannotForgeALineOrBreakTheFields() {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/a%22b");
        request.headers().set("User-Agent", "x\" 200 9 \"-\" \"forged \u00e9");

        log.request(new InetSocketAddress("10.0.0.9", 40000), request, 502, 0, "shop", 1_500_000);

        assertThat(lines).hasSize(1);
        assertThat(lines.get(0)).doesNotContain("\n")
                .contains("\"GET /a%22b HTTP/1.1\" 502 - \"-\" \"x\\\" 200 9 \\\"-\\\" \\\"forged \\xe9\" shop 0.001")
                .startsWith("10.0.0.9 - - [");
    }

    @Test
    void quotesBackslashesControlAndNonAsciiCharactersAreEscapedAsApacheDoes() {
        StringBuilder out = new StringBuilder();

        AccessLog.escape("a\"b\\c\n\u007f\u00e9\u20ac", out);

        assertThat(out).hasToString("a\\\"b\\\\c\\x0a\\x7f\\xe9\\u20ac");
    }

    @Test
    void aVeryLongTargetIsCutSoTheLineStaysReadable() {
        HttpRequest request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.GET, "/" + "a".repeat(10_000));

        log.request(new InetSocketAddress("127.0.0.1", 1), request, 200, 5, null, 0);

        assertThat(lines.get(0)).contains("a".repeat(AccessLog.MAX_TARGET - 1) + "... HTTP/1.1\" 200 5 ").endsWith(" - 0.000");
    }
}
