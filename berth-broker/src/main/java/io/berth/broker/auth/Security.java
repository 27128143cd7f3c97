package io.berth.broker.auth;

import io.berth.broker.config.BrokerConfig;
import io.berth.broker.config.ListenerConfig;
import io.berth.broker.config.SecurityConfig;
import io.berth.broker.metrics.BrokerMetrics;
import io.berth.codec.ReasonCode;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authentication and authorization of the broker: the password file, the ACL file (both reloaded when
 * they change), the secure-by-default rule for anonymous clients, the failed-login back-off and the
 * per-address connection limits.
 *
 * <p>Password checks and SCRAM exchanges are scheduled by a {@link LoginQueue}: a few logins per source
 * address at a time, addresses served in turn, after the address's failed-login back-off. A login
 * verified in the last minutes is recognised without hashing again ({@link VerifiedLogins}). When the
 * password file changes, the connections of users that are gone or whose password changed are closed.
 *
 * <p>Threading: {@link #authenticate} runs the slow hash on the login queue's threads, never on the
 * caller's thread (a Netty event loop); the password file and ACL are immutable snapshots behind
 * volatile fields, replaced by the {@link FileReloader} thread; every method may be called from any
 * thread.
 */
public final class Security implements Authorizer, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Security.class);
    /** Threads that verify password hashes. */
    private static final int HASH_THREADS = 2;
    /** Logins waiting for their turn in all; beyond it CONNECT is answered with Server Busy. */
    private static final int MAX_WAITING_LOGINS = 10_000;
    /**
     * Verified for unknown users, so that they take as long as known ones (no user enumeration by time).
     * A hash costs a few hundred milliseconds: it is made on a thread of its own when a password file is
     * read (see the constructor), not on the path of every start.
     */
    private static final class Dummy {
        static final String HASH = PasswordHasher.hash("dummy".toCharArray());

        private Dummy() {}

        /** Makes the hash (once: the class initializer runs once, and others wait for it). */
        static void make() {
            LOG.debug("dummy password hash ready ({} characters)", HASH.length());
        }
    }

    private final SecurityConfig config;
    private final boolean anonymousAllowed;
    private final BrokerMetrics metrics;
    private final FileReloader reloader;
    private final LoginQueue logins;
    private final LoginBackoff backoff;
    private final AddressLimits addressLimits;
    private final VerifiedLogins verified = new VerifiedLogins(System::currentTimeMillis);
    /**
     * The key of the made-up SCRAM salts of unknown users: random at each start (not persisted), so an
     * unknown name shows the same salt at every attempt while the broker runs.
     */
    private final byte[] scramSecret = new byte[32];
    /** Open connections logged in with the password file, by user, to close when the user changes. */
    private final Map<String, Set<Runnable>> passwordUsers = new ConcurrentHashMap<>();

    /** Sessions per principal, for {@code max-sessions-per-principal}. */
    private final Map<String, Integer> sessions = new ConcurrentHashMap<>();

    private volatile @Nullable PasswordFile passwords;
    private volatile @Nullable Acl acl;

    private Security(BrokerConfig broker, BrokerMetrics metrics) throws IOException {
        this.config = broker.security();
        this.metrics = metrics;
        this.anonymousAllowed = config.allowAnonymous()
                || (config.passwordFile() == null && broker.listeners().stream().allMatch(ListenerConfig::loopback));
        this.passwords = config.passwordFile() == null ? null : PasswordFile.read(config.passwordFile());
        this.acl = config.aclFile() == null ? null : readAcl(config.aclFile());
        this.backoff = new LoginBackoff(config.abuse().loginBackoffMaxMillis(), System::currentTimeMillis);
        this.addressLimits = new AddressLimits(
                config.abuse().maxConnectionsPerAddress(),
                config.abuse().failedConnectsPerSecondPerAddress(),
                System::nanoTime);
        this.reloader = new FileReloader(config.reloadCheckMillis(), metrics::reloadFailed);
        this.logins =
                new LoginQueue(HASH_THREADS, config.abuse().loginsInFlightPerAddress(), MAX_WAITING_LOGINS, backoff);
        new SecureRandom().nextBytes(scramSecret);
        if (config.passwordFile() != null) {
            // ready before the first login in all but the first moments (which would wait for it)
            Thread t = new Thread(Dummy::make, "berth-dummy-hash");
            t.setDaemon(true);
            t.start();
            Path f = config.passwordFile();
            reloader.watch("password file", List.of(f), () -> passwordsChanged(PasswordFile.read(f)));
        }
        if (config.aclFile() != null) {
            Path f = config.aclFile();
            reloader.watch("ACL file", List.of(f), () -> acl = readAcl(f));
        }
    }

    /**
     * Checks the secure-by-default rule and reads the files. Fails with a message that says what to do
     * when a listener is open to the network without authentication.
     */
    public static Security start(BrokerConfig broker, BrokerMetrics metrics) {
        SecurityConfig c = broker.security();
        if (c.passwordFile() == null && !c.allowAnonymous()) {
            for (ListenerConfig l : broker.listeners()) {
                if (!l.loopback() && !l.identifiesByCertificate()) {
                    throw new IllegalStateException("listener " + l.describe(l.port()) + " is open to the network "
                            + "but no password-file is configured: configure one (berth passwd add), require client "
                            + "certificates as usernames, or set allow-anonymous: true explicitly");
                }
            }
        }
        try {
            return new Security(broker, metrics);
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot read " + e.getMessage(), e);
        }
    }

    private static Acl readAcl(Path file) throws IOException {
        return Acl.parse(Files.readAllLines(file, StandardCharsets.UTF_8), file.toString());
    }

    /** Installs a new password file and closes the connections of users that are gone or changed. */
    private void passwordsChanged(PasswordFile now) {
        PasswordFile before = passwords;
        passwords = now;
        for (Map.Entry<String, Set<Runnable>> e : passwordUsers.entrySet()) {
            String user = e.getKey();
            if (before == null
                    || !Objects.equals(before.hashOf(user), now.hashOf(user))
                    || !Objects.equals(scramText(before, user), scramText(now, user))) {
                LOG.info(
                        "user '{}' {} in the password file: closing its {} connection(s)",
                        LogText.safe(user),
                        now.hashOf(user) == null ? "removed" : "changed",
                        e.getValue().size());
                e.getValue().forEach(Runnable::run);
            }
        }
    }

    private static @Nullable String scramText(PasswordFile f, String user) {
        ScramCredentials k = f.scramOf(user);
        return k == null ? null : k.format();
    }

    /**
     * Remembers an open connection of {@code principal}; {@code close} is run (on the reloader's
     * thread) when the password file no longer has that user with the same password. Returns what to
     * call when the connection ends. Principals not from the password file (certificates, anonymous,
     * names trusted without a file) are not followed.
     */
    public Runnable loggedInWithPassword(String principal, Runnable close) {
        if (passwords == null) {
            return () -> {};
        }
        passwordUsers
                .computeIfAbsent(principal, p -> ConcurrentHashMap.newKeySet())
                .add(close);
        return () -> passwordUsers.computeIfPresent(principal, (p, set) -> {
            set.remove(close);
            return set.isEmpty() ? null : set;
        });
    }

    /** The reloader, for the TLS listeners' certificate files. */
    public FileReloader reloader() {
        return reloader;
    }

    public AddressLimits addressLimits() {
        return addressLimits;
    }

    /** True when clients may connect without credentials (browser origins are then refused on WebSocket). */
    public boolean anonymousAllowed() {
        return anonymousAllowed;
    }

    /** Counts an abuse limit that was hit. */
    public void limitHit(String limit) {
        metrics.limitHit(limit);
    }

    public SecurityConfig config() {
        return config;
    }

    /**
     * Waits for the address's turn to run a SCRAM-SHA-256 exchange (its back-off, its logins in flight),
     * then completes with the exchange and the turn to release when it ends; completes with null when no
     * password file is configured, and with a refusal (Server Busy) when too many logins wait.
     */
    public CompletableFuture<ScramTurn> scram(@Nullable InetAddress address) {
        PasswordFile users = passwords;
        if (users == null) {
            return CompletableFuture.completedFuture(null);
        }
        CompletableFuture<ScramTurn> f = logins.submit(
                address, turn -> new ScramTurn(new ScramServer(users::scramOf, scramSecret), turn::release, null));
        if (f == null) {
            metrics.limitHit("pending-logins");
            return CompletableFuture.completedFuture(new ScramTurn(null, () -> {}, ReasonCode.SERVER_BUSY));
        }
        return f;
    }

    /**
     * A SCRAM exchange whose turn has come.
     *
     * @param server the exchange; null when refused
     * @param release frees the address's place; call it when the exchange ends, however it ends
     * @param refusal why no exchange was started, or null
     */
    public record ScramTurn(
            @Nullable ScramServer server,
            Runnable release,
            @Nullable ReasonCode refusal) {}

    /** The outcome of a SCRAM exchange, for the back-off and the metrics. */
    public Authentication scramDone(Credentials c, boolean ok) {
        String user = c.username();
        if (!ok || user == null) {
            return failed(c, "scram", ReasonCode.BAD_USER_NAME_OR_PASSWORD);
        }
        backoff.succeeded(c.address());
        return Authentication.accepted(user);
    }

    /**
     * Checks credentials off the caller's thread; the future completes on a login thread. Cancelling it
     * before its turn comes spares the hash.
     */
    public CompletableFuture<Authentication> authenticate(Credentials c) {
        if (c.certificateName() != null) {
            return CompletableFuture.completedFuture(Authentication.accepted(c.certificateName()));
        }
        PasswordFile users = passwords;
        String user = c.username();
        if (user == null) {
            return CompletableFuture.completedFuture(
                    anonymousAllowed ? Authentication.accepted("") : failed(c, "anonymous", ReasonCode.NOT_AUTHORIZED));
        }
        if (users == null) {
            // no password file: the quick start trusts names (only where anonymous access is allowed)
            return CompletableFuture.completedFuture(
                    anonymousAllowed
                            ? Authentication.accepted(user)
                            : failed(c, "no-password-file", ReasonCode.NOT_AUTHORIZED));
        }
        String hash = users.hashOf(user);
        byte[] given = c.password();
        if (hash != null && given != null && verified.matches(user, hash, given)) {
            backoff.succeeded(c.address());
            return CompletableFuture.completedFuture(Authentication.accepted(user));
        }
        CompletableFuture<Authentication> result = logins.submit(c.address(), turn -> {
            try {
                return verify(users, c, user);
            } finally {
                turn.release();
            }
        });
        if (result == null) {
            metrics.limitHit("pending-logins");
            return CompletableFuture.completedFuture(Authentication.refused(ReasonCode.SERVER_BUSY));
        }
        return result;
    }

    private Authentication verify(PasswordFile users, Credentials c, String user) {
        String hash = users.hashOf(user);
        byte[] password = c.password() == null ? new byte[0] : c.password();
        boolean ok = PasswordHasher.verify(password, hash == null ? Dummy.HASH : hash)
                && hash != null
                && c.password() != null;
        if (!ok || hash == null) {
            return failed(c, hash == null ? "unknown-user" : "wrong-password", ReasonCode.BAD_USER_NAME_OR_PASSWORD);
        }
        verified.remember(user, hash, password);
        backoff.succeeded(c.address());
        return Authentication.accepted(user);
    }

    private Authentication failed(Credentials c, String reason, ReasonCode code) {
        backoff.failed(c.address());
        metrics.authFailed(reason);
        LOG.info("login refused from {} (user '{}'): {}", c.address(), LogText.safe(c.username()), reason);
        return Authentication.refused(code);
    }

    @Override
    public boolean canPublish(String user, String clientId, String topic) {
        Acl a = acl;
        if (a == null) {
            return counted(!Acl.isBrokerOnly(topic), "publish");
        }
        return counted(a.canPublish(user, clientId, topic), "publish");
    }

    @Override
    public boolean canSubscribe(String user, String clientId, String filter) {
        Acl a = acl;
        return a == null || counted(a.canSubscribe(user, clientId, filter), "subscribe");
    }

    @Override
    public boolean canReceive(String user, String clientId, String topic) {
        Acl a = acl;
        return a == null || counted(a.canReceive(user, clientId, topic), "receive");
    }

    @Override
    public boolean sessionStarting(String principal) {
        int max = config.abuse().maxSessionsPerPrincipal();
        boolean[] refused = {false};
        sessions.compute(principal, (p, n) -> {
            int now = n == null ? 0 : n;
            if (max > 0 && now >= max) {
                refused[0] = true;
                return n;
            }
            return now + 1;
        });
        if (refused[0]) {
            metrics.limitHit("max-sessions-per-principal");
            LOG.info("new session of '{}' refused: it has {} already", LogText.safe(principal), max);
        }
        return !refused[0];
    }

    @Override
    public void sessionRecovered(String principal) {
        sessions.merge(principal, 1, Integer::sum);
    }

    @Override
    public void sessionEnded(String principal) {
        sessions.computeIfPresent(principal, (p, n) -> n <= 1 ? null : n - 1);
    }

    private boolean counted(boolean allowed, String right) {
        if (!allowed) {
            metrics.aclDenied(right);
        }
        return allowed;
    }

    @Override
    public void close() {
        reloader.close();
        logins.close();
    }
}
