package io.stratos.lxc.git.internal;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.artifact.GitFetcher;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.api.errors.InvalidRemoteException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.lib.AbbreviatedObjectId;
import org.eclipse.jgit.lib.ConfigConstants;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.SshSessionFactory;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link GitFetcher} over JGit, for one set of {@link GitSettings}. Each snapshot works in a bare repository of its
 * own under the work directory, fetched as shallowly as the server allows, and deletes it before returning, whatever
 * happened.
 */
final class RepositorySnapshot implements GitFetcher {

    private static final Logger LOG = LoggerFactory.getLogger(RepositorySnapshot.class);
    private static final Pattern FULL_ID = Pattern.compile("[0-9a-fA-F]{40}");
    private static final Pattern ABBREVIATED_ID = Pattern.compile("[0-9a-fA-F]{7,39}");
    /** Where the fetched commit lands in the temporary repository. */
    private static final String TARGET = "refs/stratos/target";
    static final String TEMP_PREFIX = "fetch-";
    private static final String TOO_LARGE_HINT = "make the repository smaller (keep build outputs and large binaries out of it)";

    private final GitSettings settings;
    /** Sees the temporary repository once fetched (tests check what was fetched). */
    private final Consumer<Repository> afterFetch;

    RepositorySnapshot(GitSettings settings) {
        this(settings, repository -> { });
    }

    RepositorySnapshot(GitSettings settings, Consumer<Repository> afterFetch) {
        this.settings = settings;
        this.afterFetch = afterFetch;
        IsolatedSystemReader.install();
        GitDaemonTransport.register();
    }

    GitSettings settings() {
        return settings;
    }

    @Override
    public String snapshot(String url, String ref, OutputStream tar, long maxBytes) {
        Remote remote = remote(url);
        if (ref == null || ref.isBlank()) {
            throw StratosException.invalid("ref", "a ref is required: a branch, a tag or a commit id",
                    "e.g. main, v1.2.0 or a 40-digit commit id");
        }
        String wanted = ref.trim();
        Path dir = temporaryRepository();
        try (Git git = Git.init().setBare(true).setDirectory(dir.toFile()).call()) {
            Repository repository = git.getRepository();
            // a fetch would otherwise start an automatic gc in the background, writing into the directory being deleted
            StoredConfig config = repository.getConfig();
            config.setInt(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_AUTO, 0);
            config.setBoolean(ConfigConstants.CONFIG_GC_SECTION, null, ConfigConstants.CONFIG_KEY_AUTODETACH, false);
            config.setBoolean(ConfigConstants.CONFIG_CORE_SECTION, null, ConfigConstants.CONFIG_KEY_LOGALLREFUPDATES, false);
            config.save();
            ObjectId commitId = fetch(git, remote, wanted, maxBytes);
            afterFetch.accept(repository);
            try (RevWalk walk = new RevWalk(repository)) {
                RevCommit commit = walk.parseCommit(commitId);
                writeTree(repository, commit, tar, maxBytes, remote);
                return commit.name();
            }
        } catch (StratosException e) {
            throw e;
        } catch (GitAPIException | IOException | RuntimeException e) {
            throw failure(remote, e);
        } finally {
            delete(dir);
        }
    }

    /** The URL parsed and its scheme checked against the allowed ones. */
    Remote remote(String url) {
        if (url == null || url.isBlank()) {
            throw StratosException.invalid("git", "a git repository URL is required", "e.g. https://example.org/team/app.git");
        }
        String text = url.trim();
        URIish uri;
        try {
            uri = new URIish(text);
        } catch (URISyntaxException e) {
            throw StratosException.invalid("git", "'" + text + "' is not a git repository URL: " + e.getReason(),
                    "e.g. https://example.org/team/app.git");
        }
        String display = uri.getPass() == null ? text : uri.setPass(null).toString();
        String scheme = scheme(uri);
        if (scheme == null) {
            throw StratosException.invalid("git", "'" + display + "' is not a git repository URL: unknown scheme '"
                    + uri.getScheme() + "'", "allowed schemes: " + allowed());
        }
        if (!settings.allowedSchemes().contains(scheme)) {
            throw StratosException.invalid("git", "repositories over " + scheme + " are not allowed here: " + display,
                    "allowed schemes: " + allowed() + " (io.stratos.lxc.git allowedSchemes)");
        }
        if (!"file".equals(scheme) && (uri.getHost() == null || uri.getHost().isEmpty())) {
            throw StratosException.invalid("git", "'" + display + "' names no host", "e.g. https://example.org/team/app.git");
        }
        if (!"file".equals(scheme) && !settings.allowedHosts().isEmpty()
                && !settings.allowedHosts().contains(uri.getHost().toLowerCase(Locale.ROOT))) {
            // refused before any name lookup or connection
            throw StratosException.invalid("git", "repositories on " + uri.getHost() + " are not allowed here: " + display,
                    "allowed hosts: " + new TreeSet<>(settings.allowedHosts()) + " (io.stratos.lxc.git allowedHosts)");
        }
        return new Remote(text, display, scheme);
    }

