package io.berth.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.berth.broker.auth.PasswordFile;
import io.berth.broker.auth.PasswordHasher;
import io.berth.broker.config.ListenerConfig;
import io.berth.broker.config.SecurityConfig;
import io.berth.codec.ConnackPacket;
import io.berth.codec.MqttProperties;
import io.berth.codec.MqttVersion;
import io.berth.codec.ReasonCode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Logins against a password file, the secure-by-default rule, and the failed-login back-off. */
class AuthenticationTest {
    /** Few iterations keep the tests fast; the format and the check are the same as with the default. */
    static final int TEST_ITERATIONS = 1000;

    @TempDir
    Path dir;

    private TestBroker broker;

    @AfterEach
    void stop() {
        if (broker != null) {
            broker.close();
        }
    }

    static Path passwords(Path dir, String... userPassword) throws Exception {
        PasswordFile f = PasswordFile.empty();
        for (int i = 0; i < userPassword.length; i += 2) {
            f = f.with(userPassword[i], PasswordHasher.hash(userPassword[i + 1].toCharArray(), TEST_ITERATIONS));
        }
        Path file = dir.resolve("passwd");
        f.write(file);
        return file;
    }

    private TestBroker withPasswords(Path file) {
        return new TestBroker(
                b -> b.security(SecurityConfig.DEFAULT.withPasswordFile(file).withReloadCheckMillis(50)));
    }

    private ConnackPacket login(MqttVersion v, String user, String password) throws Exception {
        try (RawClient c = RawClient.open(broker.port(), v)) {
            return c.connect("c-" + user, true, MqttProperties.EMPTY, null, user, password);
        }
    }

    @Test
    void rightPassword_isAccepted_onBothVersions() throws Exception {
        broker = withPasswords(passwords(dir, "alice", "s3cret"));
        assertThat(login(MqttVersion.V5, "alice", "s3cret").reasonCode()).isEqualTo(ReasonCode.SUCCESS);
        assertThat(login(MqttVersion.V3_1_1, "alice", "s3cret").reasonCode()).isEqualTo(ReasonCode.SUCCESS);
    }

    @Test
    void wrongPassword_isRefused_badUserNameOrPassword() throws Exception {
        broker = withPasswords(passwords(dir, "alice", "s3cret"));
        // 5.0: 0x86; 3.1.1: return code 4, which the decoder reads back as the same reason
        assertThat(login(MqttVersion.V5, "alice", "guess").reasonCode())
                .isEqualTo(ReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(login(MqttVersion.V3_1_1, "alice", "guess").reasonCode())
                .isEqualTo(ReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(login(MqttVersion.V5, "nobody", "s3cret").reasonCode())
                .isEqualTo(ReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(broker.berth().metrics().securityCount("berth_auth_failures_total", "wrong-password"))
                .isEqualTo(2);
    }

    @Test
    void noCredentials_withPasswordFile_isRefused_notAuthorized() throws Exception {
        broker = withPasswords(passwords(dir, "alice", "s3cret"));
        assertThat(login(MqttVersion.V5, null, null).reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
        assertThat(login(MqttVersion.V3_1_1, null, null).reasonCode()).isEqualTo(ReasonCode.NOT_AUTHORIZED);
        assertThat(login(MqttVersion.V5, "alice", null).reasonCode()).isEqualTo(ReasonCode.BAD_USER_NAME_OR_PASSWORD);
    }

    @Test
    void refusedConnect_isClosedWithoutAnythingElse() throws Exception {
        broker = withPasswords(passwords(dir, "alice", "s3cret"));
        try (RawClient c = RawClient.open(broker.port(), MqttVersion.V5)) {
            c.connect("x", true, MqttProperties.EMPTY, null, "alice", "wrong");
            // [MQTT-3.2.2-7] a CONNACK with a reason code of 0x80 or more is followed by the close
            assertThat(c.awaitClosed(Duration.ofSeconds(5))).isTrue();
        }
    }

    @Test
    void passwordFileChanges_applyWithoutRestart() throws Exception {
        Path file = passwords(dir, "alice", "s3cret");
        broker = withPasswords(file);
        assertThat(login(MqttVersion.V5, "bob", "pw").reasonCode()).isEqualTo(ReasonCode.BAD_USER_NAME_OR_PASSWORD);
        PasswordFile.read(file)
                .with("bob", PasswordHasher.hash("pw".toCharArray(), TEST_ITERATIONS))
                .write(file);
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(
                        () -> assertThat(login(MqttVersion.V5, "bob", "pw").reasonCode())
                                .isEqualTo(ReasonCode.SUCCESS));
    }

    @Test
    void failedLogins_slowDownTheNextOnes_fromTheSameAddress() throws Exception {
        broker = withPasswords(passwords(dir, "alice", "s3cret"));
        for (int i = 0; i < 4; i++) {
            login(MqttVersion.V5, "alice", "guess" + i);
        }
        // four failures: the next login waits 800 ms before it is even checked
        long start = System.nanoTime();
        assertThat(login(MqttVersion.V5, "alice", "s3cret").reasonCode()).isEqualTo(ReasonCode.SUCCESS);
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(700));
        // the success cleared the address
        start = System.nanoTime();
        login(MqttVersion.V5, "alice", "s3cret");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(700));
    }

    @Test
    void anonymous_isAllowed_whenEveryListenerIsLoopback_andNoPasswordFile() throws Exception {
        broker = new TestBroker();
        assertThat(login(MqttVersion.V5, null, null).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
    }

    @Test
    void networkListener_withoutAuthentication_refusesToStart() {
        SecurityConfig open = SecurityConfig.DEFAULT.withListeners(List.of(ListenerConfig.tcp("0.0.0.0", 0)));
        assertThatThrownBy(() -> Berth.builder()
                        .dataDir(dir)
                        .configure(b -> b.security(open))
                        .store(new io.berth.broker.store.memory.MemorySessionStore())
                        .build()
                        .start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("allow-anonymous: true");
    }

    @Test
    void networkListener_withAllowAnonymous_starts() throws Exception {
        SecurityConfig open = SecurityConfig.DEFAULT
                .withListeners(List.of(ListenerConfig.tcp("0.0.0.0", 0)))
                .withAllowAnonymous(true);
        broker = new TestBroker(b -> b.security(open));
        assertThat(login(MqttVersion.V3_1_1, null, null).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
    }

    @Test
    void passwordFile_storesSaltedSlowHashes_neverThePassword() throws Exception {
        Path file = passwords(dir, "alice", "s3cret", "bob", "s3cret");
        String text = Files.readString(file);
        assertThat(text).doesNotContain("s3cret").contains("alice:$pbkdf2-sha512$");
        PasswordFile f = PasswordFile.read(file);
        assertThat(f.hashOf("alice")).isNotEqualTo(f.hashOf("bob"));
        assertThat(PasswordHasher.hash("x".toCharArray())).contains("$" + PasswordHasher.DEFAULT_ITERATIONS + "$");
    }
}
