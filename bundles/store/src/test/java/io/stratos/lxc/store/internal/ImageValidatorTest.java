package io.stratos.lxc.store.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.store.CartridgeManifest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ImageValidatorTest {

    private final ImageValidator validator = new ImageValidator(64 * 1024, 2L * 1024 * 1024 * 1024);

    private ImageValidator.Result validate(byte[] tarball) {
        return validate(tarball, null);
    }

    private ImageValidator.Result validate(byte[] tarball, byte[] alongside) {
        try {
            return validator.validate(new java.io.BufferedInputStream(new ByteArrayInputStream(tarball)), alongside);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private StratosException refused(byte[] tarball) {
        return catchThrowableOfType(StratosException.class, () -> validate(tarball));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "zstd", "tar"})
    void aWellFormedImageIsAcceptedInEveryCompression(String compression) {
        ImageValidator.Result result = validate(TestImages.image("static-httpd", "1.0.0").compression(compression).bytes());

        assertThat(result.compression()).isEqualTo(compression);
        CartridgeManifest manifest = result.manifest();
        assertThat(manifest.name()).isEqualTo("static-httpd");
        assertThat(manifest.version()).isEqualTo("1.0.0");
        assertThat(manifest.ports()).containsExactly(new CartridgeManifest.Port("http", 8080, "tcp"));
        assertThat(manifest.health()).isEqualTo(new CartridgeManifest.Health("/", null));
        assertThat(manifest.runtimes()).containsExactly("lxc", "docker");
    }

    @Test
    void aManifestMayDeclareWhereTheProcessServesItsMetrics() {
        String json = TestImages.manifest("static-httpd", "1.0.0").replace("\"health\":", "\"metrics\": {\"http\": \"/metrics\"}, \"health\":");
        CartridgeManifest manifest = validate(TestImages.image("static-httpd", "1.0.0").withoutManifest().manifestJson(json).bytes())
                .manifest();
        assertThat(manifest.metrics()).isEqualTo(new CartridgeManifest.Metrics("/metrics"));
    }

    @Test
    void aTruncatedTarballIsRefused() {
        byte[] whole = TestImages.image("static-httpd", "1.0.0").file("rootfs/big", new byte[100_000]).bytes();
        StratosException e = refused(Arrays.copyOf(whole, whole.length / 2));

        assertThat(e.kind()).isEqualTo(StratosException.Kind.INVALID_INPUT);
        assertThat(e.getMessage()).contains("not a readable tar");
    }

    @Test
    void aTruncatedPlainTarIsRefusedNamingTheLastEntry() {
        byte[] whole = TestImages.image("static-httpd", "1.0.0").file("rootfs/big", new byte[100_000]).compression("tar").bytes();
        StratosException e = refused(Arrays.copyOf(whole, whole.length - 60_000));

        assertThat(e.kind()).isEqualTo(StratosException.Kind.INVALID_INPUT);
        assertThat(e.getMessage()).contains("not a readable tar");
        assertThat(e.field()).isEqualTo("rootfs/big");
    }

    @Test
    void garbageIsRefused() {
        byte[] garbage = new byte[4096];
        Arrays.fill(garbage, (byte) 'x');
        assertThat(refused(garbage).getMessage()).contains("not a readable tar");
    }

    @Test
    void aMissingManifestIsRefused() {
        StratosException e = refused(TestImages.image("static-httpd", "1.0.0").withoutManifest().bytes());

        assertThat(e.field()).isEqualTo("cartridge.json");
        assertThat(e.getMessage()).contains("no cartridge.json");
    }

    @Test
    void theManifestMaySendAlongside() {
        byte[] manifest = TestImages.manifest("static-httpd", "1.0.0").getBytes(StandardCharsets.UTF_8);
        ImageValidator.Result result = validate(TestImages.image("static-httpd", "1.0.0").withoutManifest().bytes(), manifest);

        assertThat(result.manifest().name()).isEqualTo("static-httpd");
    }

    @Test
    void aManifestWithAnUnknownFieldIsRefusedNamingIt() {
        String json = TestImages.manifest("static-httpd", "1.0.0").replace("\"env\"", "\"colour\": \"red\", \"env\"");
        StratosException e = refused(TestImages.image("static-httpd", "1.0.0").withoutManifest().manifestJson(json).bytes());

        assertThat(e.field()).isEqualTo("cartridge.json:colour");
        assertThat(e.getMessage()).contains("unknown field 'colour'");
    }

    @Test
    void anUnknownNestedFieldIsNamedWithItsPath() {
        String json = TestImages.manifest("static-httpd", "1.0.0").replace("\"protocol\"", "\"proto\"");
        StratosException e = refused(TestImages.image("static-httpd", "1.0.0").withoutManifest().manifestJson(json).bytes());

        assertThat(e.field()).isEqualTo("cartridge.json:ports[0].proto");
    }

    @Test
    void aManifestWithoutStartCommandIsRefused() {
        String json = """
                {"name": "static-httpd", "version": "1.0.0", "ports": [{"name": "http", "port": 8080}]}
                """;
        StratosException e = refused(TestImages.image("static-httpd", "1.0.0").withoutManifest().manifestJson(json).bytes());

        assertThat(e.field()).isEqualTo("cartridge.json:start");
        assertThat(e.getMessage()).contains("no start command");
    }

    @Test
    void aStartCommandMissingFromTheRootfsIsRefused() {
        String json = TestImages.manifest("static-httpd", "1.0.0").replace("\"/bin/sh\"", "\"/usr/bin/php\"");
        StratosException e = refused(TestImages.image("static-httpd", "1.0.0").withoutManifest().manifestJson(json).bytes());

        assertThat(e.field()).isEqualTo("cartridge.json:start[0]");
        assertThat(e.getMessage()).contains("/usr/bin/php");
    }

    @Test
    void aRelativeStartCommandIsFoundOnThePathThroughMergedUsrSymlinks() {
        String json = TestImages.manifest("php", "8.2.7-1").replace("\"/bin/sh\"", "\"php\"");
        byte[] tarball = TestImages.empty().manifestJson(json).dir("rootfs/").symlink("rootfs/bin", "usr/bin")
                .dir("rootfs/usr/").dir("rootfs/usr/bin/").file("rootfs/usr/bin/php8.2", new byte[10])
                .symlink("rootfs/usr/bin/php", "/etc/alternatives/php").dir("rootfs/etc/").dir("rootfs/etc/alternatives/")
                .symlink("rootfs/etc/alternatives/php", "/usr/bin/php8.2").bytes();

        assertThat(validate(tarball).manifest().start().get(0)).isEqualTo("php");
    }

    @Test
    void aStartScriptNeedsItsInterpreterInTheRootfs() {
        String json = TestImages.manifest("static-httpd", "1.0.0").replace("\"/bin/sh\", \"-c\"", "\"/bin/start-httpd\", \"-x\"");
        byte[] script = "#!/bin/sh\nexec /bin/busybox httpd -f\n".getBytes(StandardCharsets.UTF_8);
        validate(TestImages.image("static-httpd", "1.0.0").withoutManifest().manifestJson(json)
                .file("rootfs/bin/start-httpd", script).bytes());

        byte[] withoutShell = TestImages.empty().manifestJson(json).file("rootfs/bin/start-httpd", script)
                .file("rootfs/bin/busybox", new byte[10]).bytes();
        StratosException e = refused(withoutShell);
        assertThat(e.field()).isEqualTo("cartridge.json:start[0]");
        assertThat(e.getMessage()).contains("script for '/bin/sh'");
    }

    @Test
    void anAbsolutePathIsRefusedNamingTheEntry() {
        StratosException e = refused(TestImages.image("static-httpd", "1.0.0").file("/etc/passwd", new byte[1]).bytes());

        assertThat(e.field()).isEqualTo("/etc/passwd");
        assertThat(e.getMessage()).contains("absolute path");
    }

    @Test
    void aPathTraversalEntryIsRefusedNamingIt() {
        StratosException e = refused(TestImages.image("static-httpd", "1.0.0").file("rootfs/../../etc/cron.d/x", new byte[1]).bytes());

        assertThat(e.field()).isEqualTo("rootfs/../../etc/cron.d/x");
        assertThat(e.getMessage()).contains("'..'");
    }

    @Test
    void aSymlinkEscapingTheRootfsIsRefused() {
        StratosException e = refused(TestImages.image("static-httpd", "1.0.0")
                .symlink("rootfs/www/secret", "../../../etc/shadow").bytes());

        assertThat(e.field()).isEqualTo("rootfs/www/secret");
        assertThat(e.getMessage()).contains("escapes the rootfs");
    }

    @Test
    void absoluteAndInnerRelativeSymlinksAreFine() {
        validate(TestImages.image("static-httpd", "1.0.0").symlink("rootfs/www/a", "/bin/busybox")
                .symlink("rootfs/www/b", "../bin/busybox").bytes());
    }

    @Test
    void anEntryWrittenThroughASymlinkIsRefused() {
        StratosException e = refused(TestImages.image("static-httpd", "1.0.0").symlink("rootfs/host", "/")
                .file("rootfs/host/etc/passwd", new byte[1]).bytes());

        assertThat(e.field()).isEqualTo("rootfs/host/etc/passwd");
    }

    @Test
    void aHardLinkOutsideTheRootfsIsRefused() {
        StratosException e = refused(TestImages.image("static-httpd", "1.0.0").hardlink("rootfs/passwd", "/etc/passwd").bytes());

        assertThat(e.field()).isEqualTo("rootfs/passwd");
    }

    @Test
    void aHardLinkToAFileOfTheImageIsFine() {
        validate(TestImages.image("static-httpd", "1.0.0").hardlink("rootfs/bin/httpd", "rootfs/bin/busybox").bytes());
    }

    @Test
    void aDeviceNodeIsRefused() {
        StratosException e = refused(TestImages.image("static-httpd", "1.0.0").dir("rootfs/dev/").device("rootfs/dev/null").bytes());

        assertThat(e.field()).isEqualTo("rootfs/dev/null");
        assertThat(e.getMessage()).contains("device node");
    }

    @Test
    void anEntryOutsideRootfsIsRefused() {
        StratosException e = refused(TestImages.image("static-httpd", "1.0.0").file("etc/passwd", new byte[1]).bytes());

        assertThat(e.field()).isEqualTo("etc/passwd");
        assertThat(e.getMessage()).contains("outside rootfs/");
    }

    @Test
    void anEntryDeclaringMoreThanTheUnpackedLimitIsTooLargeBeforeItsDataIsRead() {
        byte[] tarball = TestImages.declaringHugeEntry("rootfs/huge", 3L * 1024 * 1024 * 1024);
        StratosException e = refused(tarball);

        assertThat(e.kind()).isEqualTo(StratosException.Kind.TOO_LARGE);
        assertThat(e.field()).isEqualTo("rootfs/huge");
    }

    @Test
    void badManifestValuesNameTheirField() {
        record Case(String from, String to, String field) {
        }
        for (Case c : List.of(
                new Case("\"port\": 8080", "\"port\": 70000", "cartridge.json:ports[0].port"),
                new Case("\"tcp\"", "\"sctp\"", "cartridge.json:ports[0].protocol"),
                new Case("\"PORT\": \"8080\"", "\"PORT\": \"8080\\nlxc.mount.entry = / host none bind 0 0\"", "cartridge.json:env.PORT"),
                new Case("[\"lxc\", \"docker\"]", "[\"lxc\", \"qemu\"]", "cartridge.json:runtimes[1]"),
                new Case("{\"http\": \"/\"}", "{\"http\": \"/\", \"tcp\": 8080}", "cartridge.json:health"),
                new Case("\"health\":", "\"metrics\": {\"http\": \"//evil.example/metrics\"}, \"health\":", "cartridge.json:metrics.http"),
                new Case("\"health\":", "\"metrics\": {\"http\": \"http://127.0.0.1:9/\"}, \"health\":", "cartridge.json:metrics.http"),
                new Case("\"health\":", "\"metrics\": {}, \"health\":", "cartridge.json:metrics.http"),
                new Case("\"memoryMiB\": 16", "\"memoryMiB\": \"lots\"", "cartridge.json:resources.memoryMiB"),
                new Case("\"static-httpd\"", "\"Static_HTTPD\"", "cartridge.json:name"))) {
            String json = TestImages.manifest("static-httpd", "1.0.0").replace(c.from(), c.to());
            StratosException e = refused(TestImages.image("static-httpd", "1.0.0").withoutManifest().manifestJson(json).bytes());
            assertThat(e.field()).as(c.to()).isEqualTo(c.field());
        }
    }

    @Test
    void symlinkEscapeIsDecidedLexically() {
        assertThat(ImageValidator.escapes("rootfs/a/b/link", "../../x")).isFalse();
        assertThat(ImageValidator.escapes("rootfs/a/b/link", "../../../x")).isTrue();
        assertThat(ImageValidator.escapes("rootfs/link", "/../x")).isTrue();
        assertThat(ImageValidator.escapes("rootfs/link", "/usr/bin/x")).isFalse();
    }

    @Test
    void aFifoIsRefusedNamingIt() {
        StratosException e = refused(TestImages.image("static-httpd", "1.0.0").fifo("rootfs/run/pipe").bytes());

        assertThat(e.field()).isEqualTo("rootfs/run/pipe");
        assertThat(e.getMessage()).contains("named pipe");
    }

    @Test
    void setUserIdAndSetGroupIdFilesAreRefusedButSetGroupIdDirectoriesAreFine() {
        StratosException suid = refused(TestImages.image("static-httpd", "1.0.0").file("rootfs/bin/su", new byte[3], 04755).bytes());
        assertThat(suid.field()).isEqualTo("rootfs/bin/su");
        assertThat(suid.getMessage()).contains("set-user-id").contains("4755");
        StratosException sgid = refused(TestImages.image("static-httpd", "1.0.0").file("rootfs/bin/wall", new byte[3], 02755).bytes());
        assertThat(sgid.field()).isEqualTo("rootfs/bin/wall");

        validate(TestImages.image("static-httpd", "1.0.0").dirWithMode("rootfs/var/mail/", 02775).bytes());
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "zstd"})
    void aLongNameBombIsRefusedOnceItsHeaderPassesTheLimitNotAfterReadingItIntoMemory(String compression) {
        // 64 MiB of zeros as one entry's "name": a few KiB compressed
        byte[] bomb = TestImages.image("static-httpd", "1.0.0").longName(64 * 1024 * 1024).compression(compression).bytes();
        assertThat(bomb.length).isLessThan(200 * 1024);

        StratosException e = refused(bomb);

        assertThat(e.kind()).isEqualTo(StratosException.Kind.TOO_LARGE);
        assertThat(e.getMessage()).contains("tar header");
    }

    @ParameterizedTest
    @ValueSource(strings = {"gzip", "zstd"})
    void anImageExpandingPastTheUnpackedLimitIsRefusedWhileItStreams(String compression) {
        ImageValidator small = new ImageValidator(64 * 1024, 1024 * 1024);
        TestImages image = TestImages.image("static-httpd", "1.0.0");
        for (int i = 0; i < 4000; i++) {
            image.file("rootfs/www/f" + i, new byte[0]); // headers only: 2 MiB unpacked, no declared bytes
        }
        byte[] tarball = image.compression(compression).bytes();

        StratosException e = catchThrowableOfType(StratosException.class,
                () -> small.validate(new java.io.BufferedInputStream(new ByteArrayInputStream(tarball)), null));

        assertThat(e.kind()).isEqualTo(StratosException.Kind.TOO_LARGE);
        assertThat(e.getMessage()).contains("unpacks to more than 1048576 bytes");
    }

    @Test
    void anImageWithMoreEntriesThanTheLimitIsRefused() {
        ImageValidator few = new ImageValidator(64 * 1024, 1024 * 1024 * 1024, 100);
        TestImages image = TestImages.image("static-httpd", "1.0.0");
        for (int i = 0; i < 200; i++) {
            image.file("rootfs/www/f" + i, new byte[0]);
        }
        byte[] tarball = image.bytes();

        StratosException e = catchThrowableOfType(StratosException.class,
                () -> few.validate(new java.io.BufferedInputStream(new ByteArrayInputStream(tarball)), null));

        assertThat(e.kind()).isEqualTo(StratosException.Kind.TOO_LARGE);
        assertThat(e.getMessage()).contains("more than 100 entries");
    }

    @Test
    void aHugeDeclaredSizeInBase256IsRefusedBeforeItsDataIsRead() {
        StratosException e = refused(TestImages.declaringHugeEntry("rootfs/huge", 1L << 45));

        assertThat(e.kind()).isEqualTo(StratosException.Kind.TOO_LARGE);
        assertThat(e.field()).isEqualTo("rootfs/huge");
    }
}
