package io.stratos.lxc.controller.internal;

import io.stratos.lxc.api.StratosException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** Names and ids: DNS labels checked, ids of new VMs and processes, secrets made and compared. */
final class Ids {

    static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?");
    private static final SecureRandom RANDOM = new SecureRandom();

    private Ids() {
    }

    static String label(String field, String value) {
        if (value == null || value.isBlank()) {
            throw StratosException.invalid(field, field + " is required", "a DNS label such as 'hello'");
        }
        if (!DNS_LABEL.matcher(value).matches()) {
            throw StratosException.invalid(field, field + " '" + value + "' is not a DNS label",
                    "use 1 to 63 lower-case letters, digits and '-', not starting or ending with '-'");
        }
        return value;
    }

    /**
     * The id of a new VM of a partition or process of a subscription: the owner's name (cut to 54 characters)
     * and 8 random hex digits, at most 63 in all, as the id columns and container names allow.
     */
    static String childId(String owner) {
        return (owner.length() > 54 ? owner.substring(0, 54) : owner) + "-" + randomHex(4);
    }

    static String randomHex(int bytes) {
        byte[] random = new byte[bytes];
        RANDOM.nextBytes(random);
        return HexFormat.of().formatHex(random);
    }

    static boolean constantTimeEquals(String a, String b) {
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }
}
