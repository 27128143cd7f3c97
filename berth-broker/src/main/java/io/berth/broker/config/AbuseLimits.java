package io.berth.broker.config;

/**
 * Limits against floods and guessing; every one is counted in {@code berth_limit_hits_total} when hit.
 * Per-address limits are aimed at what misbehaves (malformed input, failed logins, connections that do
 * not log in); a client that connects and logs in correctly is never refused by them, even from the
 * address of a flood.
 *
 * @param maxConnectionsPerAddress open connections from one source address; when it is reached, the oldest connection of that address that has not logged in yet is closed to make room, and only when all have logged in is the new one refused; 0 for no limit
 * @param failedConnectsPerSecondPerAddress connections per second from one source address that may fail
 *     (malformed input, failed login, no CONNECT in time, closed before logging in), burst twice as
 *     many; beyond it, new connections from the address must send CONNECT within two seconds; clients
 *     that log in are never refused by it; 0 for no limit
 * @param loginBackoffMaxMillis longest delay of the answer to a failed login; the delay doubles with each failure from the same address, from 100 ms
 * @param loginsInFlightPerAddress logins of one source address checked (or waiting out its back-off, or in a SCRAM exchange) at the same time; the others wait in the address's own queue
 * @param maxConnectSize largest CONNECT (and AUTH before the login) accepted, in bytes; larger packets are allowed once logged in, up to max-packet-size
 * @param maxUnauthenticatedBytes bytes received by connections that have not sent their whole CONNECT yet, in all; the connection that would exceed it is closed; 0 for no limit
 * @param maxClientIdLength longest client id accepted, in characters
 * @param maxSubscriptionsPerSession subscriptions one session may hold
 * @param maxTopicLevels levels of a topic name or filter
 * @param maxSessionsPerPrincipal sessions (online or not) one principal may hold, all anonymous clients
 *     being one principal; a CONNECT that would create one more is refused (5.0: 0x97 Quota exceeded,
 *     3.1.1: return code 3); 0 for no limit
 */
