package io.stratos.lxc.git.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.StratosException.Kind;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Repository;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One commit of a real repository, fetched with JGit and written as a tar. */
class RepositorySnapshotTest {

    @TempDir
    static Path temp;

    static TestRepository repository;
    static Path workDir;
    static RepositorySnapshot fetcher;

    @BeforeAll
    static void createRepository() throws Exception {
        repository = TestRepository.create(temp.resolve("repos/app"));
        workDir = temp.resolve("work");
        fetcher = new RepositorySnapshot(new GitSettings(Set.of("file", "git"), 10, workDir));
    }

    private static String url() {
        return repository.dir.toUri().toString();
    }

    private static Map<String, TestRepository.Entry> snapshot(RepositorySnapshot with, String url, String ref,
                                                              String expectedCommit) throws IOException {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        String commit = with.snapshot(url, ref, tar, 1_000_000);
        assertThat(commit).isEqualTo(expectedCommit);
        assertThat(workDir).isEmptyDirectory();
        return TestRepository.read(tar.toByteArray());
    }

    @Test
    void aBranchGivesItsNewestCommitsTree() throws Exception {
        Map<String, TestRepository.Entry> tree = snapshot(fetcher, url(), "main", repository.second.name());

        assertThat(tree.keySet()).containsExactlyInAnyOrder("README", "big.bin", "bin/", "bin/start.sh", "current",
                "src/", "src/main/", "src/main/app.txt");
        assertThat(tree.get("README").content()).isEqualTo("second\n");
        assertThat(tree.get("bin/").directory()).isTrue();
        assertThat(tree.get("bin/start.sh").executable()).isTrue();
        assertThat(tree.get("README").executable()).isFalse();
        assertThat(tree.get("current").symlink()).isTrue();
        assertThat(tree.get("current").linkName()).isEqualTo("src/main");
        assertThat(tree.keySet()).noneMatch(name -> name.startsWith(".git"));
    }