    private String allowed() {
        return new TreeSet<>(settings.allowedSchemes()).toString();
    }

    /** The scheme as configured: scp-like {@code user@host:path} is ssh, a bare path is file; null for others. */
    private static String scheme(URIish uri) {
        String scheme = uri.getScheme();
        if (scheme == null) {
            return uri.getHost() != null ? "ssh" : "file";
        }
        scheme = scheme.toLowerCase(Locale.ROOT);
        return switch (scheme) {
            case "https", "http", "git", "ssh", "file" -> scheme;
            case "git+ssh", "ssh+git" -> "ssh";
            default -> null;
        };
    }

    /** Fetches what {@code ref} names into {@link #TARGET} and returns the commit id it points at. */
    private ObjectId fetch(Git git, Remote remote, String ref, long maxBytes) throws GitAPIException, IOException {
        if ("ssh".equals(remote.scheme) && SshSessionFactory.getInstance() == null) {
            throw StratosException.invalid("git", "cannot reach " + remote.display + ": this controller has no ssh transport for git",
                    "use an https:// or git:// URL");
        }
        Map<String, Ref> advertised = git.lsRemote().setRemote(remote.url).setTimeout(settings.timeoutSeconds())
                .callAsMap();
        String name = refName(advertised, ref);
        if (name != null) {
            fetchShallow(git, remote, "+" + name + ":" + TARGET, maxBytes);
            return target(git.getRepository(), remote, ref);
        }
        if (FULL_ID.matcher(ref).matches()) {
            return fetchCommit(git, remote, ObjectId.fromString(ref.toLowerCase(Locale.ROOT)), advertised, maxBytes);
        }
        if (ABBREVIATED_ID.matcher(ref).matches()) {
            fetchAll(git, remote, ref, maxBytes);
            try (ObjectReader reader = git.getRepository().newObjectReader()) {
                Collection<ObjectId> candidates = reader.resolve(AbbreviatedObjectId.fromString(ref.toLowerCase(Locale.ROOT)));
                List<ObjectId> commits = new ArrayList<>();
                for (ObjectId candidate : candidates) {
                    if (reader.open(candidate).getType() == Constants.OBJ_COMMIT) {
                        commits.add(candidate);
                    }
                }
                if (commits.size() == 1) {
                    return commits.get(0);
                }
                if (commits.size() > 1) {
                    throw StratosException.invalid("ref", "commit id '" + ref + "' is ambiguous in " + remote.display,
                            "give more digits of the commit id");
                }
            }
        }
        throw notFound(remote, ref, advertised);
    }

    /** The full name of the advertised ref that {@code ref} names (as git would look it up), or null. */
    private static String refName(Map<String, Ref> advertised, String ref) {
        for (String candidate : List.of(ref, Constants.R_REFS + ref, Constants.R_TAGS + ref, Constants.R_HEADS + ref)) {
            if (advertised.containsKey(candidate) && (candidate.startsWith(Constants.R_REFS) || candidate.equals(Constants.HEAD))) {
                return candidate;
            }
        }
        return null;
    }

    /** Just that ref's commit and tree; cancelled once the repository takes a tenth more than maxBytes on disk. */
    private void fetchShallow(Git git, Remote remote, String spec, long maxBytes) throws GitAPIException {
        FetchBudget budget = new FetchBudget(git.getRepository().getDirectory().toPath(), slack(maxBytes, 1.1));
        try {
            git.fetch().setRemote(remote.url).setRefSpecs(new RefSpec(spec)).setDepth(1).setTagOpt(TagOpt.NO_TAGS)
                    .setTimeout(settings.timeoutSeconds()).setProgressMonitor(budget).call();
        } catch (GitAPIException | RuntimeException e) {
            if (budget.exceeded()) {
                throw StratosException.tooLarge("git", "the tree of " + remote.display + " is larger than " + maxBytes
                        + " bytes (its fetch passed " + budget.limit() + " bytes)", TOO_LARGE_HINT);
            }
            throw e;
        }
    }

