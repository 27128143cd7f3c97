package io.berth.broker.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The server side of SCRAM-SHA-256 does not tell which users exist. */
class ScramServerTest {
    private static final byte[] SECRET = "a secret of the broker, 32 bytes".getBytes(StandardCharsets.US_ASCII);

    private static String saltOf(String serverFirst) {
        for (String attr : serverFirst.split(",")) {
            if (attr.startsWith("s=")) {
                return attr.substring(2);
            }
        }
        throw new AssertionError(serverFirst);
    }

    private static String first(String user) {
        ScramServer s = new ScramServer(u -> null, SECRET);
        return new String(
                s.first(("n,,n=" + user + ",r=nonce123").getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    @Test
    void unknownUser_getsTheSameSaltAtEveryAttempt_withTheDefaultIterations() {
        assertThat(saltOf(first("nosuch"))).isEqualTo(saltOf(first("nosuch")));
        assertThat(saltOf(first("nosuch"))).isNotEqualTo(saltOf(first("other")));
        assertThat(first("nosuch")).endsWith(",i=" + ScramCredentials.DEFAULT_ITERATIONS);
    }

    @Test
    void anotherSecret_givesOtherSalts() {
        byte[] other = "another secret of the broker, 32".getBytes(StandardCharsets.US_ASCII);
        assertThat(ScramServer.mockSalt(other, "nosuch")).isNotEqualTo(ScramServer.mockSalt(SECRET, "nosuch"));
        assertThat(ScramServer.mockSalt(SECRET, "nosuch")).hasSize(16);
    }
}
