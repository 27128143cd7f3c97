package io.berth.broker.auth;

import java.net.InetAddress;

/**
 * What a client presents to log in.
 *
 * @param username the CONNECT username, or null
 * @param password the CONNECT password, or null
 * @param certificateName the subject CN of a verified client certificate when the listener uses it as
 *     the username, or null
 * @param address the source address (for the failed-login back-off), or null
 */
public record Credentials(String username, byte[] password, String certificateName, InetAddress address) {}
