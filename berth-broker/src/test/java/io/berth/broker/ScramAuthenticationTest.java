package io.berth.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.broker.auth.PasswordFile;
import io.berth.broker.auth.PasswordHasher;
import io.berth.broker.auth.ScramCredentials;
import io.berth.broker.config.SecurityConfig;
import io.berth.codec.AuthPacket;
import io.berth.codec.ConnackPacket;
import io.berth.codec.ConnectPacket;
import io.berth.codec.MqttProperties;
import io.berth.codec.MqttVersion;
import io.berth.codec.ReasonCode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.SecretKeyFactory;
import javax.crypto.spec.PBEKeySpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MQTT 5.0 enhanced authentication with SCRAM-SHA-256, the client side computed here from RFC 5802. */
class ScramAuthenticationTest {
    private static final String METHOD = "SCRAM-SHA-256";
    private static final int ITERATIONS = 4096;

    @TempDir
    Path dir;

    private TestBroker broker;

    @BeforeEach
    void start() throws Exception {
        Path file = dir.resolve("passwd");
        PasswordFile.empty()
                .with(
                        "alice",
                        PasswordHasher.hash("pencil".toCharArray(), 1000),
                        ScramCredentials.derive("pencil".toCharArray(), ITERATIONS))
                .write(file);
        broker = new TestBroker(b -> b.security(SecurityConfig.DEFAULT.withPasswordFile(file)));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    /** Runs the exchange; returns the CONNACK (its server signature already checked on success). */
    private ConnackPacket scram(RawClient c, String user, String password) throws Exception {
        String clientFirstBare = "n=" + user + ",r=fyko+d2lbbFgONRv9qkxdawL";
        c.send(new ConnectPacket(
                MqttVersion.V5,
                "scram-" + user,
                true,
                60,
                null,
                null,
                null,
                MqttProperties.builder()
                        .authenticationMethod(METHOD)
                        .authenticationData(bytes("n,," + clientFirstBare))
                        .build()));
        AuthPacket challenge = c.expect(AuthPacket.class);
        assertThat(challenge.reasonCode()).isEqualTo(ReasonCode.CONTINUE_AUTHENTICATION);
        String serverFirst = new String(challenge.properties().authenticationData(), StandardCharsets.UTF_8);
        String nonce = attr(serverFirst, "r");
        byte[] salt = Base64.getDecoder().decode(attr(serverFirst, "s"));
        int iterations = Integer.parseInt(attr(serverFirst, "i"));
        String withoutProof = "c=biws,r=" + nonce;
        String authMessage = clientFirstBare + "," + serverFirst + "," + withoutProof;
        byte[] salted = SecretKeyFactory.getInstance("PBKDF2WithHmacSHA256")
                .generateSecret(new PBEKeySpec(password.toCharArray(), salt, iterations, 256))
                .getEncoded();
        byte[] clientKey = hmac(salted, "Client Key");
        byte[] signature = hmac(MessageDigest.getInstance("SHA-256").digest(clientKey), authMessage);
        byte[] proof = new byte[clientKey.length];
        for (int i = 0; i < proof.length; i++) {
            proof[i] = (byte) (clientKey[i] ^ signature[i]);
        }
        c.send(new AuthPacket(
                ReasonCode.CONTINUE_AUTHENTICATION,
                MqttProperties.builder()
                        .authenticationMethod(METHOD)
                        .authenticationData(
                                bytes(withoutProof + ",p=" + Base64.getEncoder().encodeToString(proof)))
                        .build()));
        ConnackPacket ack = c.expect(ConnackPacket.class);
        if (ack.reasonCode() == ReasonCode.SUCCESS) {
            // the server proves it knows the keys too
            String expected = "v=" + Base64.getEncoder().encodeToString(hmac(hmac(salted, "Server Key"), authMessage));
            assertThat(ack.properties().authenticationMethod()).isEqualTo(METHOD);
            assertThat(new String(ack.properties().authenticationData(), StandardCharsets.UTF_8))
                    .isEqualTo(expected);
        }
        return ack;
    }

    @Test
    void rightPassword_completesTheExchange_andTheServerProvesItself() throws Exception {
        try (RawClient c = RawClient.open(broker.port(), MqttVersion.V5)) {
            assertThat(scram(c, "alice", "pencil").reasonCode()).isEqualTo(ReasonCode.SUCCESS);
            assertThat(c.subscribe(1, "a", io.berth.codec.QoS.AT_MOST_ONCE).reasonCodes())
                    .containsExactly(ReasonCode.SUCCESS);
        }
    }

    @Test
    void wrongPassword_orUnknownUser_isRefused0x86() throws Exception {
        try (RawClient c = RawClient.open(broker.port(), MqttVersion.V5)) {
            assertThat(scram(c, "alice", "pen").reasonCode()).isEqualTo(ReasonCode.BAD_USER_NAME_OR_PASSWORD);
        }
        try (RawClient c = RawClient.open(broker.port(), MqttVersion.V5)) {
            assertThat(scram(c, "mallory", "pencil").reasonCode()).isEqualTo(ReasonCode.BAD_USER_NAME_OR_PASSWORD);
        }
    }

    @Test
    void otherMethods_areRefused0x8C() throws Exception {
        try (RawClient c = RawClient.open(broker.port(), MqttVersion.V5)) {
            c.send(new ConnectPacket(
                    MqttVersion.V5,
                    "k",
                    true,
                    60,
                    null,
                    null,
                    null,
                    MqttProperties.builder().authenticationMethod("KERBEROS").build()));
            assertThat(c.expect(ConnackPacket.class).reasonCode()).isEqualTo(ReasonCode.BAD_AUTHENTICATION_METHOD);
        }
    }

    private static String attr(String message, String name) {
        for (String a : message.split(",")) {
            if (a.startsWith(name + "=")) {
                return a.substring(name.length() + 1);
            }
        }
        throw new AssertionError("no " + name + " in " + message);
    }

    private static byte[] hmac(byte[] key, String data) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(key, "HmacSHA256"));
        return mac.doFinal(bytes(data));
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