    @Test
    void aBranchOrTagIsFetchedWithoutItsHistory() throws Exception {
        List<Boolean> hadFirstCommit = new ArrayList<>();
        RepositorySnapshot watched = new RepositorySnapshot(fetcher.settings(),
                fetched -> {
                    try {
                        hadFirstCommit.add(fetched.getObjectDatabase().has(repository.first));
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });

        snapshot(watched, url(), "main", repository.second.name());
        snapshot(watched, url(), "v1", repository.first.name());

        assertThat(hadFirstCommit).containsExactly(false, true);
    }

    @Test
    void anotherBranchGivesItsOwnTree() throws Exception {
        Map<String, TestRepository.Entry> tree = snapshot(fetcher, url(), "feature", repository.feature.name());

        assertThat(tree).containsKey("FEATURE").doesNotContainKey("big.bin");
        assertThat(tree.get("README").content()).isEqualTo("first\n");
    }

    @Test
    void lightweightAndAnnotatedTagsGiveTheCommitTheyName() throws Exception {
        assertThat(snapshot(fetcher, url(), "v1", repository.first.name()).get("README").content()).isEqualTo("first\n");
        assertThat(snapshot(fetcher, url(), "v1.0", repository.first.name())).doesNotContainKey("big.bin");
        assertThat(snapshot(fetcher, url(), "refs/tags/v1.0", repository.first.name())).containsKey("README");
    }

    @Test
    void aCommitIdGivesThatCommitEvenWhenNoRefPointsAtIt() throws Exception {
        assertThat(snapshot(fetcher, url(), repository.middle.name(), repository.middle.name()).get("README").content())
                .isEqualTo("middle\n");
        assertThat(snapshot(fetcher, url(), repository.first.name(), repository.first.name()).get("README").content())
                .isEqualTo("first\n");
        assertThat(snapshot(fetcher, url(), repository.feature.name().toUpperCase(), repository.feature.name()))
                .containsKey("FEATURE");
        assertThat(snapshot(fetcher, url(), repository.first.name().substring(0, 10), repository.first.name()))
                .doesNotContainKey("big.bin");
    }

    @Test
    void anUnknownRefIsInvalidInputNamingItAndTheBranches() {
        assertThatThrownBy(() -> fetcher.snapshot(url(), "no-such-branch", new ByteArrayOutputStream(), 1_000_000))
                .isInstanceOfSatisfying(StratosException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.INVALID_INPUT);
                    assertThat(e.field()).isEqualTo("ref");
                    assertThat(e.getMessage()).contains("'no-such-branch' not found in " + url())
                            .contains("branches [feature, main]").contains("tags [v1, v1.0]");
                });
        assertThat(workDir).isEmptyDirectory();
    }

    @Test
    void anUnknownCommitIdIsInvalidInput() {
        String unknown = "0123456789abcdef0123456789abcdef01234567";
        assertThatThrownBy(() -> fetcher.snapshot(url(), unknown, new ByteArrayOutputStream(), 1_000_000))
                .isInstanceOfSatisfying(StratosException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.INVALID_INPUT);
                    assertThat(e.field()).isEqualTo("ref");
                    assertThat(e.getMessage()).contains(unknown);
                });
        assertThat(workDir).isEmptyDirectory();
    }

    @Test
    void aMissingRefIsInvalidInput() {
        assertThatThrownBy(() -> fetcher.snapshot(url(), " ", new ByteArrayOutputStream(), 1_000_000))
                .isInstanceOfSatisfying(StratosException.class, e -> assertThat(e.field()).isEqualTo("ref"));
    }

    @Test
    void fileUrlsAndLocalPathsAreRefusedByDefault() {
        RepositorySnapshot defaults = new RepositorySnapshot(GitSettings.from(GitSettings.read(
                Map.of("workDir", workDir.toString()))));
        for (String url : new String[] {url(), repository.dir.toString()}) {
            assertThatThrownBy(() -> defaults.snapshot(url, "main", new ByteArrayOutputStream(), 1_000_000))
                    .isInstanceOfSatisfying(StratosException.class, e -> {
                        assertThat(e.kind()).isEqualTo(Kind.INVALID_INPUT);
                        assertThat(e.field()).isEqualTo("git");
                        assertThat(e.getMessage()).contains("file").contains("not allowed");
                        assertThat(e.hint()).contains("[git, http, https, ssh]");
                    });
        }
    }

    @Test
    void malformedUrlsAndUnknownSchemesAreInvalidInput() {
        for (String url : new String[] {"", "ftp://127.0.0.1/x.git", "https://", "http://[::1/x"}) {
            assertThatThrownBy(() -> fetcher.snapshot(url, "main", new ByteArrayOutputStream(), 1_000_000))
                    .as(url)
                    .isInstanceOfSatisfying(StratosException.class, e -> {
                        assertThat(e.kind()).isEqualTo(Kind.INVALID_INPUT);
                        assertThat(e.field()).isEqualTo("git");
                    });
        }
    }

    @Test
    void aPathThatIsNoRepositoryIsInvalidInput() {
        assertThatThrownBy(() -> fetcher.snapshot(temp.resolve("nothing-here").toUri().toString(), "main",
                new ByteArrayOutputStream(), 1_000_000))
                .isInstanceOfSatisfying(StratosException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.INVALID_INPUT);
                    assertThat(e.field()).isEqualTo("git");
                });
        assertThat(workDir).isEmptyDirectory();
    }

    @Test
    void anUnreachableRepositoryIsRefusedWithTheReason() throws Exception {
        int closed;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = socket.getLocalPort();
        }
        long start = System.nanoTime();
        assertThatThrownBy(() -> fetcher.snapshot("git://127.0.0.1:" + closed + "/x", "main",
                new ByteArrayOutputStream(), 1_000_000))
                .isInstanceOfSatisfying(StratosException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.INVALID_INPUT);
                    assertThat(e.getMessage()).contains("127.0.0.1:" + closed).contains("connection refused");
                });
        // quickly: long before the 10 s timeout, so refused connections are not retried
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(5));
        assertThat(workDir).isEmptyDirectory();
    }

    /** git:// and http:// alike: a server that accepts the connection and then says nothing is given up on. */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(strings = {"git", "http"})
    void aServerThatNeverAnswersIsRefusedAfterTheTimeout(String scheme) throws Exception {
        RepositorySnapshot impatient = new RepositorySnapshot(new GitSettings(Set.of(scheme), 1, workDir));
        try (ServerSocket silent = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try (Socket ignored = silent.accept()) {
                    Thread.sleep(10_000); // the point: holding the connection without a word
                } catch (Exception e) {
                    // closed by the test
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            assertThatThrownBy(() -> impatient.snapshot(scheme + "://127.0.0.1:" + silent.getLocalPort() + "/x.git", "main",
                    new ByteArrayOutputStream(), 1_000_000))
                    .isInstanceOfSatisfying(StratosException.class, e -> {
                        assertThat(e.kind()).as(e.getMessage()).isEqualTo(Kind.INVALID_INPUT);
                        assertThat(e.getMessage()).contains("no answer within 1 s");
                    });
            acceptor.interrupt();
        }
        assertThat(workDir).isEmptyDirectory();
    }

    @Test
    void aRepositoryBehindAuthenticationIsRefusedSayingSo() throws Exception {
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            exchange.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
            exchange.sendResponseHeaders(401, -1);
            exchange.close();
        });
        server.start();
        try {
            RepositorySnapshot http = new RepositorySnapshot(new GitSettings(Set.of("http"), 10, workDir));
            assertThatThrownBy(() -> http.snapshot("http://127.0.0.1:" + server.getAddress().getPort() + "/private.git",
                    "main", new ByteArrayOutputStream(), 1_000_000))
                    .isInstanceOfSatisfying(StratosException.class, e -> {
                        assertThat(e.kind()).as(e.getMessage()).isEqualTo(Kind.INVALID_INPUT);
                        assertThat(e.getMessage()).contains("authentication required");
                    });
        } finally {
            server.stop(0);
        }
        assertThat(workDir).isEmptyDirectory();
    }

    @Test
    void aHostNotAllowedIsRefusedBeforeAnyLookup() {
        RepositorySnapshot local = new RepositorySnapshot(new GitSettings(GitSettings.DEFAULT_SCHEMES, 10, workDir, java.util.Set.of("127.0.0.1")));
        assertThatThrownBy(() -> local.snapshot("https://git.example.org/app.git", "main", new ByteArrayOutputStream(), 1_000_000))
                .isInstanceOfSatisfying(StratosException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.INVALID_INPUT);
                    assertThat(e.getMessage()).isEqualTo("repositories on git.example.org are not allowed here: https://git.example.org/app.git");
                    assertThat(e.hint()).contains("[127.0.0.1]");
                });
        assertThat(workDir).isEmptyDirectory();
    }

    @Test
    void sshUrlsAreRefusedWithoutAnSshTransport() {
        RepositorySnapshot defaults = new RepositorySnapshot(new GitSettings(GitSettings.DEFAULT_SCHEMES, 10, workDir));
        for (String url : new String[] {"ssh://git@127.0.0.1:1/x.git", "git@127.0.0.1:x.git"}) {
            assertThatThrownBy(() -> defaults.snapshot(url, "main", new ByteArrayOutputStream(), 1_000_000))
                    .as(url)
                    .isInstanceOfSatisfying(StratosException.class, e -> {
                        assertThat(e.kind()).isEqualTo(Kind.INVALID_INPUT);
                        assertThat(e.getMessage()).contains("no ssh transport");
                    });
        }
        assertThat(workDir).isEmptyDirectory();
    }

    @Test
    void aTreePastMaxBytesIsTooLargeAndLeavesNothingBehind() {
        // README (7) + big.bin (10000) + start.sh + app.txt + link target: more than 10000 bytes
        assertThatThrownBy(() -> fetcher.snapshot(url(), "main", new ByteArrayOutputStream(), 10_000))
                .isInstanceOfSatisfying(StratosException.class, e -> {
                    assertThat(e.kind()).isEqualTo(Kind.TOO_LARGE);
                    assertThat(e.field()).isEqualTo("git");
                    assertThat(e.getMessage()).contains("10000 bytes");
                });
        assertThat(workDir).isEmptyDirectory();
    }

    @Test
    void aRepositoryFarLargerThanMaxBytesIsStoppedWhileFetching() throws Exception {
        Path big = temp.resolve("repos/big");
        Files.createDirectories(big);
        byte[] noise = new byte[4 * 1024 * 1024];
        new java.util.Random(42).nextBytes(noise); // incompressible: the pack is as large as the file
        Files.write(big.resolve("noise.bin"), noise);
        try (org.eclipse.jgit.api.Git git = org.eclipse.jgit.api.Git.init().setDirectory(big.toFile())
                .setInitialBranch("main").call()) {
            git.add().addFilepattern(".").call();
            git.commit().setMessage("noise").setAuthor("Test", "test@example.org").setCommitter("Test", "test@example.org")
                    .setSign(false).call();
        }
        List<Repository> fetched = new ArrayList<>();
        RepositorySnapshot watched = new RepositorySnapshot(fetcher.settings(), fetched::add);

        assertThatThrownBy(() -> watched.snapshot(big.toUri().toString(), "main", new ByteArrayOutputStream(), 1024))
                .isInstanceOfSatisfying(StratosException.class, e -> {
                    assertThat(e.kind()).as(e.getMessage()).isEqualTo(Kind.TOO_LARGE);
                    assertThat(e.field()).isEqualTo("git");
                    assertThat(e.getMessage()).contains("its fetch passed");
                });
        assertThat(fetched).as("stopped before the fetch completed").isEmpty();
        assertThat(workDir).isEmptyDirectory();
    }

    @Test
    void theFirstCommitFitsWhereTheSecondDoesNot() throws Exception {
        ByteArrayOutputStream tar = new ByteArrayOutputStream();
        assertThat(fetcher.snapshot(url(), "v1", tar, 10_000)).isEqualTo(repository.first.name());
    }

    @Test
    void overTheGitProtocolFromARealGitDaemon() throws Exception {
        assumeTrue(new File("/usr/bin/git").canExecute() || onPath("git"), "git is not installed");
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }
        Process daemon = new ProcessBuilder("git", "daemon", "--listen=127.0.0.1", "--port=" + port, "--export-all",
                "--reuseaddr", "--base-path=" + temp.resolve("repos"), temp.resolve("repos").toString())
                .redirectErrorStream(true).redirectOutput(temp.resolve("daemon.log").toFile()).start();
        try {
            awaitListening(port, daemon);
            String url = "git://127.0.0.1:" + port + "/app";
            assertThat(snapshot(fetcher, url, "main", repository.second.name()).get("README").content())
                    .isEqualTo("second\n");
            assertThat(snapshot(fetcher, url, "v1.0", repository.first.name())).doesNotContainKey("big.bin");
            // git daemon does not give out commits no ref points at by id: found after fetching everything
            assertThat(snapshot(fetcher, url, repository.middle.name(), repository.middle.name()).get("README").content())
                    .isEqualTo("middle\n");
            assertThat(snapshot(fetcher, url, repository.first.name(), repository.first.name())).containsKey("README");
            Map<String, TestRepository.Entry> tree = snapshot(fetcher, url, "feature", repository.feature.name());
            assertThat(tree.get("bin/start.sh").executable()).isTrue();
            assertThat(tree.get("current").linkName()).isEqualTo("src/main");
            assertThatThrownBy(() -> fetcher.snapshot(url, "nope", new ByteArrayOutputStream(), 1_000_000))
                    .isInstanceOfSatisfying(StratosException.class, e -> assertThat(e.getMessage())
                            .contains("ref 'nope' not found in " + url + "; it has branches [feature, main]"));
            assertThatThrownBy(() -> fetcher.snapshot("git://127.0.0.1:" + port + "/missing", "main",
                    new ByteArrayOutputStream(), 1_000_000))
                    .isInstanceOfSatisfying(StratosException.class, e -> {
                        // git daemon does not tell a missing repository from a forbidden one: it passes on its words
                        assertThat(e.kind()).isEqualTo(Kind.INVALID_INPUT);
                        assertThat(e.getMessage()).isEqualTo("cannot reach git://127.0.0.1:" + port
                                + "/missing: access denied or repository not exported: /missing");
                    });
        } finally {
            daemon.destroy();
            daemon.waitFor(5, TimeUnit.SECONDS);
        }
        assertThat(workDir).isEmptyDirectory();
    }

    @Test
    void theHostsGitConfigurationIsNotUsed() throws Exception {
        // JGit reads no ~/.gitconfig or /etc/gitconfig here: a host's url rewrites must not redirect tenants' fetches
        assertThat(org.eclipse.jgit.util.SystemReader.getInstance().openUserConfig(null,
                org.eclipse.jgit.util.FS.DETECTED).getFile()).isNull();
        assertThat(Constants.DOT_GIT).isEqualTo(".git");
    }

    private static boolean onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (new File(dir, command).canExecute()) {
                return true;
            }
        }
        return false;
    }

    private static void awaitListening(int port, Process daemon) throws Exception {
        try {
            org.awaitility.Awaitility.await("git daemon listening on " + port).atMost(java.time.Duration.ofSeconds(10))
                    .pollInterval(java.time.Duration.ofMillis(50))
                    .failFast("git daemon exited", () -> !daemon.isAlive())
                    .until(() -> {
                        try (Socket ignored = new Socket("127.0.0.1", port)) {
                            return true;
                        } catch (IOException e) {
                            return false;
                        }
                    });
        } catch (org.awaitility.core.TerminalFailureException e) {
            throw new AssertionError("git daemon exited: " + Files.readString(temp.resolve("daemon.log")), e);
        }
    }
}
