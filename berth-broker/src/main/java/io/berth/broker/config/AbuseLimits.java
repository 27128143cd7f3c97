package io.berth.broker.config;

/**
 * Limits against floods and guessing; every one is counted in {@code berth_limit_hits_total} when hit.
 *
 * @param maxConnectionsPerAddress open connections from one source address; 0 for no limit
 * @param connectsPerSecondPerAddress new connections per second from one source address (burst: twice
 *     as many); 0 for no limit
 * @param loginBackoffMaxMillis longest delay of the answer to a failed login; the delay doubles with
 *     each failure from the same address, from 100 ms
 * @param maxClientIdLength longest client id accepted, in characters
 * @param maxSubscriptionsPerSession subscriptions one session may hold
 * @param maxTopicLevels levels of a topic name or filter
 */
public record AbuseLimits(
        int maxConnectionsPerAddress,
        int connectsPerSecondPerAddress,
        long loginBackoffMaxMillis,
        int maxClientIdLength,
        int maxSubscriptionsPerSession,
        int maxTopicLevels) {

    public static final AbuseLimits DEFAULT = new AbuseLimits(1000, 200, 5000, 256, 10_000, 64);

    public AbuseLimits {
        check(maxConnectionsPerAddress >= 0, "max-connections-per-address", maxConnectionsPerAddress);
        check(connectsPerSecondPerAddress >= 0, "connect-rate-per-address", connectsPerSecondPerAddress);
        check(loginBackoffMaxMillis >= 0, "login-backoff-max-ms", loginBackoffMaxMillis);
        // [MQTT-3.1.3-5] a server must accept client ids of 1 to 23 characters
        check(maxClientIdLength >= 23 && maxClientIdLength <= 65_535, "max-client-id-length", maxClientIdLength);
        check(maxSubscriptionsPerSession >= 1, "max-subscriptions-per-session", maxSubscriptionsPerSession);
        check(maxTopicLevels >= 1, "max-topic-levels", maxTopicLevels);
    }

    private static void check(boolean ok, String key, long value) {
        if (!ok) {
            throw new IllegalArgumentException(key + ": out of range: " + value);
        }
    }

    public AbuseLimits withMaxConnectionsPerAddress(int v) {
        return new AbuseLimits(
                v,
                connectsPerSecondPerAddress,
                loginBackoffMaxMillis,
                maxClientIdLength,
                maxSubscriptionsPerSession,
                maxTopicLevels);
    }

    public AbuseLimits withConnectsPerSecondPerAddress(int v) {
        return new AbuseLimits(
                maxConnectionsPerAddress,
                v,
                loginBackoffMaxMillis,
                maxClientIdLength,
                maxSubscriptionsPerSession,
                maxTopicLevels);
    }

    public AbuseLimits withLoginBackoffMaxMillis(long v) {
        return new AbuseLimits(
                maxConnectionsPerAddress,
                connectsPerSecondPerAddress,
                v,
                maxClientIdLength,
                maxSubscriptionsPerSession,
                maxTopicLevels);
    }

    public AbuseLimits withMaxClientIdLength(int v) {
        return new AbuseLimits(
                maxConnectionsPerAddress,
                connectsPerSecondPerAddress,
                loginBackoffMaxMillis,
                v,
                maxSubscriptionsPerSession,
                maxTopicLevels);
    }

    public AbuseLimits withMaxSubscriptionsPerSession(int v) {
        return new AbuseLimits(
                maxConnectionsPerAddress,
                connectsPerSecondPerAddress,
                loginBackoffMaxMillis,
                maxClientIdLength,
                v,
                maxTopicLevels);
    }

    public AbuseLimits withMaxTopicLevels(int v) {
        return new AbuseLimits(
                maxConnectionsPerAddress,
                connectsPerSecondPerAddress,
                loginBackoffMaxMillis,
                maxClientIdLength,
                maxSubscriptionsPerSession,
                v);
    }
}
