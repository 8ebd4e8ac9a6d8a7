package io.stratos.lxc.controller.internal;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.artifact.ArtifactStore;
import io.stratos.lxc.api.artifact.ArtifactVersion;
import io.stratos.lxc.api.event.StratosEvents;
import io.stratos.lxc.api.artifact.GitArtifactSpec;
import io.stratos.lxc.api.artifact.GitFetcher;
import io.stratos.lxc.api.artifact.StoredArtifact;
import io.stratos.lxc.controller.internal.Model.ArtifactEntry;
import io.stratos.lxc.controller.internal.Model.SubscriptionEntry;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Application artifacts of the subscriptions: their version history, and new versions taken from the store or git.
 * Called with the controller's lock held, except the methods documented as using the store, git or the cartridges,
 * which touch no controller state (uploads and git fetches take time).
 */
final class ArtifactService {

    private static final Logger LOG = LoggerFactory.getLogger(ArtifactService.class);

    private final ControllerState state;
    private final UnitOfWork unit;
    private final Clock clock;
    private final Supplier<ControllerSettings> settings;
    private final Supplier<CartridgeResolver> resolver;
    private final Supplier<ArtifactStore> store;
    private final Supplier<GitFetcher> git;
    private final ProcessScheduler scheduler;
    private final RolloutManager rollouts;

    ArtifactService(ControllerState state, UnitOfWork unit, Clock clock, Supplier<ControllerSettings> settings,
                    Supplier<CartridgeResolver> resolver, Supplier<ArtifactStore> store, Supplier<GitFetcher> git,
                    ProcessScheduler scheduler, RolloutManager rollouts) {
        this.state = state;
        this.unit = unit;
        this.clock = clock;
        this.settings = settings;
        this.resolver = resolver;
        this.store = store;
        this.git = git;
        this.scheduler = scheduler;
        this.rollouts = rollouts;
    }

    /** Without the lock: the store, or UNAVAILABLE. */
    ArtifactStore store() {
        ArtifactStore artifacts = store.get();
        if (artifacts == null) {
            throw StratosException.unavailable("the artifact store is not available", "check stratos:status and retry");
        }
        return artifacts;
    }

    /** A git source as deployed: the repository URL required, the ref "main" when none is given, both trimmed. */
    static GitArtifactSpec checked(GitArtifactSpec git) {
        if (git == null || git.git() == null || git.git().isBlank()) {
            throw StratosException.invalid("git", "a git artifact needs the repository URL",
                    "send {\"git\": \"https://host/repo.git\", \"ref\": \"main\"}");
        }
        return new GitArtifactSpec(git.git().trim(), git.ref() == null || git.ref().isBlank() ? "main" : git.ref().trim());
    }

    /** Without the lock: the commit of the repository's ref, stored like an upload. */
    GitFetcher.StoredCommit snapshot(String url, String ref) {
        GitFetcher fetcher = git.get();
        if (fetcher == null) {
            throw StratosException.unavailable("git artifacts are not available: no git service is running",
                    "install the stratos-lxc feature completely (it brings stratos-git)");
        }
        return fetcher.snapshotInto(store(), url, ref, settings.get().maxArtifactBytes());
    }

    /**
     * Without the lock, with the subscription's cartridge and version read under it: a cartridge without appDir has
     * nowhere to put an application, so say so before reading the upload.
     */
    void requireAppDir(String cartridge, String version) {
        CartridgeResolver cartridges = resolver.get();
        if (cartridges == null) {
            throw StratosException.unavailable("the cartridge store is not available", "check stratos:status and retry");
        }
        if (cartridges.resolve(cartridge, version).appDir() == null) {
            throw StratosException.invalid("artifact", "cartridge " + cartridge + ":" + version + " has no appDir in its manifest, so it "
                    + "has nowhere to put an application", "use a cartridge whose cartridge.json names appDir (php, tomcat)");
        }
    }

    /** The subscription's newest git artifact, to refresh. */
    ArtifactEntry latestGit(String alias) {
        SubscriptionEntry s = state.subscriptionEntry(alias);
        ArtifactEntry latestGit = null;
        for (ArtifactEntry a : s.artifacts) {
            if ("git".equals(a.source)) {
                latestGit = a;
            }
        }
        if (latestGit == null) {
            throw StratosException.conflict("git", "subscription '" + alias + "' has no git artifact to refresh",
                    "deploy one first: POST .../subscriptions/" + alias + "/artifact {\"git\": ..., \"ref\": ...}");
        }
        return latestGit;
    }

    /** A new version, rolling out; null if the content is the version already desired (and not FAILED). */
    ArtifactEntry add(SubscriptionEntry s, StoredArtifact stored, String source, String gitUrl, String ref, String commit) {
        String alias = s.alias;
        ArtifactEntry current = s.artifact(s.desiredArtifact);
        if (current != null && current.digest.equals(stored.digest()) && !ArtifactVersion.FAILED.equals(current.state)) {
            LOG.info("Subscription {}: artifact {} is already version {}; nothing to roll out", alias, stored.digest(), current.number);
            return null;
        }
        if (current != null && s.desiredArtifact != s.deployedArtifact) {
            current.state = ArtifactVersion.CANCELLED;
            current.reason = "a newer version was deployed before its rollout finished";
            unit.write(tx -> tx.updateArtifact(alias, current));
        }
        ArtifactEntry added = new ArtifactEntry(s.nextArtifactNumber(), stored.digest(), stored.size(), source, gitUrl, ref, commit,
                Instant.now(clock).toString(), ArtifactVersion.ROLLING_OUT);
        s.artifacts.add(added);
        s.desiredArtifact = added.number;
        unit.write(tx -> tx.insertArtifact(alias, added));
        unit.write(tx -> tx.updateArtifactVersions(s));
        state.events.rollout(StratosEvents.ROLLOUT_STARTED, s, added.number, s.deployedArtifact, -1, -1,
                "artifact " + stored.digest() + " (" + (gitUrl == null ? "upload" : gitUrl + " " + ref + " at " + commit) + ")");
        pruneHistory(s);
        rollouts.rollOut(s);
        scheduler.placePending();
        return added;
    }

    /**
     * Keeps the newest artifactVersionsKept versions of the history, and always the deployed and desired ones and any a
     * process still runs; the store drops blobs no subscription keeps (see {@link #referenced}).
     */
    private void pruneHistory(SubscriptionEntry s) {
        int kept = settings.get().artifactVersionsKept();
        Set<Integer> inUse = new HashSet<>(List.of(s.deployedArtifact, s.desiredArtifact));
        state.processesOf(s.alias).forEach(p -> inUse.add(p.artifact));
        int surplus = s.artifacts.size() - kept;
        for (Iterator<ArtifactEntry> it = s.artifacts.iterator(); it.hasNext() && surplus > 0; ) {
            ArtifactEntry oldest = it.next();
            if (!inUse.contains(oldest.number)) {
                it.remove();
                surplus--;
                unit.write(tx -> tx.deleteArtifact(s.alias, oldest.number));
            }
        }
    }

    /** Every artifact digest a subscription keeps in its history: what the store must not drop. */
    Set<String> referenced() {
        Set<String> digests = new HashSet<>();
        state.subscriptions.values().forEach(s -> s.artifacts.forEach(a -> digests.add(a.digest)));
        return digests;
    }
}
