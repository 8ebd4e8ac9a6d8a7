package io.stratos.lxc.rest.internal;

import io.stratos.lxc.api.agent.AgentRegistry;
import io.stratos.lxc.config.ConfigValues;
import io.stratos.lxc.api.security.Authenticator;
import io.stratos.lxc.api.security.Caller;
import io.stratos.lxc.api.security.LoginThrottledException;
import io.stratos.lxc.api.security.Role;
import io.stratos.lxc.api.status.ComponentState;
import io.stratos.lxc.api.status.ComponentStatus;
import io.stratos.lxc.api.status.StatusContributor;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.Principal;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import javax.security.auth.Subject;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.LoginContext;
import javax.security.auth.login.LoginException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Who is calling the user API: HTTP Basic credentials checked against a JAAS realm (Karaf's {@code karaf}
 * realm, i.e. {@code etc/users.properties}, unless PID {@code io.stratos.lxc.security} names another), or a
 * registered agent's VM id and secret. Successful logins are remembered for {@code cacheSeconds} (a JAAS login
 * reads the users file each time); a changed password takes effect after at most that long. A user may also
 * exchange its Basic credentials for a short-lived bearer token ({@link ApiTokens}, {@code POST /tokens}) and send
 * {@code Authorization: Bearer <token>} instead; the token carries the user's roles. (Agents' own
 * {@code Bearer <secret>} belongs to the agent API, which does not ask this class.)
 *
 * <p>It also reports, in the status and loudly in the log, while the realm still accepts the shipped default
 * {@code karaf}/{@code karaf}.
 */
