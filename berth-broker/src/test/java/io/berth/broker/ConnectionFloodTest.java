package io.berth.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.broker.config.AbuseLimits;
import io.berth.broker.config.SecurityConfig;
import io.berth.codec.ConnectPacket;
import io.berth.codec.MqttProperties;
import io.berth.codec.MqttVersion;
import io.berth.codec.PubackPacket;
import io.berth.codec.PublishPacket;
import io.berth.codec.QoS;
import io.berth.codec.ReasonCode;
import io.berth.codec.Will;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Floods of malformed and half-open connections punish the flooding connections, not the clients that
 * connect correctly, even from the same address; what unauthenticated connections may buffer is capped.
 */
class ConnectionFloodTest {
    private TestBroker broker;

    @AfterEach
    void stop() {
        broker.close();
    }

    private void start(UnaryOperator<AbuseLimits> limits) {
        broker = new TestBroker(b -> b.connectTimeoutSeconds(2)
                .security(SecurityConfig.DEFAULT.withAbuse(limits.apply(AbuseLimits.DEFAULT))));
    }

    /** One hostile connection from 127.0.0.1: garbage, a half CONNECT left hanging, or nothing at all. */
    private static void hostile(int port, int kind, List<Socket> hanging) throws Exception {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
        OutputStream out = s.getOutputStream();
        switch (kind % 3) {
            case 0 -> out.write(new byte[] {(byte) 0xF0, 0x00, 0x00}); // reserved packet type 15
            case 1 -> out.write(new byte[] {0x10, 0x7F, 0x00, 0x04}); // CONNECT header, then silence
            default -> {} // connects and says nothing
        }
        out.flush();
        if (kind % 3 == 0) {
            s.close();
        } else {
            synchronized (hanging) {
                hanging.add(s);
            }
        }
    }

    @Test
    void floodOfHostileConnections_fromTheSameAddress_doesNotKeepAWellBehavedClientOut() throws Exception {
        start(l -> l);
        int port = broker.port();
        AtomicBoolean flooding = new AtomicBoolean(true);
        AtomicInteger opened = new AtomicInteger();
        List<Socket> hanging = new ArrayList<>();
        ExecutorService flood = Executors.newFixedThreadPool(4);
        try {
            for (int t = 0; t < 4; t++) {
                flood.execute(() -> {
                    // bounded: 1500 connections, at most 200 of them left hanging at once
                    while (flooding.get() && opened.get() < 1500) {
                        try {
                            int n = opened.getAndIncrement();
                            hostile(port, n, hanging);
                            synchronized (hanging) {
                                while (hanging.size() > 200) {
                                    hanging.remove(0).close();
                                }
                            }
                        } catch (Exception e) {
                            // refused or reset: the flood goes on
                        }
                    }
                });
            }
            // far beyond the old per-address connect rate (200/s, burst 400)
            flood.shutdown();
            assertThat(flood.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            // well-behaved clients on the same address connect and get every message, with 200 hostile
            // connections still hanging
            try (RawClient sub = RawClient.connected(port, MqttVersion.V5, "sub", true, MqttProperties.EMPTY);
                    RawClient pub = RawClient.connected(port, MqttVersion.V3_1_1, "pub", true, MqttProperties.EMPTY)) {
                sub.subscribe(1, "flood/test", QoS.AT_LEAST_ONCE);
                for (int i = 1; i <= 20; i++) {
                    pub.publish("flood/test", QoS.AT_LEAST_ONCE, i, "m" + i);
                    assertThat(pub.expect(PubackPacket.class).packetId()).isEqualTo(i);
                }
                Set<String> received = new HashSet<>();
                for (int i = 0; i < 20; i++) {
                    PublishPacket p = sub.expect(PublishPacket.class);
                    received.add(new String(p.payload()));
                    sub.send(new PubackPacket(p.packetId(), ReasonCode.SUCCESS, MqttProperties.EMPTY));
                }
                assertThat(received).hasSize(20);
            }
        } finally {
            flooding.set(false);
            flood.shutdown();
            flood.awaitTermination(10, TimeUnit.SECONDS);
            synchronized (hanging) {
                for (Socket s : hanging) {
                    s.close();
                }
            }
        }
    }

    @Test
    void connectBeyondMaxConnectSize_isRefusedBeforeItIsBuffered() throws Exception {
        start(l -> l);
        try (RawClient c = RawClient.open(broker.port(), MqttVersion.V5)) {
            // a whole, valid CONNECT of 70,000 bytes (a large will): under max-packet-size (1 MiB) but over
            // max-connect-size (64 KiB): closed without CONNACK, before it is buffered whole
            c.send(new ConnectPacket(
                    MqttVersion.V5,
                    "large",
                    true,
                    60,
                    null,
                    null,
                    new Will("w".repeat(10_000), new byte[60_000], QoS.AT_MOST_ONCE, false, MqttProperties.EMPTY),
                    MqttProperties.EMPTY));
            assertThatThrownBy(c::receive).hasMessageContaining("closed");
        }
        // a logged-in client may still send packets up to max-packet-size
        try (RawClient c = RawClient.connected(broker.port(), MqttVersion.V5, "big", true, MqttProperties.EMPTY)) {
            c.send(new PublishPacket(
                    "big", QoS.AT_LEAST_ONCE, false, false, 7, new byte[200_000], MqttProperties.EMPTY));
            assertThat(c.expect(PubackPacket.class).packetId()).isEqualTo(7);
        }
    }

    @Test
    void bytesHeldByConnectionsThatHaveNotLoggedIn_areCappedInAll() throws Exception {
        start(l -> l.withMaxUnauthenticatedBytes(100_000));
        List<RawClient> partial = new ArrayList<>();
        try {
            // CONNECTs announcing 60,000 bytes (remaining length e0 d3 03), of which 40,000 are sent
            byte[] head = io.netty.buffer.ByteBufUtil.decodeHexDump("10e0d303");
            byte[] body = new byte[40_000];
            for (int i = 0; i < 3; i++) {
                RawClient c = RawClient.open(broker.port(), MqttVersion.V5);
                partial.add(c);
                c.sendBytes(head);
                c.sendBytes(body);
            }
            // the third would take the total beyond 100,000 bytes: closed
            assertThat(partial.get(2).awaitClosed(Duration.ofSeconds(5))).isTrue();
            assertThat(broker.berth().metrics().securityCount("berth_limit_hits_total", "max-unauthenticated-bytes"))
                    .isGreaterThanOrEqualTo(1);
            // bytes given back when a connection closes: a client that logs in is not held up by the cap
            try (RawClient ok = RawClient.connected(broker.port(), MqttVersion.V5, "ok", true, MqttProperties.EMPTY)) {
                assertThat(ok.subscribe(1, "a", QoS.AT_MOST_ONCE).reasonCodes()).containsExactly(ReasonCode.SUCCESS);
            }
        } finally {
            partial.forEach(RawClient::close);
        }
    }
}
