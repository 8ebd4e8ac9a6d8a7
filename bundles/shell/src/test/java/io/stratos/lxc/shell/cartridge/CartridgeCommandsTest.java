package io.stratos.lxc.shell.cartridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.karaf.shell.api.console.CommandLine;
import org.junit.jupiter.api.Test;

class CartridgeCommandsTest {

    @Test
    void sizesAreHumanReadable() {
        assertThat(Sizes.human(512)).isEqualTo("512 B");
        assertThat(Sizes.human(1536)).isEqualTo("1.5 KiB");
        assertThat(Sizes.human(1028922)).isEqualTo("1004.8 KiB");
        assertThat(Sizes.human(3L * 1024 * 1024 * 1024)).isEqualTo("3.0 GiB");
        assertThat(Sizes.shortDigest("sha256:" + "ab".repeat(32))).isEqualTo("sha256:abababababab");
    }

    @Test
    void progressCountsEveryByteAndReportsLargeUploads() throws IOException {
        byte[] data = new byte[3 << 20];
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        CartridgeUploadCommand.Progress progress = new CartridgeUploadCommand.Progress(
                new ByteArrayInputStream(data), data.length, new PrintStream(printed, true, StandardCharsets.UTF_8));
        try (InputStream in = progress) {
            assertThat(in.readAllBytes()).hasSize(data.length);
        }
        progress.done();
        assertThat(printed.toString(StandardCharsets.UTF_8)).contains("100%").contains("3.0 MiB of 3.0 MiB");
    }

    @Test
    void theVersionCompleterTakesTheCartridgeFromTheFirstArgument() {
        assertThat(CartridgeVersionCompleter.firstArgument(line(2, "stratos:cartridge-delete", "static-httpd", "1."))).isEqualTo("static-httpd");
        assertThat(CartridgeVersionCompleter.firstArgument(line(3, "stratos:cartridge-info", "--flag", "php", "8"))).isEqualTo("php");
        assertThat(CartridgeVersionCompleter.firstArgument(line(1, "stratos:cartridge-delete", "sta"))).isNull();
    }

    private static CommandLine line(int cursorArgument, String... words) {
        return new CommandLine() {
            @Override
            public int getCursorArgumentIndex() {
                return cursorArgument;
            }

            @Override
            public String getCursorArgument() {
                return words[cursorArgument];
            }

            @Override
            public int getArgumentPosition() {
                return words[cursorArgument].length();
            }

            @Override
            public String[] getArguments() {
                return words;
            }

            @Override
            public int getBufferPosition() {
                return String.join(" ", words).length();
            }

            @Override
            public String getBuffer() {
                return String.join(" ", words);
            }
        };
    }
}
