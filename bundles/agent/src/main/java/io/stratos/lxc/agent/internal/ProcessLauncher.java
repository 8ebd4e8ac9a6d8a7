package io.stratos.lxc.agent.internal;

import io.stratos.lxc.agent.internal.image.CachedImage;
import io.stratos.lxc.agent.internal.image.ImageCache;
import io.stratos.lxc.agent.internal.image.ImageManifest;
import io.stratos.lxc.agent.runtime.ContainerInfo;
import io.stratos.lxc.agent.runtime.ContainerNames;
import io.stratos.lxc.agent.runtime.ContainerRuntime;
import io.stratos.lxc.agent.runtime.ContainerSpec;
import io.stratos.lxc.agent.runtime.PortAllocator;
import io.stratos.lxc.api.StratosException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts and stops one cartridge process end to end: runtime lookup, image (fetched once, shared), manifest,
 * host port, container. A step that fails undoes the steps before it and makes only that process FAILED with the
 * reason; other processes are untouched. This is what the reconciler calls for each process it must start.
 */
final class ProcessLauncher {

    private static final Logger LOG = LoggerFactory.getLogger(ProcessLauncher.class);

    /** A process to run; 0 for a resource means "the manifest's request". */
    record Request(String processId, String runtime, String imageDigest, Map<String, String> env, int cpuMillis, int memoryMiB,
                   int pidsMax, String artifactDigest) {
        Request {
            env = env == null ? Map.of() : Map.copyOf(env);
        }

        Request(String processId, String runtime, String imageDigest, Map<String, String> env, int cpuMillis, int memoryMiB,
                int pidsMax) {
            this(processId, runtime, imageDigest, env, cpuMillis, memoryMiB, pidsMax, null);
        }
    }

    /** What became of it: RUNNING with its port (and the manifest's health path, or null), or FAILED with the reason. */
    record Outcome(String processId, String runtime, boolean running, int hostPort, String reason, ContainerInfo container,
                   String healthPath) {
        static Outcome failed(Request request, String reason) {
            return new Outcome(request.processId(), request.runtime(), false, 0, reason, null, null);
        }
    }

    private record Running(String runtime, String imageDigest, String artifactDigest) {
    }

    private final PortAllocator ports;
    private final ImageCache images;
    private final Function<String, ContainerRuntime> runtimes;
    private final Function<String, URI> imageUrl;
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    private ImageCache artifacts;
    private Function<String, URI> artifactUrl;

    /**
     * @param runtimes by name; throws a {@link StratosException} for an unknown or unavailable one
     * @param imageUrl where to fetch an image by digest
     */
    ProcessLauncher(PortAllocator ports, ImageCache images, Function<String, ContainerRuntime> runtimes, Function<String, URI> imageUrl) {
        this.ports = ports;
        this.images = images;
        this.runtimes = runtimes;
        this.imageUrl = imageUrl;
    }

    /** Where application artifacts are cached and fetched from; without it a process with an artifact FAILS. */
    ProcessLauncher withArtifacts(ImageCache artifacts, Function<String, URI> artifactUrl) {
        this.artifacts = artifacts;
        this.artifactUrl = artifactUrl;
        return this;
    }

    Outcome launch(Request request) {
        if (!ContainerNames.validProcessId(request.processId())) {
            return Outcome.failed(request, "process id '" + request.processId() + "' is not usable as a container name");
        }
        ContainerRuntime runtime;
        try {
            runtime = runtimes.apply(request.runtime());
        } catch (StratosException e) {
            return Outcome.failed(request, e.getMessage());
        }
        CachedImage image;
        try {
            image = images.acquire(request.imageDigest(), imageUrl.apply(request.imageDigest()));
        } catch (StratosException e) {
            return Outcome.failed(request, e.getMessage());
        }
        int port = 0;
        CachedImage artifact = null;
        try {
            ImageManifest manifest = ImageManifest.read(image.manifest());
            ContainerSpec.Application application = null;
            if (request.artifactDigest() != null) {
                if (manifest.appDir() == null) {
                    throw StratosException.invalid("appDir", "cartridge " + manifest.name() + " has no appDir for the application", null);
                }
                if (artifacts == null) {
                    throw StratosException.unavailable("this agent has no artifact cache", null);
                }
                artifact = artifacts.acquire(request.artifactDigest(), artifactUrl.apply(request.artifactDigest()));
                application = new ContainerSpec.Application(artifact.digest(), artifact.dir().resolve("app"), manifest.appDir());
            }
            if (!manifest.runtimes().contains(runtime.name())) {
                throw StratosException.invalid("runtime", "cartridge " + manifest.name() + " does not support runtime " + runtime.name()
                        + " (it supports " + manifest.runtimes() + ")", null);
            }
            port = ports.allocate(request.processId());
            Map<String, String> env = new LinkedHashMap<>(manifest.env());
            env.putAll(request.env());
            ContainerSpec spec = new ContainerSpec(request.processId(), manifest.name(), image.digest(), image.rootfs(), manifest.start(),
                    env, manifest.port(), port, pick(request.cpuMillis(), manifest.cpuMillis()),
                    pick(request.memoryMiB(), manifest.memoryMiB()), request.pidsMax(), application);
            ContainerInfo info = runtime.start(spec);
            running.put(request.processId(), new Running(runtime.name(), image.digest(), artifact == null ? "" : artifact.digest()));
            return new Outcome(request.processId(), runtime.name(), true, port, "", info, manifest.healthPath());
        } catch (StratosException e) {
            if (port != 0) {
                ports.release(request.processId());
            }
            images.release(image.digest());
            if (artifact != null) {
                artifacts.release(artifact.digest());
            }
            LOG.warn("Process {} FAILED: {}", request.processId(), e.getMessage());
            return Outcome.failed(request, e.getMessage());
        }
    }

    /** Stops and removes the process's container, frees its port and its hold on the image. */
    void stop(String processId) {
        Running process = running.remove(processId);
        if (process == null) {
            return;
        }
        try {
            runtimes.apply(process.runtime()).remove(processId);
        } finally {
            ports.release(processId);
            if (!process.imageDigest().isEmpty()) {
                images.release(process.imageDigest());
            }
            if (!process.artifactDigest().isEmpty() && artifacts != null) {
                artifacts.release(process.artifactDigest());
            }
        }
    }

    /** Takes over a container found running after an agent restart (its port is already reserved). */
    void adopted(ContainerInfo info) {
        boolean held = !info.imageDigest().isEmpty() && images.retain(info.imageDigest());
        running.put(info.processId(), new Running(info.runtime(), held ? info.imageDigest() : "", ""));
    }

    Optional<String> runtimeOf(String processId) {
        return Optional.ofNullable(running.get(processId)).map(Running::runtime);
    }

    private static int pick(int requested, int manifest) {
        return requested > 0 ? requested : Math.max(manifest, 0);
    }
}
