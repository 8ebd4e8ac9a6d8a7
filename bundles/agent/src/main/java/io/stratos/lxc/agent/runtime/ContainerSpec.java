package io.stratos.lxc.agent.runtime;

import io.stratos.lxc.api.StratosException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What to run: one cartridge process.
 *
 * @param processId     the controller's process id; the container is named {@code stratos-<processId>}
 * @param imageName     the cartridge name (Docker tags the imported image {@code stratos/<imageName>:<digest12>})
 * @param imageDigest   {@code sha256:<hex>} of the image tarball
 * @param imageRootfs   the unpacked, shared, read-only rootfs of the image in the cache
 * @param argv          the start command (manifest {@code start})
 * @param env           environment; the runtime sets {@code PORT} itself to the port the process must listen on
 * @param containerPort the port the process listens on inside its network namespace
 * @param hostPort      the port published on this VM's publish address
 * @param cpuMillis     CPU limit in thousandths of a core (0 = none)
 * @param memoryMiB     memory limit (0 = none)
 * @param pidsMax       process count limit (0 = none)
 * @param application   the application to place into the container's own writable layer, or null
 */
public record ContainerSpec(String processId, String imageName, String imageDigest, Path imageRootfs, List<String> argv,
                            Map<String, String> env, int containerPort, int hostPort, int cpuMillis, int memoryMiB,
                            int pidsMax, Application application) {

    /**
     * An application artifact for the process: the unpacked tree (shared by every process of this VM that runs this
     * artifact, read only) and the directory of the rootfs it goes to (the manifest's {@code appDir}).
     */
    public record Application(String digest, Path tree, String appDir) {
        public Application {
            if (appDir == null || !appDir.startsWith("/") || appDir.contains("..") || appDir.equals("/")) {
                throw StratosException.invalid("appDir", "appDir '" + appDir + "' is not an absolute directory below /", null);
            }
        }

        /** appDir without its leading slash, to resolve against a rootfs. */
        public String relativeAppDir() {
            return appDir.replaceAll("^/+", "").replaceAll("/+$", "");
        }
    }

    public ContainerSpec(String processId, String imageName, String imageDigest, Path imageRootfs, List<String> argv,
                         Map<String, String> env, int containerPort, int hostPort, int cpuMillis, int memoryMiB, int pidsMax) {
        this(processId, imageName, imageDigest, imageRootfs, argv, env, containerPort, hostPort, cpuMillis, memoryMiB, pidsMax, null);
    }

    private static final Pattern DIGEST = Pattern.compile("sha256:[0-9a-f]{64}");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern IMAGE_NAME = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");

    public ContainerSpec {
        ContainerNames.requireProcessId(processId);
        if (imageName == null || !IMAGE_NAME.matcher(imageName).matches()) {
            throw StratosException.invalid("imageName", "image name '" + imageName + "' is not usable", "lower case a-z 0-9 _ . -");
        }
        if (imageDigest == null || !DIGEST.matcher(imageDigest).matches()) {
            throw StratosException.invalid("imageDigest", "image digest '" + imageDigest + "' is not sha256:<64 hex>", null);
        }
        if (imageRootfs == null) {
            throw StratosException.invalid("imageRootfs", "no image rootfs", null);
        }
        if (argv == null || argv.isEmpty() || argv.stream().anyMatch(a -> a == null || a.indexOf('\n') >= 0 || a.indexOf('\0') >= 0)) {
            throw StratosException.invalid("argv", "the start command is empty or has a line break", null);
        }
        argv = List.copyOf(argv);
        Map<String, String> copy = new LinkedHashMap<>();
        if (env != null) {
            env.forEach((k, v) -> {
                if (k == null || !ENV_NAME.matcher(k).matches() || v == null || v.indexOf('\n') >= 0 || v.indexOf('\0') >= 0) {
                    throw StratosException.invalid("env", "environment variable '" + k + "' is not usable",
                            "names [A-Za-z_][A-Za-z0-9_]*, values without line breaks");
                }
                copy.put(k, v);
            });
        }
        env = Map.copyOf(copy);
        if (containerPort < 1 || containerPort > 65535) {
            throw StratosException.invalid("containerPort", "container port " + containerPort + " is not 1-65535", null);
        }
        if (hostPort < 1 || hostPort > 65535) {
            throw StratosException.invalid("hostPort", "host port " + hostPort + " is not 1-65535", null);
        }
        if (cpuMillis < 0 || memoryMiB < 0 || pidsMax < 0) {
            throw StratosException.invalid("resources", "negative resource limit", "0 means no limit");
        }
        if (memoryMiB > 0 && memoryMiB < 4) {
            throw StratosException.invalid("memoryMiB", "memory limit " + memoryMiB + " MiB is too small", "at least 4 MiB");
        }
    }

    /** The 64 hex digits of the digest. */
    public String digestHex() {
        return imageDigest.substring("sha256:".length());
    }

    public String containerName() {
        return ContainerNames.containerName(processId);
    }

    /** The environment with {@code PORT} set to the given port. */
    public Map<String, String> envWithPort(int port) {
        Map<String, String> all = new LinkedHashMap<>(env);
        all.put("PORT", String.valueOf(port));
        return all;
    }

    public long memoryBytes() {
        return memoryMiB * 1024L * 1024L;
    }
}
