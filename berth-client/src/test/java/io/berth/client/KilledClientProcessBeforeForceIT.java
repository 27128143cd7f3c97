package io.berth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.client.internal.SessionLogReader;
import io.berth.client.internal.UnforcedPublisherProcess;
import io.berth.client.store.ClientSessionStore;
import io.berth.client.store.StoredSession;
import io.berth.codec.ConnackPacket;
import io.berth.codec.ConnectPacket;
import io.berth.codec.MqttProperties;
import io.berth.codec.MqttVersion;
import io.berth.codec.PubackPacket;
import io.berth.codec.PubcompPacket;
import io.berth.codec.PublishPacket;
import io.berth.codec.PubrecPacket;
import io.berth.codec.PubrelPacket;
import io.berth.codec.QoS;
import io.berth.codec.ReasonCode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The order of ADR 0016 with a real crash: a client process whose file store writes every record but never
 * finishes a force, killed with SIGKILL, then a client restarted on its file. Its QoS 1 PUBLISHes went out
 * before their records were forced; the broker acknowledged one of them before the kill (its future
 * completed, its {@code stored()} never did), and the other is sent again after the restart with DUP=1 and
 * the packet identifier of its record. Its QoS 2 PUBLISH never left before the kill, although its record
 * was written: it waits for the force; after the restart it is sent and completes its exchange once.
 */
class KilledClientProcessBeforeForceIT {
    private static final ConnackPacket NEW_SESSION = new ConnackPacket(false, ReasonCode.SUCCESS, MqttProperties.EMPTY);
    private static final ConnackPacket RESUMED = new ConnackPacket(true, ReasonCode.SUCCESS, MqttProperties.EMPTY);

    @TempDir
    Path dir;

    private final ScriptedBroker broker = new ScriptedBroker(MqttVersion.V5);
    private Process child;

    KilledClientProcessBeforeForceIT() throws IOException {}

    @AfterEach
    void stop() throws IOException {
        if (child != null) {
            child.destroyForcibly();
        }
        broker.close();
    }

    private List<String> startChild(Path store) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        child = new ProcessBuilder(
                        java,
                        "-cp",
                        System.getProperty("java.class.path"),
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                        UnforcedPublisherProcess.class.getName(),
                        String.valueOf(broker.port()),
                        store.toString())
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        List<String> lines = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(
                () -> {
                    try (BufferedReader r =
                            new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                        for (String line = r.readLine(); line != null; line = r.readLine()) {
                            lines.add(line);
                        }
                    } catch (IOException ignored) {
                        // the process died
                    }
                },
                "child-output");
        reader.setDaemon(true);
        reader.start();
        return lines;
    }

    private static String payload(PublishPacket p) {
        return new String(p.payload(), StandardCharsets.UTF_8);
    }

    @Test
    void qos1SentBeforeItsForce_isAcknowledgedOrResentAfterSigkill_qos2WaitsForTheStore() throws Exception {
        Path store = dir.resolve("unforced.session");
        List<String> lines = startChild(store);
        broker.accept();
        broker.expect(ConnectPacket.class);
        broker.send(NEW_SESSION);

        PublishPacket q1a = broker.expect(PublishPacket.class);
        PublishPacket q1b = broker.expect(PublishPacket.class);
        assertThat(List.of(payload(q1a), payload(q1b))).containsExactly("q1a", "q1b");
        assertThat(q1a.qos()).isEqualTo(QoS.AT_LEAST_ONCE);
        broker.send(PubackPacket.of(q1a.packetId()));
        await().atMost(Duration.ofSeconds(30)).until(() -> lines.contains("acknowledged q1a"));
        // every record is written to the OS (a SIGKILL keeps it), none was forced
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            StoredSession s = SessionLogReader.read(store);
            return s.messages().size() == 2 && s.messages().stream().allMatch(m -> m.packetId() != 0);
        });
        assertThat(broker.silentFor(300))
                .as("no QoS 2 PUBLISH before its packet identifier is forced")
                .isTrue();
        assertThat(lines).as("nothing reported stored").noneMatch(l -> l.startsWith("stored "));

        child.destroyForcibly(); // SIGKILL on Linux
        assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();

        try (MqttClient restarted = MqttClient.builder()
                .serverAddress("127.0.0.1", broker.port())
                .clientId("unforced-publisher")
                .cleanStart(false)
                .sessionExpiry(Duration.ofMinutes(5))
                .keepAlive(Duration.ZERO)
                .sessionStore(ClientSessionStore.file(store))
                .build()) {
            CompletableFuture<ConnectResult> connected = restarted.connect();
            broker.accept();
            broker.expect(ConnectPacket.class);
            broker.send(RESUMED);
            assertThat(connected.get(30, TimeUnit.SECONDS).sessionPresent()).isTrue();
            PublishPacket again = broker.expect(PublishPacket.class);
            assertThat(payload(again))
                    .as("q1a was acknowledged: not sent again")
                    .isEqualTo("q1b");
            assertThat(again.dup()).isTrue();
            assertThat(again.packetId()).isEqualTo(q1b.packetId());
            PublishPacket q2 = broker.expect(PublishPacket.class);
            assertThat(payload(q2)).isEqualTo("q2");
            assertThat(q2.qos()).isEqualTo(QoS.EXACTLY_ONCE);
            broker.send(PubackPacket.of(again.packetId()), PubrecPacket.of(q2.packetId()));
            assertThat(broker.expect(PubrelPacket.class).packetId()).isEqualTo(q2.packetId());
            broker.send(PubcompPacket.of(q2.packetId()));
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> SessionLogReader.read(store).messages().isEmpty());
        }
    }
}
