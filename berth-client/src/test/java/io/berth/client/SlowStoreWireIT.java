package io.berth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.berth.client.store.ClientSessionStore;
import io.berth.client.store.SessionChange;
import io.berth.client.store.StoredSession;
import io.berth.codec.ConnackPacket;
import io.berth.codec.ConnectPacket;
import io.berth.codec.MqttProperties;
import io.berth.codec.MqttVersion;
import io.berth.codec.PubackPacket;
import io.berth.codec.PublishPacket;
import io.berth.codec.QoS;
import io.berth.codec.ReasonCode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What goes on the wire while the session store is still writing: a QoS 1 PUBLISH goes out at once and
 * its PUBACK completes its future before {@code stored()}; a QoS 2 PUBLISH waits for the store (ADR 0016).
 */
class SlowStoreWireIT {
    /** A store whose appends complete only when the test opens the gate. */
    private static final class GatedStore implements ClientSessionStore {
        final List<CompletableFuture<Void>> held = new CopyOnWriteArrayList<>();
        final List<SessionChange> changes = new CopyOnWriteArrayList<>();

        @Override
        public StoredSession load() {
            return StoredSession.EMPTY;
        }

        @Override
        public CompletableFuture<Void> append(List<SessionChange> c) {
            changes.addAll(c);
            CompletableFuture<Void> f = new CompletableFuture<>();
            held.add(f);
            return f;
        }

        void open() {
            held.forEach(f -> f.complete(null));
        }

        /** As a real store: what was appended is written and forced before it closes. */
        @Override
        public void close() {
            open();
        }
    }

    private ScriptedBroker broker;
    private MqttClient client;
    private final GatedStore store = new GatedStore();

    @BeforeEach
    void start() throws Exception {
        broker = new ScriptedBroker(MqttVersion.V5);
        client = MqttClient.builder()
                .serverAddress("127.0.0.1", broker.port())
                .clientId("slow-store")
                .keepAlive(Duration.ZERO)
                .sessionStore(store)
                .build();
        CompletableFuture<ConnectResult> done = client.connect();
        broker.accept();
        broker.expect(ConnectPacket.class);
        broker.send(new ConnackPacket(false, ReasonCode.SUCCESS, MqttProperties.EMPTY));
        done.join();
    }

    @AfterEach
    void stop() throws Exception {
        store.open();
        client.close();
        broker.close();
    }

    @Test
    void qos1_publishGoesOutBeforeTheStoreIsDone_andItsPubackCompletesTheFutureBeforeStored() throws Exception {
        PublishFuture f = client.publish(Message.of("slow/1", "one", QoS.AT_LEAST_ONCE));

        PublishPacket p = broker.expect(PublishPacket.class);
        assertThat(f.stored()).isNotDone();
        broker.send(PubackPacket.of(p.packetId()));
        f.get(10, TimeUnit.SECONDS); // acknowledged: the broker has it, whatever the store is doing
        assertThat(f.stored()).as("acknowledged, but not yet on disk").isNotDone();
        await().atMost(Duration.ofSeconds(10)).until(() -> store.changes.size() == 3); // PUBACK recorded
        assertThat(store.changes)
                .hasExactlyElementsOfTypes(
                        SessionChange.MessageAdded.class,
                        SessionChange.PacketIdAssigned.class,
                        SessionChange.MessageRemoved.class);

        store.open();
        f.stored().get(10, TimeUnit.SECONDS);
    }

    @Test
    void qos1_clientClosedAfterThePubackBeforeTheStoreIsDone_storedStillCompletes() throws Exception {
        PublishFuture f = client.publish(Message.of("slow/1", "one", QoS.AT_LEAST_ONCE));
        PublishPacket p = broker.expect(PublishPacket.class);
        broker.send(PubackPacket.of(p.packetId()));
        f.get(10, TimeUnit.SECONDS);
        assertThat(f.stored()).isNotDone();

        client.close(); // closes the store, which finishes its appends, while the client's loop still runs

        f.stored().get(10, TimeUnit.SECONDS);
    }

    @Test
    void qos2_publishWaitsUntilItsPacketIdentifierIsDurable() throws Exception {
        PublishFuture f = client.publish(Message.of("slow/2", "two", QoS.EXACTLY_ONCE));

        assertThat(broker.silentFor(300))
                .as("no PUBLISH before the store is done")
                .isTrue();
        store.open();
        PublishPacket p = broker.expect(PublishPacket.class);
        assertThat(p.qos()).isEqualTo(QoS.EXACTLY_ONCE);
        assertThat(p.dup()).isFalse();
        assertThat(f.stored()).isCompleted(); // completed on the event loop before the PUBLISH was written
        assertThat(f).isNotDone();
    }
}
