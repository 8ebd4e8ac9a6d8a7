package io.stratos.lxc.rest.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The keys of PID {@code io.stratos.lxc.security}, described for Karaf's {@code config:} commands and the web console (metatype);
 * the descriptions are those of the commented {@code io.stratos.lxc.security.cfg} the distribution ships, and a test keeps both in step.
 * The component still reads the raw dictionary through its settings parser, so that a bad value is reported with
 * its key and the last good settings stay, instead of being silently converted to a default.
 */
@ObjectClassDefinition(name = "Stratos LXC API security",
        description = "Stratos LXC API security (PID io.stratos.lxc.security). Every call of the user API (/stratos/api/v1, and the console through it) needs HTTP Basic credentials of a user of this JAAS realm; its roles decide what the user may do (admin: everything; tenant: its own subscriptions). Users, passwords and roles are in etc/users.properties for Karaf's default realm. Agents use their own per-VM credentials. See the README, section \"Security\".")
@interface SecurityConfig {

    @AttributeDefinition(name = "realm", required = false,
            description = "The JAAS realm the API logs users in with (Karaf's \"karaf\" realm reads etc/users.properties; a realm of your own, e.g. LDAP, is a Karaf JAAS blueprint: https://karaf.apache.org/manual/latest/#_security).")
    String realm() default "karaf";

    @AttributeDefinition(name = "cacheSeconds", required = false,
            description = "How long a successful login is remembered (seconds), so each call does not read the realm again. A changed or removed password stops working after at most this long. 0 logs in on every call.")
    int cacheSeconds() default 30;

    @AttributeDefinition(name = "defaultPasswordCheckSeconds", required = false,
            description = "How often to check whether the realm still accepts the shipped karaf/karaf (seconds); while it does, the log has a warning and the status shows \"security\" DEGRADED.")
    int defaultPasswordCheckSeconds() default 60;

    @AttributeDefinition(name = "tokenSeconds", required = false,
            description = "Bearer tokens: a user signed in with HTTP Basic gets one from POST /stratos/api/v1/tokens and sends it as \"Authorization: Bearer <token>\" instead of its password; it carries the user's roles. How long a token works (seconds, 60 to 86400). A token is not revoked by a changed password: it simply expires.")
    int tokenSeconds() default 3600;

    @AttributeDefinition(name = "tokenKeyFile", required = false,
            description = "The HMAC-SHA256 key tokens are signed with: made on first start (mode 600), kept so a restart leaves tokens valid. Delete the file and restart to end every token at once. Shipped as ${karaf.data}/security/api-token.key.")
    String tokenKeyFile();

    @AttributeDefinition(name = "failedLoginsBeforeBackoff", required = false,
            description = "Password guessing is slowed down: after this many failed logins of one user name (four times as many from one address), each further failure pauses password checks for that name (or address) twice as long as the last, from 1 s up to maxBackoffSeconds; the API then answers 429 with Retry-After. Credentials already known to be good (see cacheSeconds) and agents are not held up. 0 turns it off.")
    int failedLoginsBeforeBackoff() default 5;

    @AttributeDefinition(name = "maxBackoffSeconds", required = false,
            description = "Password guessing is slowed down: after this many failed logins of one user name (four times as many from one address), each further failure pauses password checks for that name (or address) twice as long as the last, from 1 s up to maxBackoffSeconds; the API then answers 429 with Retry-After. Credentials already known to be good (see cacheSeconds) and agents are not held up. 0 turns it off.")
    int maxBackoffSeconds() default 60;
}
