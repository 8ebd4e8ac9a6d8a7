package io.stratos.lxc.agent.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What this agent proves itself with to the controller. Its VM's join token works once; the secret the controller
 * answers with is kept in {@code <dataDir>/agent-secret} (mode 600), so a restarted agent registers with it and keeps
 * its VM. A new join token from an operator's rejoin is read from {@code <dataDir>/join-token} (where the local
 * adapter, or an operator, puts it) before the configured one; both are read again on every registration attempt.
 */
final class AgentIdentity {

    private static final Logger LOG = LoggerFactory.getLogger(AgentIdentity.class);
    static final String SECRET_FILE = "agent-secret";
    static final String JOIN_TOKEN_FILE = "join-token";

    private final Path dataDir;
    private final Supplier<String> configuredToken;

    AgentIdentity(Path dataDir, Supplier<String> configuredToken) {
        this.dataDir = dataDir;
        this.configuredToken = configuredToken;
    }

    /** The kept secret, or null before the first registration (or when it is lost). */
    String secret() {
        return read(dataDir.resolve(SECRET_FILE));
    }

    /** The join token handed over in the data directory, else the configured one; null when neither is there. */
    String joinToken() {
        String handed = read(dataDir.resolve(JOIN_TOKEN_FILE));
        if (handed != null) {
            return handed;
        }
        String configured = configuredToken.get();
        return configured == null || configured.isBlank() ? null : configured.trim();
    }

    /** Whether there is anything to register with: otherwise the agent runs standalone. */
    boolean any() {
        return secret() != null || joinToken() != null;
    }

    /**
     * Keeps the secret: written to a temporary file created with mode 600 and renamed over the old one, so a crash
     * leaves the old secret or the new, never half of one, and never a moment where others may read it.
     */
    void keep(String secret) {
        if (secret == null || secret.equals(secret())) {
            return;
        }
        try {
            Files.createDirectories(dataDir);
            Path temp = Files.createTempFile(dataDir, SECRET_FILE + ".", ".tmp",
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            try {
                Files.writeString(temp, secret + "\n", StandardCharsets.UTF_8);
                Files.move(temp, dataDir.resolve(SECRET_FILE), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(temp);
            }
            LOG.info("Kept the agent's secret in {}", dataDir.resolve(SECRET_FILE));
        } catch (IOException e) {
            // The agent goes on with the secret in memory (its join token is used up); a restart needs an operator's rejoin.
            LOG.error("Cannot keep the agent's secret in {} ({}): after a restart this VM needs stratos:vm-rejoin", dataDir, e.toString());
        }
    }

    private static String read(Path file) {
        try {
            String text = Files.readString(file, StandardCharsets.UTF_8).trim();
            return text.isEmpty() ? null : text;
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            LOG.warn("Cannot read {}: {}", file, e.getMessage());
            return null;
        }
    }
}
