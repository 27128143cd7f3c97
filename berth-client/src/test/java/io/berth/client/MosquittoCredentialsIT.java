package io.berth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.berth.codec.MqttVersion;
import io.berth.codec.QoS;
import io.berth.codec.ReasonCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * User name and password against Debian's mosquitto with a password file written by
 * {@code mosquitto_passwd}: mosquitto, not this client, decides whether they are right.
 */
class MosquittoCredentialsIT {
    private static final Path PASSWD = Path.of("/usr/bin/mosquitto_passwd");

    @TempDir
    Path dir;

    private MosquittoBroker broker;
    private final List<MqttClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        assumeTrue(MosquittoBroker.isInstalled() && Files.isExecutable(PASSWD), "mosquitto is not installed");
        Path passwords = dir.resolve("passwords");
        Process p = new ProcessBuilder(PASSWD.toString(), "-b", "-c", passwords.toString(), "alice", "alice-pw")
                .redirectErrorStream(true)
                .start();
        assertThat(p.waitFor()).as("mosquitto_passwd").isZero();
        broker = MosquittoBroker.start(
                dir,
                List.of(
                        // as root, mosquitto would switch to its own user, which cannot read the password file
                        "user " + System.getProperty("user.name"),
                        "allow_anonymous false",
                        "password_file " + passwords));
    }

    @AfterEach
    void stop() throws Exception {
        clients.forEach(MqttClient::close);
        if (broker != null) {
            broker.close();
        }
    }

    private MqttClient client(String id, MqttVersion version, String password) {
        MqttClient c = MqttClient.builder()
                .serverAddress("127.0.0.1", broker.port())
                .clientId(id)
                .version(version)
                .credentials("alice", password)
                .build();
        clients.add(c);
        return c;
    }

    @Test
    void rightPassword_connectsAndPublishes() {
        MqttClient c = client("alice-ok", MqttVersion.V5, "alice-pw");
        c.connect().join();
        Received received = new Received();
        c.subscribe("pw/#", QoS.AT_LEAST_ONCE, received).join();
        c.publish(Message.of("pw/x", "hello", QoS.AT_LEAST_ONCE)).join();
        org.awaitility.Awaitility.await().until(() -> received.count("hello") == 1);
    }

    @Test
    void wrongPassword_v5_isRefusedWithTheBrokersReasonCode() {
        MqttClient c = client("alice-bad", MqttVersion.V5, "nope");
        assertThatThrownBy(() -> c.connect().join())
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOfSatisfying(
                        MqttClientException.class,
                        e -> assertThat(e.reasonCode())
                                .isIn(ReasonCode.BAD_USER_NAME_OR_PASSWORD, ReasonCode.NOT_AUTHORIZED));
        assertThat(c.isConnected()).isFalse();
    }

    @Test
    void wrongPassword_v311_isRefusedWithReturnCode5() {
        MqttClient c = client("alice-bad-311", MqttVersion.V3_1_1, "nope");
        // return code 5, Connection Refused, not authorized
        assertThatThrownBy(() -> c.connect().join())
                .isInstanceOf(CompletionException.class)
                .cause()
                .isInstanceOfSatisfying(
                        MqttClientException.class,
                        e -> assertThat(e.reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED));
        assertThat(c.isConnected()).isFalse();
    }
}
