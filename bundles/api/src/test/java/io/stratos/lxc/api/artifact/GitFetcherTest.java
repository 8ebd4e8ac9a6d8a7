package io.stratos.lxc.api.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.store.ImageBlob;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class GitFetcherTest {

    /** Keeps what it is given; the digest is the content itself. */
    static final class KeepingStore implements ArtifactStore {
        final List<String> put = new ArrayList<>();

        @Override
        public StoredArtifact put(InputStream artifact) {
            try {
                String content = new String(artifact.readAllBytes(), StandardCharsets.UTF_8);
                put.add(content);
                return new StoredArtifact(content, content.length(), 1);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public Optional<ImageBlob> open(String digest) {
            return Optional.empty();
        }

        @Override
        public int retainOnly(Set<String> keep, Duration minAge) {
            return 0;
        }
    }

    private static Set<Path> stagedFiles() throws IOException {
        try (Stream<Path> files = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return Set.copyOf(files.filter(p -> p.getFileName().toString().startsWith("stratos-git-")).toList());
        }
    }

    @Test
    void aSnapshotIsStoredInOneCallWithItsCommitAndLeavesNoTemporaryFile() throws Exception {
        Set<Path> before = stagedFiles();
        List<Path> staged = new ArrayList<>();
        KeepingStore store = new KeepingStore();
        GitFetcher git = (url, ref, tar, maxBytes) -> {
            try {
                tar.write((url + " " + ref + " " + maxBytes).getBytes(StandardCharsets.UTF_8));
                stagedFiles().stream().filter(p -> !before.contains(p)).forEach(staged::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return "0123456789012345678901234567890123456789";
        };

        GitFetcher.StoredCommit stored = git.snapshotInto(store, "https://example.org/app.git", "main", 1000);

        assertThat(stored.commit()).isEqualTo("0123456789012345678901234567890123456789");
        assertThat(stored.stored().digest()).isEqualTo("https://example.org/app.git main 1000");
        assertThat(store.put).containsExactly("https://example.org/app.git main 1000");
        assertThat(staged).isNotEmpty().noneMatch(Files::exists);
    }

    @Test
    void aRefusedSnapshotStoresNothingAndLeavesNoTemporaryFile() throws Exception {
        Set<Path> before = stagedFiles();
        List<Path> staged = new ArrayList<>();
        KeepingStore store = new KeepingStore();
        GitFetcher git = (url, ref, tar, maxBytes) -> {
            try {
                stagedFiles().stream().filter(p -> !before.contains(p)).forEach(staged::add);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            throw StratosException.invalid("ref", "ref '" + ref + "' not found in " + url, null);
        };

        assertThatThrownBy(() -> git.snapshotInto(store, "https://example.org/app.git", "nope", 1000))
                .isInstanceOf(StratosException.class).hasMessageContaining("ref 'nope' not found");
        assertThat(store.put).isEmpty();
        assertThat(staged).isNotEmpty().noneMatch(Files::exists);
    }
}
