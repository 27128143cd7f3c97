package io.berth.bench.scenario;

import io.berth.codec.MqttVersion;
import java.time.Duration;

/**
 * Sizes of every scenario, bounded: counts and a time limit per scenario and peer.
 *
 * @param version protocol of every client
 * @param publishers publishers of the online scenario
 * @param window unacknowledged publishes per publisher
 * @param payload payload bytes (at least {@link io.berth.bench.client.Payloads#HEADER})
 * @param onlineMessages messages of the online scenario, over all publishers
 * @param pacedSeconds length of the paced run at {@code pacedFraction} of the peer's own maximum rate
 * @param offlineSessions offline sessions of the fill-and-drain scenario
 * @param offlineMessages messages queued over all of them
 * @param restartSessions offline sessions of the restart scenario
 * @param restartMessages messages queued over all of them before the restart
 * @param idleSessions idle persistent sessions whose memory is measured
 * @param fanoutSubscribers persistent subscribers of the fan-out scenario
 * @param fanoutMessages messages published to all of them
 * @param warmupMessages messages of the warm-up that every throughput and latency scenario runs on the same
 *     broker before its measured phase (0: none, the scenario runs cold)
 * @param limit time limit of one scenario on one peer
 * @param batchedWrites how a windowed publisher writes what the acknowledgements of one read let it send:
 *     false, each publish to the socket at once (one write per message, as a device's client does); true,
 *     all of them in one write when the read ends (as an event-driven client does)
 */
public record Settings(
        MqttVersion version,
        int publishers,
        int window,
        int payload,
        long onlineMessages,
        int pacedSeconds,
        double pacedFraction,
        int offlineSessions,
        long offlineMessages,
        int restartSessions,
        long restartMessages,
        int idleSessions,
        int fanoutSubscribers,
        long fanoutMessages,
        long warmupMessages,
        Duration limit,
        boolean batchedWrites) {

    public Settings {
        if (publishers < 1 || window < 1 || offlineSessions < 1 || restartSessions < 1 || fanoutSubscribers < 1) {
            throw new IllegalArgumentException("counts must be positive");
        }
        if (warmupMessages < 0) {
            throw new IllegalArgumentException("warm-up messages must be 0 (no warm-up) or more");
        }
    }

    /** A few seconds per scenario: for the smoke test in {@code mvn verify}. */
    public static Settings smoke() {
        return new Settings(
                MqttVersion.V3_1_1,
                2,
                16,
                64,
                2_000,
                1,
                0.5,
                4,
                1_000,
                4,
                1_000,
                50,
                4,
                200,
                500,
                Duration.ofSeconds(20),
                false);
    }

    /** The published report's sizes. */
    public static Settings standard() {
        return new Settings(
                MqttVersion.V3_1_1,
                4,
                64,
                64,
                200_000,
                10,
                0.5,
                10,
                200_000,
                100,
                1_000_000,
                10_000,
                50,
                // 500,000 deliveries, a measured phase of seconds as the other scenarios have: 2,000
                // messages (100,000 deliveries) measured about 0.5 s, mostly the start and the end
                10_000,
                300_000,
                Duration.ofSeconds(150),
                false);
    }

    public Settings withVersion(MqttVersion v) {
        return new Settings(
                v,
                publishers,
                window,
                payload,
                onlineMessages,
                pacedSeconds,
                pacedFraction,
                offlineSessions,
                offlineMessages,
                restartSessions,
                restartMessages,
                idleSessions,
                fanoutSubscribers,
                fanoutMessages,
                warmupMessages,
                limit,
                batchedWrites);
    }
}
