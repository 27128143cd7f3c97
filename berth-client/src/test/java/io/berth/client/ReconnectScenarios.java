package io.berth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.berth.client.store.ClientSessionStore;
import io.berth.codec.QoS;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reconnects resume the session and lose nothing, with the durable store, through repeated cuts. */
abstract class ReconnectScenarios {
    /** The broker these scenarios run against. */
    abstract TestBroker.Kind kind();

    @TempDir
    Path dir;

    private TestBroker broker;
    private CuttableProxy proxy;
    private final List<MqttClient> clients = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        assumeTrue(kind().available(), kind() + " is not available");
        broker = kind().start(dir);
        proxy = new CuttableProxy(broker.port());
    }

    @AfterEach
    void stop() throws Exception {
        clients.forEach(MqttClient::close);
        if (proxy != null) {
            proxy.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private MqttClientBuilder client(String id, int port) throws Exception {
        return MqttClient.builder()
                .serverAddress("127.0.0.1", port)
                .clientId(id)
                .cleanStart(false)
                .sessionExpiry(Duration.ofMinutes(5))
                .reconnectDelay(Duration.ofMillis(10), Duration.ofMillis(100))
                .sessionStore(ClientSessionStore.file(dir.resolve(id + ".session")));
    }

    private MqttClient start(MqttClientBuilder b) {
        MqttClient c = b.build();
        clients.add(c);
        c.connect().join();
        return c;
    }

    @Test
    void repeatedCutsOnBothSides_nothingLostAndQos2NeverTwice() throws Exception {
        Received received = new Received();
        AtomicInteger reconnects = new AtomicInteger();
        MqttClient sub = start(client("sub", proxy.port()).connectionListener(new ConnectionListener() {
            @Override
            public void onConnected(ConnectResult r) {
                reconnects.incrementAndGet();
            }
        }));
        sub.subscribe("r/#", QoS.EXACTLY_ONCE, received).join();
        MqttClient pub = start(client("pub", proxy.port()));

        List<PublishFuture> futures = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            futures.add(pub.publish(Message.of("r/" + (i % 2 + 1), "m" + i, QoS.values()[i % 2 + 1])));
            if (i % 400 == 200) {
                proxy.cutAll();
            }
        }

        futures.forEach(f -> f.join());
        await().atMost(Duration.ofSeconds(30)).until(() -> received.distinct() == 2_000);
        assertThat(proxy.cuts()).isEqualTo(5);
        assertThat(reconnects.get()).isGreaterThan(1);
        for (int i = 1; i < 2_000; i += 2) { // odd i: QoS 2 (even i are QoS 1, which may arrive twice)
            assertThat(received.count("m" + i)).as("QoS 2 message m%d", i).isEqualTo(1);
        }
    }

    @Test
    void publishWhileOffline_isSentAfterReconnect() throws Exception {
        Received received = new Received();
        start(client("sub2", broker.port()))
                .subscribe("o/#", QoS.AT_LEAST_ONCE, received)
                .join();
        List<ConnectResult> connects = new CopyOnWriteArrayList<>();
        MqttClient pub = start(client("pub2", proxy.port())
                .reconnectDelay(Duration.ofMillis(300), Duration.ofMillis(300))
                .connectionListener(new ConnectionListener() {
                    @Override
                    public void onConnected(ConnectResult r) {
                        connects.add(r);
                    }
                }));
        proxy.cutAll();
        await().until(() -> !pub.isConnected());

        PublishFuture f = pub.publish(Message.of("o/1", "offline", QoS.EXACTLY_ONCE));
        f.stored().join();
        assertThat(f).isNotDone();

        f.join();
        await().until(() -> received.count("offline") == 1);
        assertThat(connects).hasSize(2);
        assertThat(connects.get(1).sessionPresent()).isTrue();
    }
}
