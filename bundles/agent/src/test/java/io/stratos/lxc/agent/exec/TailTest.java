package io.stratos.lxc.agent.exec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TailTest {

    @TempDir
    Path dir;

    @Test
    void theLastLinesOfAFileOldestFirst() throws IOException {
        Path log = Files.writeString(dir.resolve("console.log"), "a\nb\nc\n");
        assertThat(Tail.lines(log, 2)).containsExactly("b", "c");
        assertThat(Tail.lines(log, 3)).containsExactly("a", "b", "c");
        assertThat(Tail.lines(log, 10)).containsExactly("a", "b", "c");
    }

    @Test
    void aLastLineWithoutNewlineAndCrlfCount() throws IOException {
        Path log = Files.writeString(dir.resolve("console.log"), "one\r\ntwo\r\nthree");
        assertThat(Tail.lines(log, 2)).containsExactly("two", "three");
    }

    @Test
    void aLargeLogIsReadFromItsEndAcrossChunks() throws IOException {
        String text = IntStream.range(0, 20_000).mapToObj(i -> "line " + i).collect(Collectors.joining("\n", "", "\n"));
        Path log = Files.writeString(dir.resolve("console.log"), text, StandardCharsets.UTF_8);
        assertThat(Tail.lines(log, 3)).containsExactly("line 19997", "line 19998", "line 19999");
        assertThat(Tail.lines(log, 5000)).hasSize(5000).startsWith("line 15000").endsWith("line 19999");
    }

    @Test
    void noFileOrAnEmptyOneHasNoLines() throws IOException {
        assertThat(Tail.lines(dir.resolve("missing.log"), 5)).isEmpty();
        assertThat(Tail.lines(Files.writeString(dir.resolve("empty.log"), ""), 5)).isEmpty();
        assertThat(Tail.split("x\n\ny\n".getBytes(StandardCharsets.UTF_8))).containsExactly("x", "", "y");
    }
}
