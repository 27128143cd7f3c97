package io.berth.broker.auth;

import io.berth.broker.config.BrokerConfig;
import io.berth.broker.config.ListenerConfig;
import io.berth.broker.config.SecurityConfig;
import io.berth.broker.metrics.BrokerMetrics;
import io.berth.codec.ReasonCode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Authentication and authorization of the broker: the password file, the ACL file (both reloaded when
 * they change), the secure-by-default rule for anonymous clients, the failed-login back-off and the
 * per-address connection limits.
 *
 * <p>Threading: {@link #authenticate} runs the slow hash on a small dedicated executor, never on the
 * caller's thread (a Netty event loop); the password file and ACL are immutable snapshots behind
 * volatile fields, replaced by the {@link FileReloader} thread; every method may be called from any
 * thread.
 */
public final class Security implements Authorizer, AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Security.class);
    /** Logins waiting for a hash thread; beyond it CONNECT is answered with Server Busy. */
    private static final int MAX_PENDING_LOGINS = 256;
    /** Verified for unknown users, so that they take as long as known ones (no user enumeration by time). */
    private static final String DUMMY_HASH = PasswordHasher.hash("dummy".toCharArray());

    private final SecurityConfig config;
    private final boolean anonymousAllowed;
    private final BrokerMetrics metrics;
    private final FileReloader reloader;
    private final ThreadPoolExecutor hashing;
    private final LoginBackoff backoff;
    private final AddressLimits addressLimits;
    private volatile PasswordFile passwords;
    private volatile Acl acl;

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
                config.abuse().connectsPerSecondPerAddress(),
                System::nanoTime);
        this.reloader = new FileReloader(config.reloadCheckMillis());
        this.hashing = new ThreadPoolExecutor(
                2,
                2,
                0,
                TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(MAX_PENDING_LOGINS),
                new io.netty.util.concurrent.DefaultThreadFactory("berth-auth", true));
        if (config.passwordFile() != null) {
            Path f = config.passwordFile();
            reloader.watch("password file", List.of(f), () -> passwords = PasswordFile.read(f));
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

    /** The reloader, for the TLS listeners' certificate files. */
    public FileReloader reloader() {
        return reloader;
    }

    public AddressLimits addressLimits() {
        return addressLimits;
    }

    /** Counts an abuse limit that was hit. */
    public void limitHit(String limit) {
        metrics.limitHit(limit);
    }

    public SecurityConfig config() {
        return config;
    }

    /** How long a login from this address waits before it is checked (the failed-login back-off). */
    public long loginDelayMillis(Credentials c) {
        return backoff.delayMillis(c.address());
    }

    /** A SCRAM-SHA-256 exchange against the current password file, or null when none is configured. */
    public ScramServer newScram() {
        PasswordFile users = passwords;
        return users == null ? null : new ScramServer(users::scramOf);
    }

    /** The outcome of a SCRAM exchange, for the back-off and the metrics. */
    public Authentication scramDone(Credentials c, boolean ok) {
        if (!ok) {
            return failed(c, "scram", ReasonCode.BAD_USER_NAME_OR_PASSWORD);
        }
        backoff.succeeded(c.address());
        return Authentication.accepted(c.username());
    }

    /** Checks credentials off the caller's thread; the future completes on a hashing thread. */
    public CompletableFuture<Authentication> authenticate(Credentials c) {
        if (c.certificateName() != null) {
            return CompletableFuture.completedFuture(Authentication.accepted(c.certificateName()));
        }
        PasswordFile users = passwords;
        if (c.username() == null) {
            return CompletableFuture.completedFuture(
                    anonymousAllowed ? Authentication.accepted("") : failed(c, "anonymous", ReasonCode.NOT_AUTHORIZED));
        }
        if (users == null) {
            // no password file: the quick start trusts names (only where anonymous access is allowed)
            return CompletableFuture.completedFuture(
                    anonymousAllowed
                            ? Authentication.accepted(c.username())
                            : failed(c, "no-password-file", ReasonCode.NOT_AUTHORIZED));
        }
        CompletableFuture<Authentication> result = new CompletableFuture<>();
        try {
            hashing.execute(() -> result.complete(verify(users, c)));
        } catch (RejectedExecutionException e) {
            metrics.limitHit("pending-logins");
            result.complete(Authentication.refused(ReasonCode.SERVER_BUSY));
        }
        return result;
    }

    private Authentication verify(PasswordFile users, Credentials c) {
        String hash = users.hashOf(c.username());
        byte[] password = c.password() == null ? new byte[0] : c.password();
        boolean ok = PasswordHasher.verify(password, hash == null ? DUMMY_HASH : hash)
                && hash != null
                && c.password() != null;
        if (!ok) {
            return failed(c, hash == null ? "unknown-user" : "wrong-password", ReasonCode.BAD_USER_NAME_OR_PASSWORD);
        }
        backoff.succeeded(c.address());
        return Authentication.accepted(c.username());
    }

    private Authentication failed(Credentials c, String reason, ReasonCode code) {
        backoff.failed(c.address());
        metrics.authFailed(reason);
        LOG.info("login refused from {} (user '{}'): {}", c.address(), c.username(), reason);
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

    private boolean counted(boolean allowed, String right) {
        if (!allowed) {
            metrics.aclDenied(right);
        }
        return allowed;
    }

    @Override
    public void close() {
        reloader.close();
        hashing.shutdownNow();
    }
}