    /** Every branch and tag with history, to find a commit by id; cancelled past four times maxBytes on disk. */
    private void fetchAll(Git git, Remote remote, String ref, long maxBytes) throws GitAPIException {
        FetchBudget budget = new FetchBudget(git.getRepository().getDirectory().toPath(), slack(maxBytes, 4));
        try {
            git.fetch().setRemote(remote.url)
                    .setRefSpecs(new RefSpec("+refs/heads/*:refs/all/heads/*"), new RefSpec("+refs/tags/*:refs/all/tags/*"))
                    .setTagOpt(TagOpt.NO_TAGS).setTimeout(settings.timeoutSeconds()).setProgressMonitor(budget).call();
        } catch (GitAPIException | RuntimeException e) {
            if (budget.exceeded()) {
                throw StratosException.tooLarge("git", remote.display + " does not give out commit '" + ref
                        + "' by id, and all its branches and tags are more than " + budget.limit() + " bytes",
                        "name a branch or tag instead of a commit id");
            }
            throw e;
        }
    }

    /** The fetch's allowance on disk: the content's bytes times a factor, plus room for git's own files. */
    private static long slack(long maxBytes, double factor) {
        double limit = maxBytes * factor + 1024 * 1024;
        return limit >= Long.MAX_VALUE ? Long.MAX_VALUE : (long) limit;
    }

    /** A commit id: asked for directly (servers that allow it), else found in a full fetch of branches and tags. */
    private ObjectId fetchCommit(Git git, Remote remote, ObjectId id, Map<String, Ref> advertised, long maxBytes)
            throws GitAPIException, IOException {
        try {
            // JGit asks for the id but records no ref for it: look the commit up in what arrived
            fetchShallow(git, remote, "+" + id.name() + ":" + TARGET, maxBytes);
            try (RevWalk walk = new RevWalk(git.getRepository())) {
                return walk.parseCommit(id);
            } catch (MissingObjectException e) {
                LOG.debug("{} sent nothing for commit {}; fetching all its branches and tags", remote.display, id.name());
            }
        } catch (org.eclipse.jgit.api.errors.TransportException e) {
            if (unreachable(e)) {
                throw e;
            }
            LOG.debug("{} does not give out commit {} by id ({}); fetching all its branches and tags", remote.display,
                    id.name(), e.getMessage());
        }
        fetchAll(git, remote, id.name(), maxBytes);
        try (RevWalk walk = new RevWalk(git.getRepository())) {
            return walk.parseCommit(id);
        } catch (MissingObjectException | org.eclipse.jgit.errors.IncorrectObjectTypeException e) {
            throw notFound(remote, id.name(), advertised);
        }
    }

    private static ObjectId target(Repository repository, Remote remote, String ref) throws IOException {
        Ref target = repository.exactRef(TARGET);
        if (target == null) {
            throw StratosException.unavailable(remote.display + " sent nothing for '" + ref + "'", "try again");
        }
        try (RevWalk walk = new RevWalk(repository)) {
            return walk.parseCommit(target.getObjectId()); // peels an annotated tag
        } catch (org.eclipse.jgit.errors.IncorrectObjectTypeException e) {
            throw StratosException.invalid("ref", "'" + ref + "' in " + remote.display + " does not point at a commit",
                    "name a branch, a tag of a commit or a commit id");
        }
    }

    private static StratosException notFound(Remote remote, String ref, Map<String, Ref> advertised) {
        List<String> branches = names(advertised, Constants.R_HEADS);
        List<String> tags = names(advertised, Constants.R_TAGS);
        String has = advertised.isEmpty() ? "it is empty"
                : "it has branches " + branches + (tags.isEmpty() ? "" : " and tags " + limited(tags));
        return StratosException.invalid("ref", "ref '" + ref + "' not found in " + remote.display + "; " + has,
                "name a branch, a tag or a commit id of that repository");
    }

    private static List<String> names(Map<String, Ref> advertised, String prefix) {
        return advertised.keySet().stream().filter(n -> n.startsWith(prefix) && !n.endsWith("^{}"))
                .map(n -> n.substring(prefix.length())).sorted().toList();
    }

