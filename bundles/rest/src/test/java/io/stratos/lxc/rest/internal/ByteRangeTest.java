package io.stratos.lxc.rest.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ByteRangeTest {

    @Test
    void rangesResolveAgainstTheSize() {
        assertThat(ByteRange.parse("bytes=0-99", 1000)).isEqualTo(new ByteRange.Partial(new ByteRange(0, 99)));
        assertThat(ByteRange.parse("bytes=900-", 1000)).isEqualTo(new ByteRange.Partial(new ByteRange(900, 999)));
        assertThat(ByteRange.parse("bytes=-100", 1000)).isEqualTo(new ByteRange.Partial(new ByteRange(900, 999)));
        assertThat(ByteRange.parse("bytes=-5000", 1000)).isEqualTo(new ByteRange.Partial(new ByteRange(0, 999)));
        assertThat(ByteRange.parse("bytes=990-5000", 1000)).isEqualTo(new ByteRange.Partial(new ByteRange(990, 999)));
        assertThat(new ByteRange(990, 999).contentRange(1000)).isEqualTo("bytes 990-999/1000");
        assertThat(new ByteRange(990, 999).length()).isEqualTo(10);
    }

    @Test
    void aRangeBeyondTheEndIsUnsatisfiable() {
        assertThat(ByteRange.parse("bytes=1000-", 1000)).isInstanceOf(ByteRange.Unsatisfiable.class);
        assertThat(ByteRange.parse("bytes=-0", 1000)).isInstanceOf(ByteRange.Unsatisfiable.class);
    }

    @Test
    void absentMalformedOrMultipleRangesServeTheWholeBody() {
        assertThat(ByteRange.parse(null, 1000)).isInstanceOf(ByteRange.Whole.class);
        assertThat(ByteRange.parse("items=0-1", 1000)).isInstanceOf(ByteRange.Whole.class);
        assertThat(ByteRange.parse("bytes=5-1", 1000)).isInstanceOf(ByteRange.Whole.class);
        assertThat(ByteRange.parse("bytes=a-b", 1000)).isInstanceOf(ByteRange.Whole.class);
        assertThat(ByteRange.parse("bytes=0-1,5-6", 1000)).isInstanceOf(ByteRange.Whole.class);
    }

    @Test
    void ifNoneMatchComparesWeakly() {
        String etag = "\"sha256:ab\"";
        assertThat(ImageResource.matches("\"sha256:ab\"", etag)).isTrue();
        assertThat(ImageResource.matches("W/\"sha256:ab\", \"x\"", etag)).isTrue();
        assertThat(ImageResource.matches("*", etag)).isTrue();
        assertThat(ImageResource.matches("\"sha256:cd\"", etag)).isFalse();
        assertThat(ImageResource.matches(null, etag)).isFalse();
    }

    @Test
    void theDigestHeaderIsReadAsSha256() {
        String base64 = java.util.Base64.getEncoder().encodeToString(new byte[32]);
        assertThat(CartridgeResource.expectedDigest("md5=xyz, sha-256=" + base64)).isEqualTo("sha256:" + "0".repeat(64));
        assertThat(CartridgeResource.expectedDigest("md5=xyz")).isNull();
        assertThat(CartridgeResource.expectedDigest("sha-256=:" + base64 + ":")).isEqualTo("sha256:" + "0".repeat(64));
        assertThat(org.assertj.core.api.Assertions.catchThrowableOfType(io.stratos.lxc.api.StratosException.class,
                () -> CartridgeResource.expectedDigest("sha-256=bm90IDMyIGJ5dGVz")).field()).isEqualTo("Digest");
    }
}
