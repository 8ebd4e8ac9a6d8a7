package io.stratos.lxc.agent.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.transport.DockerHttpClient;
import io.stratos.lxc.agent.runtime.ContainerSpec;
import io.stratos.lxc.api.StratosException;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The cartridge images in dockerd: imported once per image from the agent's unpacked rootfs as
 * {@code stratos/<name>:<digest12>}, and removed when the agent's image cache evicts the image.
 */
final class DockerImages {

    private static final Logger LOG = LoggerFactory.getLogger(DockerImages.class);

    private final Supplier<DockerClient> client;
    private final Supplier<DockerHttpClient> http;
    private final Map<String, Object> locks = new ConcurrentHashMap<>();

    DockerImages(Supplier<DockerClient> client, Supplier<DockerHttpClient> http) {
        this.client = client;
        this.http = http;
    }

    /** {@code stratos/<name>:<digest12>}. */
    static String imageRef(ContainerSpec spec) {
        return "stratos/" + spec.imageName() + ":" + spec.digestHex().substring(0, 12);
    }

    /** Imports the image from its unpacked rootfs once; later calls find the tag. */
    String ensure(ContainerSpec spec) {
        String ref = imageRef(spec);
        synchronized (locks.computeIfAbsent(ref, k -> new Object())) {
            try {
                client.get().inspectImageCmd(ref).exec();
                return ref;
            } catch (NotFoundException e) {
                // import below
            }
            if (!Files.isDirectory(spec.imageRootfs())) {
                throw StratosException.invalid("imageRootfs", "image rootfs " + spec.imageRootfs() + " is not a directory", null);
            }
            long started = System.nanoTime();
            Path tarball = null;
            try {
                // a file, not a pipe: the import needs a body of known length (a streamed one arrives truncated)
                tarball = Files.createTempFile("stratos-import-", ".tar");
                Process tar = new ProcessBuilder("tar", "-C", spec.imageRootfs().toString(), "--numeric-owner", "-cf",
                        tarball.toString(), ".").redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!tar.waitFor(120, TimeUnit.SECONDS) || tar.exitValue() != 0) {
                    tar.destroyForcibly();
                    throw StratosException.unavailable("tar of " + spec.imageRootfs() + " failed while importing " + ref, null);
                }
                importImage(ref, tarball);
            } catch (IOException | DockerException e) {
                throw StratosException.unavailable("docker import of " + ref + " failed: " + e.getMessage(), null);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw StratosException.unavailable("interrupted while importing " + ref, null);
            } finally {
                if (tarball != null) {
                    try {
                        Files.deleteIfExists(tarball);
                    } catch (IOException e) {
                        LOG.debug("Cannot delete {}: {}", tarball, e.getMessage());
                    }
                }
            }
            LOG.info("Imported {} from {} in {} ms", ref, spec.imageRootfs(), (System.nanoTime() - started) / 1_000_000);
            return ref;
        }
    }

    /**
     * {@code POST /images/create?fromSrc=-} with the tarball as the body, through docker-java's transport:
     * docker-java's own createImageCmd(repository, InputStream) sends the stream JSON-encoded, which dockerd
     * rejects with "unexpected EOF" (docker-java issue #2377).
     */
    private void importImage(String ref, Path tarball) throws IOException {
        String[] repoAndTag = ref.split(":");
        String path = "/images/create?fromSrc=-&repo=" + URLEncoder.encode(repoAndTag[0], StandardCharsets.UTF_8)
                + "&tag=" + URLEncoder.encode(repoAndTag[1], StandardCharsets.UTF_8);
        try (InputStream in = Files.newInputStream(tarball);
             DockerHttpClient.Response response = http.get().execute(DockerHttpClient.Request.builder()
                     .method(DockerHttpClient.Request.Method.POST).path(path)
                     .putHeader("Content-Type", "application/x-tar").body(in).build())) {
            String answer = new String(response.getBody().readAllBytes(), StandardCharsets.UTF_8);
            if (response.getStatusCode() / 100 != 2 || answer.contains("\"error")) {
                throw new IOException("HTTP " + response.getStatusCode() + ": " + answer.trim());
            }
        }
    }

    /** Removes every import of a digest ({@code stratos/*:<digest12>}); false if one is in use. */
    boolean removeAll(String imageDigest) {
        String tag = imageDigest.substring("sha256:".length(), "sha256:".length() + 12);
        boolean all = true;
        for (com.github.dockerjava.api.model.Image image : client.get().listImagesCmd().withReferenceFilter("stratos/*:" + tag).exec()) {
            for (String ref : image.getRepoTags() == null ? new String[0] : image.getRepoTags()) {
                if (ref.startsWith("stratos/") && ref.endsWith(":" + tag)) {
                    try {
                        client.get().removeImageCmd(ref).exec();
                    } catch (NotFoundException e) {
                        // gone already
                    } catch (ConflictException e) {
                        all = false;
                    }
                }
            }
        }
        return all;
    }
}