public record AbuseLimits(
        int maxConnectionsPerAddress,
        int failedConnectsPerSecondPerAddress,
        long loginBackoffMaxMillis,
        int loginsInFlightPerAddress,
        int maxConnectSize,
        long maxUnauthenticatedBytes,
        int maxClientIdLength,
        int maxSubscriptionsPerSession,
        int maxTopicLevels,
        int maxSessionsPerPrincipal) {

    public static final AbuseLimits DEFAULT =
            new AbuseLimits(1000, 200, 5000, 2, 64 * 1024, 64L * 1024 * 1024, 256, 10_000, 64, 0);

    public AbuseLimits {
        check(maxConnectionsPerAddress >= 0, "max-connections-per-address", maxConnectionsPerAddress);
        check(
                failedConnectsPerSecondPerAddress >= 0,
                "failed-connect-rate-per-address",
                failedConnectsPerSecondPerAddress);
        check(loginBackoffMaxMillis >= 0, "login-backoff-max-ms", loginBackoffMaxMillis);
        check(loginsInFlightPerAddress >= 1, "logins-in-flight-per-address", loginsInFlightPerAddress);
        check(maxConnectSize >= 128, "max-connect-size", maxConnectSize);
        check(maxUnauthenticatedBytes >= 0, "max-unauthenticated-bytes", maxUnauthenticatedBytes);
        // [MQTT-3.1.3-5] a server must accept client ids of 1 to 23 characters
        check(maxClientIdLength >= 23 && maxClientIdLength <= 65_535, "max-client-id-length", maxClientIdLength);
        check(maxSubscriptionsPerSession >= 1, "max-subscriptions-per-session", maxSubscriptionsPerSession);
        check(maxTopicLevels >= 1, "max-topic-levels", maxTopicLevels);
        check(maxSessionsPerPrincipal >= 0, "max-sessions-per-principal", maxSessionsPerPrincipal);
    }

    private static void check(boolean ok, String key, long value) {
        if (!ok) {
            throw new IllegalArgumentException(key + ": out of range: " + value);
        }
    }

    public AbuseLimits withMaxConnectionsPerAddress(int v) {
        return new AbuseLimits(
                v,
                failedConnectsPerSecondPerAddress,
                loginBackoffMaxMillis,
                loginsInFlightPerAddress,
                maxConnectSize,
                maxUnauthenticatedBytes,
                maxClientIdLength,
                maxSubscriptionsPerSession,
                maxTopicLevels,
                maxSessionsPerPrincipal);
    }

    public AbuseLimits withFailedConnectsPerSecondPerAddress(int v) {
        return new AbuseLimits(
                maxConnectionsPerAddress,
                v,
                loginBackoffMaxMillis,
                loginsInFlightPerAddress,
                maxConnectSize,
                maxUnauthenticatedBytes,
                maxClientIdLength,
                maxSubscriptionsPerSession,
                maxTopicLevels,
                maxSessionsPerPrincipal);
    }

    public AbuseLimits withLoginBackoffMaxMillis(long v) {
        return new AbuseLimits(
                maxConnectionsPerAddress,
                failedConnectsPerSecondPerAddress,
                v,
                loginsInFlightPerAddress,
                maxConnectSize,
                maxUnauthenticatedBytes,
                maxClientIdLength,
                maxSubscriptionsPerSession,
                maxTopicLevels,
                maxSessionsPerPrincipal);
    }

    public AbuseLimits withLoginsInFlightPerAddress(int v) {
        return new AbuseLimits(
                maxConnectionsPerAddress,
                failedConnectsPerSecondPerAddress,
                loginBackoffMaxMillis,
                v,
                maxConnectSize,
                maxUnauthenticatedBytes,
                maxClientIdLength,
                maxSubscriptionsPerSession,
                maxTopicLevels,
                maxSessionsPerPrincipal);
    }

    public AbuseLimits withMaxConnectSize(int v) {
        return new AbuseLimits(
                maxConnectionsPerAddress,
                failedConnectsPerSecondPerAddress,
                loginBackoffMaxMillis,
                loginsInFlightPerAddress,
                v,
                maxUnauthenticatedBytes,
                maxClientIdLength,
                maxSubscriptionsPerSession,
                maxTopicLevels,
                maxSessionsPerPrincipal);
    }

    public AbuseLimits withMaxUnauthenticatedBytes(long v) {
        return new AbuseLimits(
                maxConnectionsPerAddress,
                failedConnectsPerSecondPerAddress,
                loginBackoffMaxMillis,
                loginsInFlightPerAddress,
                maxConnectSize,
                v,
                maxClientIdLength,
                maxSubscriptionsPerSession,
                maxTopicLevels,
                maxSessionsPerPrincipal);
    }

    public AbuseLimits withMaxClientIdLength(int v) {
        return new AbuseLimits(
                maxConnectionsPerAddress,
                failedConnectsPerSecondPerAddress,
                loginBackoffMaxMillis,
                loginsInFlightPerAddress,
                maxConnectSize,
                maxUnauthenticatedBytes,
                v,
                maxSubscriptionsPerSession,
                maxTopicLevels,
                maxSessionsPerPrincipal);
    }

    public AbuseLimits withMaxSubscriptionsPerSession(int v) {
        return new AbuseLimits(
                maxConnectionsPerAddress,
                failedConnectsPerSecondPerAddress,
                loginBackoffMaxMillis,
                loginsInFlightPerAddress,
                maxConnectSize,
                maxUnauthenticatedBytes,
                maxClientIdLength,
                v,
                maxTopicLevels,
                maxSessionsPerPrincipal);
    }

    public AbuseLimits withMaxTopicLevels(int v) {
        return new AbuseLimits(
                maxConnectionsPerAddress,
                failedConnectsPerSecondPerAddress,
                loginBackoffMaxMillis,
                loginsInFlightPerAddress,
                maxConnectSize,
                maxUnauthenticatedBytes,
                maxClientIdLength,
                maxSubscriptionsPerSession,
                v,
                maxSessionsPerPrincipal);
    }

    public AbuseLimits withMaxSessionsPerPrincipal(int v) {
        return new AbuseLimits(
                maxConnectionsPerAddress,
                failedConnectsPerSecondPerAddress,
                loginBackoffMaxMillis,
                loginsInFlightPerAddress,
                maxConnectSize,
                maxUnauthenticatedBytes,
                maxClientIdLength,
                maxSubscriptionsPerSession,
                maxTopicLevels,
                v);
    }
}
