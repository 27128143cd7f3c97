package io.berth.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the broker as a child process with {@code --durability fsync}, publishes QoS 1 and QoS 2 from
 * real clients (HiveMQ, persistent sessions, automatic reconnect) to a persistent subscriber, and
 * SIGKILLs the broker at random moments. Every message whose PUBACK or PUBCOMP a publisher saw must reach
 * the subscriber: QoS 1 at least once, QoS 2 exactly once, each publisher's order kept.
 *
 * <p>{@code -Dberth.crash.cycles=N} sets the number of kills (20 by default; {@code scripts/crash-test.sh}
 * runs 100). Figures are printed and written to {@code target/crash-test.txt}.
 */
class KillNineIT {
    private static final int CYCLES = Integer.getInteger("berth.crash.cycles", 20);
    private static final long SEED = Long.getLong("berth.crash.seed", System.nanoTime());

    @TempDir
    Path data;

    private Process broker;
    private final List<Mqtt5BlockingClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        for (Mqtt5BlockingClient c : clients) {
            try {
                c.toAsync().disconnect();
            } catch (RuntimeException ignored) {
                // the broker may be gone
            }
        }
        if (broker != null) {
            broker.destroyForcibly();
        }
    }

    @Test
    void sigkill_neverLosesAnAcknowledgedMessage() throws Exception {
        Random random = new Random(SEED);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        startBroker(port);

        ConcurrentLinkedQueue<String> received = new ConcurrentLinkedQueue<>();
        Mqtt5BlockingClient sub = client("crash-sub", port);
        sub.toAsync()
                .publishes(
                        MqttGlobalPublishFilter.ALL,
                        p -> received.add(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)));
        sub.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
        sub.subscribeWith().topicFilter("k/#").qos(MqttQos.EXACTLY_ONCE).send();

        AtomicBoolean publishing = new AtomicBoolean(true);
        Map<String, List<Long>> acked = new HashMap<>();
        List<Thread> publishers = new ArrayList<>();
        CountDownLatch done = new CountDownLatch(2);
        for (MqttQos qos : List.of(MqttQos.AT_LEAST_ONCE, MqttQos.EXACTLY_ONCE)) {
            String name = "q" + qos.getCode();
            List<Long> ok = java.util.Collections.synchronizedList(new ArrayList<>());
            acked.put(name, ok);
            Mqtt5BlockingClient pub = client("crash-pub-" + name, port);
            pub.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
            Thread t = new Thread(
                    () -> {
                        try {
                            for (long seq = 0; publishing.get(); seq++) {
                                try {
                                    pub.publishWith()
                                            .topic("k/" + name)
                                            .qos(qos)
                                            .payload((name + ":" + seq).getBytes(StandardCharsets.UTF_8))
                                            .send();
                                    ok.add(seq);
                                } catch (RuntimeException e) {
                                    // not acknowledged: it may or may not arrive, it is not counted
                                }
                            }
                        } finally {
                            done.countDown();
                        }
                    },
                    "publisher-" + name);
            publishers.add(t);
            t.start();
        }

        long started = System.nanoTime();
        for (int cycle = 0; cycle < CYCLES; cycle++) {
            awaitNewAcknowledgements(acked);
            pause(Duration.ofMillis(random.nextInt(500)));
            broker.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            startBroker(port);
        }
        awaitNewAcknowledgements(acked);
        publishing.set(false);
        assertThat(done.await(60, TimeUnit.SECONDS))
                .as("publishers finish their last publish")
                .isTrue();

        List<String> expected = new ArrayList<>();
        acked.forEach((name, seqs) -> seqs.forEach(seq -> expected.add(name + ":" + seq)));
        Awaitility.await()
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(100))
                .until(() -> received.containsAll(expected));
        Awaitility.await().pollDelay(Duration.ofMillis(500)).until(() -> true);

        CrashReport report = CrashReport.of(new ArrayList<>(received), acked);
        String text = String.format(
                "crash test: %d SIGKILL cycles in %.1f s (seed %d): acknowledged QoS 1 %d, QoS 2 %d; lost %d; "
                        + "duplicated QoS 1 %d, QoS 2 %d; order violations %d%n",
                CYCLES,
                (System.nanoTime() - started) / 1e9,
                SEED,
                acked.get("q1").size(),
                acked.get("q2").size(),
                report.lost(),
                report.duplicates().get("q1"),
                report.duplicates().get("q2"),
                report.orderViolations());
        System.out.print(text);
        Files.writeString(Path.of("target", "crash-test.txt"), text);

        assertThat(report.lost()).isZero();
        assertThat(report.duplicates().get("q2")).as("QoS 2 duplicates").isZero();
        assertThat(report.orderViolations()).isZero();
        assertThat(acked.get("q1")).hasSizeGreaterThan(CYCLES);
        assertThat(acked.get("q2")).hasSizeGreaterThan(CYCLES);
    }

    /**
     * Waits until both publishers have been acknowledged again by the broker now running, so that every
     * SIGKILL hits a broker under load, however slowly a loaded machine starts a JVM.
     */
    private static void awaitNewAcknowledgements(Map<String, List<Long>> acked) {
        Map<String, Integer> before = new HashMap<>();
        acked.forEach((name, seqs) -> before.put(name, seqs.size()));
        Awaitility.await()
                .atMost(Duration.ofSeconds(120))
                .pollInterval(Duration.ofMillis(20))
                .until(() -> before.entrySet().stream()
                        .allMatch(e -> acked.get(e.getKey()).size() > e.getValue()));
    }

    private Mqtt5BlockingClient client(String id, int port) {
        Mqtt5BlockingClient c = MqttClient.builder()
                .useMqttVersion5()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(port)
                .automaticReconnect()
                .initialDelay(50, TimeUnit.MILLISECONDS)
                .maxDelay(300, TimeUnit.MILLISECONDS)
                .applyAutomaticReconnect()
                .buildBlocking();
        clients.add(c);
        return c;
    }

    private void startBroker(int port) throws IOException, InterruptedException {
        broker = BrokerProcess.start(
                "broker",
                Duration.ofSeconds(30),
                "--port",
                Integer.toString(port),
                "--data",
                data.toString(),
                "--durability",
                "fsync",
                "--admin-port",
                "-1");
    }

    private static void pause(Duration d) {
        LockSupport.parkNanos(d.toNanos());
    }
}