// Also an Authenticator: servlets of other bundles (the metrics endpoint) check credentials through the same cache and throttle.
@Designate(ocd = SecurityConfig.class)
@Component(service = {ApiAuthentication.class, Authenticator.class, StatusContributor.class},
        configurationPid = ApiAuthentication.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class ApiAuthentication implements Authenticator, StatusContributor {

    static final String PID = "io.stratos.lxc.security";
    private static final Logger LOG = LoggerFactory.getLogger(ApiAuthentication.class);
    private static final int MAX_CACHED = 10_000;

    /** One JAAS login: the caller, or empty for wrong credentials. */
    interface Realm {
        Optional<Caller> login(String user, String password);
    }

    private record Cached(Caller caller, long expiresAt) {
    }

    /** Password checks for this user (or from this address) are paused after too many failures: answer 429. */
    static final class LoginThrottled extends LoginThrottledException {
        private static final long serialVersionUID = 1L;
        final long retryAfterSeconds;

        LoginThrottled(String user, long retryAfterSeconds) {
            super("too many failed logins for " + user + " or from this address: try again in " + retryAfterSeconds + " s",
                    retryAfterSeconds);
            this.retryAfterSeconds = retryAfterSeconds;
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    volatile AgentRegistry agents;

    /** Bounded: when full, Caffeine evicts the least useful entries rather than the whole cache being emptied. */
    private final Cache<String, Cached> cache = Caffeine.newBuilder().maximumSize(MAX_CACHED).executor(Runnable::run).build();
    private volatile Realm realm;
    private volatile String realmName = "karaf";
    private volatile long cacheMillis = 30_000;
    private volatile String configProblems = "";
    /** Beside the token key: per user, when its tokens were last revoked. */
    static final String REVOCATIONS_FILE = "api-token-revocations.properties";
    private volatile ApiTokens tokens;
    private volatile Path tokenKeyFile;
    private volatile long tokenSeconds = 3600;
    private LoginThrottle throttle;
    private volatile boolean defaultPasswordAccepted;
    private LongSupplier clock = System::currentTimeMillis;
    private ScheduledExecutorService checker;
    private java.util.concurrent.ScheduledFuture<?> check;

    public ApiAuthentication() {
    }

    /** For tests: a realm of our own instead of JAAS. */
    ApiAuthentication(Realm realm, LongSupplier clock) {
        this.realm = realm;
        this.clock = clock;
        this.tokens = new ApiTokens(ApiTokens.randomKey(), clock);
        this.throttle = new LoginThrottle(5, 60, clock);
    }

    @Activate
    void activate(Map<String, Object> properties) {
        checker = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread thread = new Thread(r, "stratos-default-credentials-check");
            thread.setDaemon(true);
            return thread;
        });
        modified(properties);
    }

    @Modified
    synchronized void modified(Map<String, Object> properties) {
        ConfigValues values = ConfigValues.of(PID, properties);
        realmName = values.string("realm", "karaf");
        cacheMillis = values.integer("cacheSeconds", 30, 0, 3600) * 1000L;
        int checkSeconds = values.integer("defaultPasswordCheckSeconds", 60, 1, 86_400);
        tokenSeconds = values.integer("tokenSeconds", 3600, 60, 86_400);
        int freeFailures = values.integer("failedLoginsBeforeBackoff", 5, 0, 1000);
        int maxBackoff = values.integer("maxBackoffSeconds", 60, 1, 3600);
        if (throttle == null) {
            throttle = new LoginThrottle(freeFailures, maxBackoff, clock);
        } else {
            throttle.configure(freeFailures, maxBackoff);
        }
        String dataDir = System.getProperty("karaf.data", "data");
        Path keyFile = Path.of(values.string("tokenKeyFile", Path.of(dataDir, "security", "api-token.key").toString()));
        if (tokens == null || !keyFile.equals(tokenKeyFile)) {
            try {
                tokens = new ApiTokens(ApiTokens.loadOrCreateKey(keyFile), clock, keyFile.resolveSibling(REVOCATIONS_FILE));
                tokenKeyFile = keyFile;
            } catch (IOException | RuntimeException e) {
                // tokens then last only as long as this run (and so do revocations); Basic is unaffected
                LOG.warn("Cannot read or create the API token key {}: {}; tokens will not survive a restart", keyFile, e.toString());
                tokens = new ApiTokens(ApiTokens.randomKey(), clock);
                tokenKeyFile = keyFile;
            }
        }
        configProblems = values.describeProblems();
        realm = new JaasRealm(realmName);
        cache.invalidateAll();
        if (checker != null) {
            // The users file may change at any time: look again now and then.
            if (check != null) {
                check.cancel(false);
            }
            check = checker.scheduleWithFixedDelay(this::checkDefaultCredentials, 0, checkSeconds, TimeUnit.SECONDS);
        }
    }

    @Deactivate
    void deactivate() {
        if (checker != null) {
            checker.shutdownNow();
        }
        cache.invalidateAll();
    }

    /** The caller these {@code Authorization} header credentials belong to, or empty when they are missing or wrong. */
    Optional<Caller> authenticate(String authorization) {
        return authenticate(authorization, null);
    }

    /**
     * As {@link #authenticate(String)}, for a call from {@code address} (null if unknown).
     *
     * @throws LoginThrottled when the password would have to be checked for a user (or from an address) that failed
     *                        too often lately
     */
    @Override
    public Optional<Caller> authenticate(String authorization, String remoteAddress) {
        // Loopback is everyone's address on a one-host controller (console, CLI, the local VMs' agents): only remote
        // addresses are counted, or one guesser would hold up all of them.
        String address = isLoopback(remoteAddress) ? null : remoteAddress;
        Optional<String> bearer = bearer(authorization);
        if (bearer.isPresent()) {
            return tokens.verify(bearer.get());
        }
        Optional<String[]> basic = basic(authorization);
        if (basic.isEmpty()) {
            return Optional.empty();
        }
        String user = basic.get()[0];
        String password = basic.get()[1];
        AgentRegistry registry = agents;
        if (registry != null && registry.authenticates(user, password)) {
            return Optional.of(Caller.agent(user));
        }
        long now = clock.getAsLong();
        String key = sha256(authorization);
        Cached cached = cache.getIfPresent(key);
        if (cached != null && cached.expiresAt() > now) {
            return Optional.of(cached.caller());
        }
        long wait = throttle.retryAfterSeconds(user, address);
        if (wait > 0) {
            throw new LoginThrottled(user, wait);
        }
        Optional<Caller> caller = realm.login(user, password);
        if (caller.isPresent()) {
            throttle.succeeded(user);
            if (cacheMillis > 0) {
                cache.put(key, new Cached(caller.get(), now + cacheMillis));
            }
        } else {
            cache.invalidate(key);
            throttle.failed(user, address);
            long locked = throttle.retryAfterSeconds(user, address);
            if (locked > 0) {
                LOG.warn("Failed login for user '{}' from {}: further password checks paused for {} s", user, address, locked);
            }
        }
        return caller;
    }

    static boolean isLoopback(String address) {
        return address == null || address.startsWith("127.") || address.equals("::1") || address.equals("0:0:0:0:0:0:0:1")
                || address.equals("[::1]") || address.equals("[0:0:0:0:0:0:0:1]");
    }

    /** Ends the bearer tokens issued to {@code user} so far; returns when later ones start working (epoch millis). */
    long revokeTokens(String user) {
        return tokens.revoke(user);
    }

    /** A bearer token for this caller (a realm user, authenticated with Basic), valid for {@code tokenSeconds}. */
    ApiTokens.Issued issueToken(Caller caller) {
        return tokens.issue(caller, tokenSeconds);
    }

    /** Whether the header carries a bearer token rather than Basic credentials. */
    static boolean isBearer(String authorization) {
        return bearer(authorization).isPresent();
    }

    /** The token of {@code Bearer <token>}, or empty. */
    static Optional<String> bearer(String authorization) {
        if (authorization == null || authorization.length() < 8 || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Optional.empty();
        }
        return Optional.of(authorization.substring(7).trim());
    }

    /** {@code Basic base64(user:password)} split in two, or empty. */
    static Optional<String[]> basic(String authorization) {
        if (authorization == null || authorization.length() < 7 || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return Optional.empty();
        }
        try {
            String decoded = new String(Base64.getDecoder().decode(authorization.substring(6).trim()), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                return Optional.empty();
            }
            return Optional.of(new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)});
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    void checkDefaultCredentials() {
        try {
            boolean accepted = realm.login("karaf", "karaf").isPresent();
            if (accepted && !defaultPasswordAccepted) {
                LOG.warn("**********************************************************************************");
                LOG.warn("* SECURITY: the '{}' realm accepts the default user karaf with password karaf.", realmName);
                LOG.warn("* Anyone who reaches this controller can administer it. Change the password in");
                LOG.warn("* etc/users.properties (see the README, section Security); ./stratos up does it.");
                LOG.warn("**********************************************************************************");
            }
            defaultPasswordAccepted = accepted;
        } catch (RuntimeException e) {
            LOG.debug("Cannot check the default credentials: {}", e.toString());
        }
    }

    @Override
    public ComponentStatus componentStatus() {
        if (!configProblems.isEmpty()) {
            return new ComponentStatus("security", ComponentState.UNCONFIGURED, configProblems);
        }
        if (defaultPasswordAccepted) {
            return new ComponentStatus("security", ComponentState.DEGRADED, "realm " + realmName
                    + " accepts the default karaf/karaf: change the password in etc/users.properties");
        }
        return new ComponentStatus("security", ComponentState.ACTIVE, "HTTP Basic against JAAS realm " + realmName
                + ", bearer tokens for " + tokenSeconds + " s");
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A login against a JAAS realm. Karaf's realms give a subject with a user principal and one role principal
     * per role (groups already expanded); principals are told apart by class name, as CXF's JAAS interceptor does,
     * so this bundle does not depend on Karaf's JAAS classes.
     */
    static final class JaasRealm implements Realm {
        private final String name;

        JaasRealm(String name) {
            this.name = name;
        }

        @Override
        public Optional<Caller> login(String user, String password) {
            ClassLoader previous = Thread.currentThread().getContextClassLoader();
            // LoginContext loads the realm's (Karaf's proxy) login module through the context class loader;
            // Karaf has it on the system class path.
            Thread.currentThread().setContextClassLoader(ClassLoader.getSystemClassLoader());
            try {
                Subject subject = new Subject();
                LoginContext login = new LoginContext(name, subject, callbacks -> {
                    for (Callback callback : callbacks) {
                        if (callback instanceof NameCallback nameCallback) {
                            nameCallback.setName(user);
                        } else if (callback instanceof PasswordCallback passwordCallback) {
                            passwordCallback.setPassword(password.toCharArray());
                        } else {
                            throw new UnsupportedCallbackException(callback);
                        }
                    }
                });
                login.login();
                Set<String> roles = new HashSet<>();
                for (Principal principal : subject.getPrincipals()) {
                    if (principal.getClass().getSimpleName().equals("RolePrincipal")) {
                        roles.add(principal.getName());
                    }
                }
                roles.remove(Role.AGENT); // only registered agents are agents
                login.logout();
                return Optional.of(new Caller(user, roles));
            } catch (LoginException e) {
                return Optional.empty();
            } finally {
                Thread.currentThread().setContextClassLoader(previous);
            }
        }
    }
}
