package io.berth.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.broker.auth.PasswordFile;
import io.berth.broker.auth.PasswordHasher;
import io.berth.broker.auth.ScramCredentials;
import io.berth.broker.config.SecurityConfig;
import io.berth.codec.AuthPacket;
import io.berth.codec.ConnectPacket;
import io.berth.codec.MqttProperties;
import io.berth.codec.MqttVersion;
import io.berth.codec.ReasonCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Logins under a flood of wrong passwords from one address: the other addresses still log in, a login
 * waiting for its turn is not closed by the connect timeout, and SCRAM takes turns like passwords.
 */
class LoginFloodTest {
    /** Slow enough that a flood fills the hashing threads, as the default iteration count does. */
    private static final int SLOW_ITERATIONS = 100_000;

    @TempDir
    Path dir;

    private TestBroker broker;
    private final List<RawClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        clients.forEach(RawClient::close);
        broker.close();
    }

    private void start(int iterations, UnaryOperator<SecurityConfig> security) throws Exception {
        Path file = dir.resolve("passwd");
        PasswordFile.empty()
                .with(
                        "alice",
                        PasswordHasher.hash("s3cret".toCharArray(), iterations),
                        ScramCredentials.derive("s3cret".toCharArray(), 4096))
                .write(file);
        broker = new TestBroker(b ->
                b.connectTimeoutSeconds(1).security(security.apply(SecurityConfig.DEFAULT.withPasswordFile(file))));
    }

    private RawClient from(String address) throws Exception {
        RawClient c = RawClient.openFrom(address, broker.port(), MqttVersion.V5);
        clients.add(c);
        return c;
    }

    private static ConnectPacket connect(String clientId, String user, String password) {
        return new ConnectPacket(
                MqttVersion.V5,
                clientId,
                true,
                60,
                user,
                password.getBytes(StandardCharsets.UTF_8),
                null,
                MqttProperties.EMPTY);
    }

    @Test
    void wrongPasswordFlood_fromOneAddress_doesNotLockOutAnotherAddress() throws Exception {
        start(SLOW_ITERATIONS, s -> s);
        // 300 wrong-password logins at once from one address: seconds of hashing in all
        for (int i = 0; i < 300; i++) {
            from("127.70.0.1").send(connect("flood-" + i, "alice", "wrong" + i));
        }
        // the other address is served at its turn, before the flood's queue has drained, and its wait
        // does not count against the connect timeout (1 s here)
        RawClient alice = from("127.70.0.2");
        assertThat(alice.connect("alice", true, MqttProperties.EMPTY, null, "alice", "s3cret")
                        .reasonCode())
                .isEqualTo(ReasonCode.SUCCESS);
    }

    @Test
    void loginWaitingOutTheBackoff_isNotClosedByTheConnectTimeout() throws Exception {
        start(1000, s -> s);
        for (int i = 0; i < 5; i++) {
            try (RawClient c = RawClient.openFrom("127.70.1.1", broker.port(), MqttVersion.V5)) {
                assertThat(c.connect("g" + i, true, MqttProperties.EMPTY, null, "alice", "guess")
                                .reasonCode())
                        .isEqualTo(ReasonCode.BAD_USER_NAME_OR_PASSWORD);
            }
        }
        // five failures: the next login waits 1.6 s for its turn, longer than the 1 s connect timeout
        RawClient c = from("127.70.1.1");
        assertThat(c.connect("ok", true, MqttProperties.EMPTY, null, "alice", "s3cret")
                        .reasonCode())
                .isEqualTo(ReasonCode.SUCCESS);
    }

    private static ConnectPacket scramConnect(String clientId, String user) {
        return new ConnectPacket(
                MqttVersion.V5,
                clientId,
                true,
                60,
                null,
                null,
                null,
                MqttProperties.builder()
                        .authenticationMethod("SCRAM-SHA-256")
                        .authenticationData(("n,,n=" + user + ",r=abcdefghijkl").getBytes(StandardCharsets.UTF_8))
                        .build());
    }

    @Test
    void scramExchanges_takeTurnsPerAddress_likePasswordLogins() throws Exception {
        start(1000, s -> s.withAbuse(s.abuse().withLoginsInFlightPerAddress(1)));
        RawClient first = from("127.70.2.1");
        first.send(scramConnect("s1", "alice"));
        assertThat(first.expect(AuthPacket.class).reasonCode()).isEqualTo(ReasonCode.CONTINUE_AUTHENTICATION);
        // the first exchange holds the address's only place: the second is not answered meanwhile
        RawClient second = from("127.70.2.1");
        second.send(scramConnect("s2", "alice"));
        second.expectNothing(Duration.ofMillis(500));
        // another address is not held up
        RawClient other = from("127.70.2.2");
        other.send(scramConnect("s3", "alice"));
        assertThat(other.expect(AuthPacket.class).reasonCode()).isEqualTo(ReasonCode.CONTINUE_AUTHENTICATION);
        // the first exchange fails: the second gets its turn, after the back-off of that failure
        first.send(new AuthPacket(
                ReasonCode.CONTINUE_AUTHENTICATION,
                MqttProperties.builder()
                        .authenticationMethod("SCRAM-SHA-256")
                        .authenticationData("c=biws,r=wrong,p=AAAA".getBytes(StandardCharsets.UTF_8))
                        .build()));
        assertThat(first.awaitClosed(Duration.ofSeconds(5))).isTrue();
        assertThat(second.expect(AuthPacket.class).reasonCode()).isEqualTo(ReasonCode.CONTINUE_AUTHENTICATION);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> broker.berth().metrics().securityCount("berth_auth_failures_total", "scram") == 1);
    }
}