    private static String limited(List<String> names) {
        return names.size() <= 20 ? names.toString()
                : names.subList(names.size() - 20, names.size()) + " (the last 20 of " + names.size() + ")";
    }

    /** Writes the commit's tree as a tar: directories, files (executable bit kept), symbolic links. */
    private void writeTree(Repository repository, RevCommit commit, OutputStream out, long maxBytes, Remote remote)
            throws IOException {
        Date time = new Date(commit.getCommitTime() * 1000L);
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new NonClosingStream(out), StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        long total = 0;
        try (TreeWalk walk = new TreeWalk(repository); ObjectReader reader = repository.newObjectReader()) {
            walk.addTree(commit.getTree());
            walk.setRecursive(false);
            while (walk.next()) {
                String path = walk.getPathString();
                checkPath(path, remote);
                FileMode mode = walk.getFileMode(0);
                if (mode == FileMode.TREE) {
                    TarArchiveEntry entry = new TarArchiveEntry(path + "/");
                    entry.setMode(TarArchiveEntry.DEFAULT_DIR_MODE);
                    entry.setModTime(time);
                    tar.putArchiveEntry(entry);
                    tar.closeArchiveEntry();
                    walk.enterSubtree();
                } else if (mode == FileMode.GITLINK) {
                    LOG.info("{} at {}: skipping submodule {} (submodules are not fetched)", remote.display,
                            commit.name(), path);
                } else if (mode == FileMode.SYMLINK) {
                    byte[] target = reader.open(walk.getObjectId(0), Constants.OBJ_BLOB).getCachedBytes(4096);
                    total = count(total, target.length, maxBytes, remote);
                    TarArchiveEntry entry = new TarArchiveEntry(path, TarConstants.LF_SYMLINK);
                    entry.setLinkName(new String(target, StandardCharsets.UTF_8));
                    entry.setMode(0120777);
                    entry.setModTime(time);
                    tar.putArchiveEntry(entry);
                    tar.closeArchiveEntry();
                } else if (mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE) {
                    ObjectLoader blob = reader.open(walk.getObjectId(0), Constants.OBJ_BLOB);
                    total = count(total, blob.getSize(), maxBytes, remote);
                    TarArchiveEntry entry = new TarArchiveEntry(path);
                    entry.setMode(mode == FileMode.EXECUTABLE_FILE ? 0100755 : 0100644);
                    entry.setSize(blob.getSize());
                    entry.setModTime(time);
                    tar.putArchiveEntry(entry);
                    blob.copyTo(tar);
                    tar.closeArchiveEntry();
                } else {
                    LOG.info("{} at {}: skipping {} of unknown mode {}", remote.display, commit.name(), path, mode);
                }
            }
        }
        tar.finish();
        tar.flush();
    }

    private static long count(long total, long size, long maxBytes, Remote remote) {
        long sum = total + size;
        if (sum > maxBytes) {
            throw StratosException.tooLarge("git", "the tree of " + remote.display + " is larger than " + maxBytes
                    + " bytes", TOO_LARGE_HINT);
        }
        return sum;
    }

