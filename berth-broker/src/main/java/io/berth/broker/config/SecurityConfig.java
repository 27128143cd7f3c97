package io.berth.broker.config;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * Listeners, authentication, authorization and abuse limits.
 *
 * @param listeners every listener; empty for the one TCP listener of {@code bind} and {@code port}
 * @param passwordFile users and their salted hashes ({@code berth passwd}); null for none
 * @param aclFile topic rights per user and client id; null to allow every topic to everyone
 * @param allowAnonymous accept clients without credentials even where the secure default would not
 * @param reloadCheckMillis how often certificate, key, password and ACL files are checked for changes
 * @param abuse limits against floods and guessing
 */
public record SecurityConfig(
        List<ListenerConfig> listeners,
        @Nullable Path passwordFile,
        @Nullable Path aclFile,
        boolean allowAnonymous,
        long reloadCheckMillis,
        AbuseLimits abuse) {

    public static final SecurityConfig DEFAULT =
            new SecurityConfig(List.of(), null, null, false, 2000, AbuseLimits.DEFAULT);

    public SecurityConfig {
        listeners = List.copyOf(listeners);
        Objects.requireNonNull(abuse, "abuse");
        if (reloadCheckMillis < 10) {
            throw new IllegalArgumentException("reload-check-ms: must be at least 10, is " + reloadCheckMillis);
        }
    }

    public SecurityConfig withListeners(List<ListenerConfig> l) {
        return new SecurityConfig(l, passwordFile, aclFile, allowAnonymous, reloadCheckMillis, abuse);
    }

    public SecurityConfig withPasswordFile(Path p) {
        return new SecurityConfig(listeners, p, aclFile, allowAnonymous, reloadCheckMillis, abuse);
    }

    public SecurityConfig withAclFile(Path p) {
        return new SecurityConfig(listeners, passwordFile, p, allowAnonymous, reloadCheckMillis, abuse);
    }

    public SecurityConfig withAllowAnonymous(boolean a) {
        return new SecurityConfig(listeners, passwordFile, aclFile, a, reloadCheckMillis, abuse);
    }

    public SecurityConfig withReloadCheckMillis(long m) {
        return new SecurityConfig(listeners, passwordFile, aclFile, allowAnonymous, m, abuse);
    }

    public SecurityConfig withAbuse(AbuseLimits a) {
        return new SecurityConfig(listeners, passwordFile, aclFile, allowAnonymous, reloadCheckMillis, a);
    }
}
