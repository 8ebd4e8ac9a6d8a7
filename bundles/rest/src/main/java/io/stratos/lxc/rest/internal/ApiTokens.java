package io.stratos.lxc.rest.internal;

import io.stratos.lxc.api.StratosException;
import io.stratos.lxc.api.security.Caller;
import io.stratos.lxc.api.security.Role;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Short-lived bearer tokens for the user API: {@code st2.<user>.<roles>.<issued>.<expiry>.<signature>}, the user and
 * its comma-separated roles base64url-encoded, the issue time in epoch milliseconds, the expiry in epoch seconds, signed
 * with HMAC-SHA256 under a key only the controller knows. A token is checked with one lookup: a valid signature, an
 * expiry still ahead and an issue time not before the user's last revocation ({@link #revoke}, e.g. after a password
 * change: the realm cannot tell us of one). All tokens end at once when the key is replaced. Revocations are kept in a
 * file beside the key, so they survive a restart.
 */
final class ApiTokens {

    static final String VERSION = "st2";
    static final int KEY_BYTES = 32;
    /** Longer is not a token of ours: refused before any work. */
    static final int MAX_TOKEN_CHARS = 4096;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder B64D = Base64.getUrlDecoder();

    /** A token, when it stops working and how long it works from now. */
    record Issued(String token, long expiresAtMillis, long seconds) {
    }

    private final byte[] key;
    private final LongSupplier clock;
    /** Per user: tokens issued before this (epoch millis) are refused. */
    private final Map<String, Long> revokedBefore = new ConcurrentHashMap<>();
    /** Where revocations are kept; null: in memory only (tests, or a key that could not be stored). */
    private final Path revocationsFile;

    ApiTokens(byte[] key, LongSupplier clock) {
        this(key, clock, null);
    }

    ApiTokens(byte[] key, LongSupplier clock, Path revocationsFile) {
        if (key.length < 16) {
            throw new IllegalArgumentException("a token key needs at least 16 bytes");
        }
        this.key = key.clone();
        this.clock = clock;
        this.revocationsFile = revocationsFile;
        if (revocationsFile != null && Files.isRegularFile(revocationsFile)) {
            Properties stored = new Properties();
            try (InputStream in = Files.newInputStream(revocationsFile)) {
                stored.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the token revocations " + revocationsFile, e);
            }
            stored.forEach((user, millis) -> {
                try {
                    revokedBefore.put((String) user, Long.parseLong((String) millis));
                } catch (NumberFormatException ignored) {
                    // not ours: a hand-edited line
                }
            });
        }
    }

    /**
     * Ends every token issued to {@code user} until now; later ones work. Kept in the revocations file before it
     * answers, so a restart does not bring the tokens back; returns the time from which tokens work again.
     */
    synchronized long revoke(String user) {
        long now = clock.getAsLong();
        Long before = revokedBefore.put(user, now);
        if (revocationsFile != null) {
            Properties all = new Properties();
            revokedBefore.forEach((u, millis) -> all.setProperty(u, Long.toString(millis)));
            try {
                Files.createDirectories(revocationsFile.toAbsolutePath().getParent());
                Path temporary = Files.createTempFile(revocationsFile.toAbsolutePath().getParent(), ".api-token-revocations", ".tmp",
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                try {
                    try (OutputStream out = Files.newOutputStream(temporary)) {
                        all.store(out, "bearer tokens of each user issued before this time (epoch ms) are refused");
                    }
                    Files.move(temporary, revocationsFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(temporary);
                }
            } catch (IOException e) {
                if (before == null) {
                    revokedBefore.remove(user);
                } else {
                    revokedBefore.put(user, before);
                }
                throw StratosException.unavailable("cannot record the revocation in " + revocationsFile + ": " + e.getMessage(),
                        "check the controller's data directory and retry");
            }
        }
        return now;
    }

    static byte[] randomKey() {
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        return key;
    }

    /**
     * The key kept in {@code file}, made on first use (readable by its owner only), so tokens stay valid across
     * restarts. A file that does not hold a key (a truncated write) is replaced by a new one.
     */
    static byte[] loadOrCreateKey(Path file) throws IOException {
        if (Files.isRegularFile(file)) {
            byte[] stored = Files.readAllBytes(file);
            if (stored.length == KEY_BYTES) {
                return stored;
            }
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        byte[] key = randomKey();
        Path temporary = Files.createTempFile(file.toAbsolutePath().getParent(), ".api-token", ".key",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try {
            Files.write(temporary, key);
            Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temporary);
        }
        return key;
    }

    /** A token for this caller, valid for {@code seconds}. Agents get none: theirs is the agent API. */
    Issued issue(Caller caller, long seconds) {
        if (caller.has(Role.AGENT)) {
            throw new IllegalArgumentException("agents authenticate with their own secret");
        }
        long issued = clock.getAsLong();
        // rounded up to the second: it works at least the promised time
        long expires = (issued + 999) / 1000 + seconds;
        String body = VERSION + "." + encode(caller.name()) + "." + encode(String.join(",", caller.roles())) + "." + issued + "." + expires;
        return new Issued(body + "." + B64.encodeToString(sign(body)), expires * 1000, seconds);
    }

    /** The caller a token was issued to, or empty when it is malformed, tampered with, signed with another key or expired. */
    Optional<Caller> verify(String token) {
        if (token == null || token.isEmpty() || token.length() > MAX_TOKEN_CHARS) {
            return Optional.empty();
        }
        String[] parts = token.split("\\.", -1);
        if (parts.length != 6 || !parts[0].equals(VERSION)) {
            return Optional.empty();
        }
        String body = token.substring(0, token.lastIndexOf('.'));
        byte[] signature;
        try {
            signature = B64D.decode(parts[5]);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(sign(body), signature)) {
            return Optional.empty();
        }
        try {
            long issued = Long.parseLong(parts[3]);
            long expires = Long.parseLong(parts[4]);
            if (expires * 1000 <= clock.getAsLong()) {
                return Optional.empty();
            }
            String name = decode(parts[1]);
            if (issued < revokedBefore.getOrDefault(name, Long.MIN_VALUE)) {
                return Optional.empty();
            }
            Set<String> roles = new LinkedHashSet<>(Arrays.asList(decode(parts[2]).split(",")));
            roles.remove("");
            roles.remove(Role.AGENT);
            return name.isEmpty() ? Optional.empty() : Optional.of(new Caller(name, roles));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private byte[] sign(String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(body.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    private static String encode(String text) {
        return B64.encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }

    private static String decode(String text) {
        return new String(B64D.decode(text), StandardCharsets.UTF_8);
    }
}
