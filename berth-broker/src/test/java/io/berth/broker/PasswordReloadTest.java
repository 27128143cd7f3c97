package io.berth.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.broker.auth.PasswordFile;
import io.berth.broker.auth.PasswordHasher;
import io.berth.broker.config.SecurityConfig;
import io.berth.codec.DisconnectPacket;
import io.berth.codec.MqttProperties;
import io.berth.codec.MqttVersion;
import io.berth.codec.QoS;
import io.berth.codec.ReasonCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A changed password file applies to open connections too; a broken one is reported. */
class PasswordReloadTest {
    @TempDir
    Path dir;

    private TestBroker broker;
    private Path file;

    @AfterEach
    void stop() {
        broker.close();
    }

    private void start(String... userPassword) throws Exception {
        file = AuthenticationTest.passwords(dir, userPassword);
        broker = new TestBroker(
                b -> b.security(SecurityConfig.DEFAULT.withPasswordFile(file).withReloadCheckMillis(50)));
    }

    private RawClient login(MqttVersion v, String user, String password) throws Exception {
        return RawClient.loggedIn(broker.port(), v, "c-" + user + v, true, MqttProperties.EMPTY, user, password);
    }

    @Test
    void removedUser_losesItsOpenConnections_withAdministrativeAction() throws Exception {
        start("u", "pw", "v", "pw");
        try (RawClient u5 = login(MqttVersion.V5, "u", "pw");
                RawClient u3 = login(MqttVersion.V3_1_1, "u", "pw");
                RawClient v = login(MqttVersion.V5, "v", "pw")) {
            PasswordFile.read(file).without("u").write(file);
            // 5.0: DISCONNECT 0x98 Administrative action; 3.1.1 has no DISCONNECT from the server: closed
            assertThat(u5.expect(DisconnectPacket.class).reasonCode()).isEqualTo(ReasonCode.ADMINISTRATIVE_ACTION);
            assertThat(u3.awaitClosed(Duration.ofSeconds(5))).isTrue();
            // another user keeps its connection
            assertThat(v.subscribe(1, "a", QoS.AT_MOST_ONCE).reasonCodes()).containsExactly(ReasonCode.SUCCESS);
        }
    }

    @Test
    void changedPassword_endsTheConnectionsLoggedInWithTheOldOne() throws Exception {
        start("u", "old");
        try (RawClient u = login(MqttVersion.V5, "u", "old")) {
            PasswordFile.read(file)
                    .with("u", PasswordHasher.hash("new".toCharArray(), AuthenticationTest.TEST_ITERATIONS))
                    .write(file);
            assertThat(u.expect(DisconnectPacket.class).reasonCode()).isEqualTo(ReasonCode.ADMINISTRATIVE_ACTION);
        }
        try (RawClient u = login(MqttVersion.V5, "u", "new")) {
            assertThat(u.subscribe(1, "a", QoS.AT_MOST_ONCE).reasonCodes()).containsExactly(ReasonCode.SUCCESS);
        }
    }

    @Test
    void brokenOrDeletedFile_isCountedAndTheOldUsersStay() throws Exception {
        start("u", "pw");
        Files.writeString(file, "u:not-a-hash\n");
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        broker.berth().metrics().securityCount("berth_reload_failures_total", "password file") >= 1);
        Files.delete(file);
        await().atMost(Duration.ofSeconds(10))
                .until(() ->
                        broker.berth().metrics().securityCount("berth_reload_failures_total", "password file") >= 2);
        try (RawClient u = login(MqttVersion.V5, "u", "pw")) {
            assertThat(u.subscribe(1, "a", QoS.AT_MOST_ONCE).reasonCodes()).containsExactly(ReasonCode.SUCCESS);
        }
    }
}