    /** A tree git itself would refuse to check out (.., .git) must not become paths in the artifact either. */
    private static void checkPath(String path, Remote remote) {
        for (String segment : path.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")
                    || segment.equalsIgnoreCase(Constants.DOT_GIT)) {
                throw StratosException.invalid("git", "the tree of " + remote.display + " has an unsafe path '" + path + "'",
                        "remove it from the repository");
            }
        }
    }

    private Path temporaryRepository() {
        try {
            Files.createDirectories(settings.workDir());
            return Files.createTempDirectory(settings.workDir(), TEMP_PREFIX);
        } catch (IOException e) {
            throw StratosException.unavailable("cannot fetch from git: no room for a temporary repository under "
                    + settings.workDir() + ": " + e, "fix io.stratos.lxc.git workDir");
        }
    }

    /** Deletes a temporary repository; returns whether it is gone. */
    static boolean delete(Path dir) {
        IOException last = null;
        for (int attempt = 0; attempt < 5; attempt++) {
            if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                return true;
            }
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
                return true;
            } catch (IOException e) {
                last = e;
            } catch (java.io.UncheckedIOException e) {
                last = e.getCause();
            }
            LOG.debug("Deleting {} failed ({}); retrying", dir, last.toString());
            try {
                Thread.sleep(20L << attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        LOG.warn("Could not delete the temporary repository {}: {}", dir, String.valueOf(last));
        return false;
    }

    /** Removes what fetches interrupted by a crash left behind. */
    static void deleteLeftovers(Path workDir) {
        if (!Files.isDirectory(workDir)) {
            return;
        }
        try (Stream<Path> children = Files.list(workDir)) {
            children.filter(p -> p.getFileName().toString().startsWith(TEMP_PREFIX)).forEach(RepositorySnapshot::delete);
        } catch (IOException e) {
            LOG.warn("Could not list {}: {}", workDir, e.toString());
        }
    }

    /** What went wrong, in words a user can act on; never a stack trace. */
    private StratosException failure(Remote remote, Exception e) {
        if (e instanceof InvalidRemoteException) {
            return StratosException.invalid("git", "'" + remote.display + "' is not a git repository", "check the URL");
        }
        if (has(e, NoRemoteRepositoryException.class)) {
            return StratosException.invalid("git", "no git repository at " + remote.display, "check the URL");
        }
        String reason = reason(remote, e);
        if (e instanceof GitAPIException || has(e, org.eclipse.jgit.errors.TransportException.class)) {
            LOG.info("Cannot fetch {}: {}", remote.display, e.toString());
            // The user's URL does not lead to a repository the controller can read: a 400 to fix, not a server fault.
            return new StratosException(StratosException.Kind.INVALID_INPUT, "cannot reach " + remote.display + ": " + reason,
                    "git", "check that the repository is reachable from the controller and public, then retry", null);
        }
        if (e instanceof IOException && !(e instanceof InterruptedIOException)) {
            // the caller's stream or the work directory failed
            LOG.warn("Snapshot of {} failed: {}", remote.display, e.toString());
            return StratosException.unavailable("the snapshot of " + remote.display + " failed: " + e.getMessage(),
                    "try again");
        }
        LOG.warn("Snapshot of {} failed", remote.display, e);
        return StratosException.unavailable("the snapshot of " + remote.display + " failed: " + e, "try again");
    }

    private boolean unreachable(Exception e) {
        String text = messages(e).toLowerCase(Locale.ROOT);
        return text.contains("connection refused") || text.contains("timed out") || text.contains("timeout")
                || has(e, ConnectException.class) || has(e, SocketTimeoutException.class) || has(e, UnknownHostException.class)
                || has(e, NoRouteToHostException.class) || authRequired(e) || has(e, InterruptedIOException.class);
    }

    private String reason(Remote remote, Exception e) {
        String text = messages(e).toLowerCase(Locale.ROOT);
        if (has(e, ConnectException.class) || text.contains("connection refused")) {
            return "connection refused";
        }
        if (has(e, UnknownHostException.class) || text.contains("unknownhost") || text.contains("unknown host")) {
            return "unknown host";
        }
        if (has(e, NoRouteToHostException.class)) {
            return "no route to host";
        }
        if (has(e, SocketTimeoutException.class) || has(e, InterruptedIOException.class)
                || text.contains("timeout") || text.contains("timed out")) {
            return "no answer within " + settings.timeoutSeconds() + " s";
        }
        if (authRequired(e)) {
            return "authentication required (only public repositories can be fetched)";
        }
        String message = e.getMessage();
        if (message == null) {
            return e.getClass().getSimpleName();
        }
        // JGit puts the URL first; the caller's message already names it
        for (String prefix : new String[] {remote.url + ": ", remote.display + ": "}) {
            message = message.replace(prefix, "");
        }
        return message.trim();
    }

    private static boolean authRequired(Exception e) {
        String text = messages(e).toLowerCase(Locale.ROOT);
        return text.contains("authentication is required") || text.contains("not authorized")
                || text.contains("auth fail") || text.contains("credentialsprovider");
    }

    private static String messages(Throwable e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            text.append(t.getMessage()).append(' ');
        }
        return text.toString();
    }

    private static boolean has(Throwable e, Class<? extends Throwable> type) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** A repository URL as given, as shown to users (without a password), and the scheme it was allowed as. */
    record Remote(String url, String display, String scheme) {
    }

    /** The tar is finished, never closed: the caller owns its stream. */
    private static final class NonClosingStream extends java.io.FilterOutputStream {
        NonClosingStream(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
