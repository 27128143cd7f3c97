package io.berth.broker.auth;

import java.net.InetAddress;
import org.jspecify.annotations.Nullable;

/**
 * What a client presents to log in.
 *
 * @param username the CONNECT username, or null
 * @param password the CONNECT password, or null
 * @param certificateName the subject CN of a verified client certificate when the listener uses it as
 *     the username, or null
 * @param address the source address (for the failed-login back-off), or null
 */
public record Credentials(
        @Nullable String username,
        byte @Nullable [] password,
        @Nullable String certificateName,
        @Nullable InetAddress address) {}
