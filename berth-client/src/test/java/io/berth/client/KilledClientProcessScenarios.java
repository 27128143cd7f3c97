package io.berth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.berth.client.store.ClientSessionStore;
import io.berth.client.store.FileDurability;
import io.berth.client.store.StoredSession;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A publishing client process killed with SIGKILL mid-stream and restarted on its session store delivers
 * every message whose {@code stored()} it had reported, with every property it was published with, and
 * the subscriber sees no QoS 2 message twice (QoS 1 ones may come twice). The broker publishes the killed
 * client's will with its properties. The subscriber is the HiveMQ MQTT client, so what arrives is checked
 * by another implementation.
 */
abstract class KilledClientProcessScenarios {
    /** The broker these scenarios run against. */
    abstract TestBroker.Kind kind();

    /** How the publisher's file store makes a message durable: both survive SIGKILL. */
    FileDurability durability() {
        return FileDurability.FSYNC;
    }

    @TempDir
    Path dir;

    private TestBroker broker;
    private Mqtt5AsyncClient subscriber;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(kind().available(), kind() + " is not available");
        broker = kind().start(dir);
    }

    @AfterEach
    void stop() throws Exception {
        if (subscriber != null) {
            subscriber.disconnect().get(10, TimeUnit.SECONDS);
        }
        if (broker != null) {
            broker.close();
        }
    }

    /** A child JVM running {@link PublisherProcess}, whose output lines are collected. */
    private final class Child {
        final Process process;
        final List<String> lines = new CopyOnWriteArrayList<>();

        Child(Path store, int port, String prefix, int count) throws IOException {
            String java =
                    Path.of(System.getProperty("java.home"), "bin", "java").toString();
            process = new ProcessBuilder(
                            java,
                            "-cp",
                            System.getProperty("java.class.path"),
                            "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                            PublisherProcess.class.getName(),
                            String.valueOf(port),
                            store.toString(),
                            prefix,
                            String.valueOf(count),
                            durability().name())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            Thread reader = new Thread(
                    () -> {
                        try (BufferedReader r = new BufferedReader(
                                new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
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
        }

        List<String> stored() {
            return lines.stream()
                    .filter(l -> l.startsWith("stored "))
                    .map(l -> l.substring(7))
                    .toList();
        }
    }

    /** What the HiveMQ client subscriber received, by payload. */
    private static final class Deliveries {
        final Map<String, List<Mqtt5Publish>> byPayload = new ConcurrentHashMap<>();
        final BlockingQueue<Mqtt5Publish> wills = new LinkedBlockingQueue<>();

        void accept(Mqtt5Publish p) {
            if (p.getTopic().toString().startsWith("wills/")) {
                wills.add(p);
            } else {
                byPayload
                        .computeIfAbsent(text(p.getPayloadAsBytes()), k -> new CopyOnWriteArrayList<>())
                        .add(p);
            }
        }

        int count(String payload) {
            List<Mqtt5Publish> l = byPayload.get(payload);
            return l == null ? 0 : l.size();
        }
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    /** Every property {@link PublisherProcess#message} set, as the subscriber received it. */
    private static void assertProperties(String payload, Mqtt5Publish p) {
        String prefix = payload.substring(0, 1);
        assertThat(p.getContentType().map(Object::toString)).as(payload).contains("text/plain");
        assertThat(p.getPayloadFormatIndicator()).as(payload).contains(Mqtt5PayloadFormatIndicator.UTF_8);
        assertThat(p.getMessageExpiryInterval().orElseThrow()).as(payload).isBetween(1L, 3600L);
        assertThat(p.getResponseTopic().map(Object::toString)).as(payload).contains("replies/" + payload);
        assertThat(p.getCorrelationData().map(b -> {
                    byte[] copy = new byte[b.remaining()];
                    b.duplicate().get(copy);
                    return text(copy);
                }))
                .as(payload)
                .contains(payload);
        assertThat(p.getUserProperties().asList())
                .as(payload)
                .extracting(u -> u.getName() + "=" + u.getValue())
                .containsExactly("seq=" + payload, "origin=" + prefix);
    }

    @Test
    void sigkillMidStream_restartOnTheStore_deliversEverythingStoredWithItsPropertiesAndNoQos2Twice() throws Exception {
        Deliveries received = new Deliveries();
        Mqtt5AsyncClient watcher = com.hivemq.client.mqtt.MqttClient.builder()
                .useMqttVersion5()
                .identifier("watcher")
                .serverHost("127.0.0.1")
                .serverPort(broker.port())
                .buildAsync();
        watcher.publishes(MqttGlobalPublishFilter.ALL, received::accept);
        watcher.connectWith()
                .cleanStart(false)
                .sessionExpiryInterval(300)
                .send()
                .get(30, TimeUnit.SECONDS);
        subscriber = watcher;
        watcher.subscribeWith()
                .topicFilter("killed/#")
                .qos(MqttQos.EXACTLY_ONCE)
                .send()
                .get(30, TimeUnit.SECONDS);
        watcher.subscribeWith()
                .topicFilter("wills/#")
                .qos(MqttQos.AT_LEAST_ONCE)
                .send()
                .get(30, TimeUnit.SECONDS);
        Path store = dir.resolve("publisher.session");

        Child first = new Child(store, broker.port(), "a", 20_000);
        await().atMost(Duration.ofSeconds(60)).until(() -> first.stored().size() >= 2_000);
        first.process.destroyForcibly(); // SIGKILL on Linux
        first.process.waitFor(10, TimeUnit.SECONDS);
        List<String> storedBeforeKill = first.stored();
        int deliveredBeforeRestart = received.byPayload.size();
        assertThat(first.lines).doesNotContain("done");
        Mqtt5Publish will = received.wills.poll(30, TimeUnit.SECONDS);
        assertThat(will).as("the killed client's will").isNotNull();
        assertThat(text(will.getPayloadAsBytes())).isEqualTo("will-a");
        assertThat(will.getContentType().map(Object::toString)).contains("text/plain");
        assertThat(will.getUserProperties().asList())
                .extracting(u -> u.getName() + "=" + u.getValue())
                .containsExactly("cause=connection lost");

        // what the killed process left in its file, read by a store of this JVM: messages with every property
        List<String> leftInTheFile = new ArrayList<>();
        try (ClientSessionStore left = ClientSessionStore.file(store)) {
            for (StoredSession.StoredMessage m : left.load().messages()) {
                String payload = m.message().payloadAsString();
                assertThat(m.message().properties().contentType()).as(payload).isEqualTo("text/plain");
                assertThat(m.message().properties().userProperty("seq"))
                        .as(payload)
                        .isEqualTo(payload);
                leftInTheFile.add(payload);
            }
        }
        assertThat(leftInTheFile)
                .as("unacknowledged messages in the killed client's file")
                .isNotEmpty();

        Child second = new Child(store, broker.port(), "b", 500);
        assertThat(second.process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(second.lines).contains("done");

        // QoS 1 and QoS 2 messages are ordered only among their own QoS [MQTT-4.6.0-6]: wait for each
        await().atMost(Duration.ofSeconds(60))
                .until(() -> storedBeforeKill.stream().allMatch(p -> received.count(p) > 0)
                        && leftInTheFile.stream().allMatch(p -> received.count(p) > 0)
                        && java.util.stream.IntStream.rangeClosed(1, 500).allMatch(i -> received.count("b" + i) > 0));
        for (String payload : leftInTheFile) {
            assertThat(received.count(payload)).as(payload).isGreaterThan(0);
        }
        for (String payload : storedBeforeKill) {
            received.byPayload.get(payload).forEach(p -> assertProperties(payload, p));
        }
        for (int i = 1; i <= 500; i++) {
            String payload = "b" + i;
            assertThat(received.count(payload)).as(payload).isGreaterThan(0);
            received.byPayload.get(payload).forEach(p -> assertProperties(payload, p));
        }
        received.byPayload.forEach((payload, deliveries) -> {
            if (Integer.parseInt(payload.substring(1)) % 2 == 1) {
                assertThat(deliveries)
                        .as("QoS 2 message %s exactly once", payload)
                        .hasSize(1);
            }
        });
        assertThat(deliveredBeforeRestart).as("killed mid-stream").isLessThan(storedBeforeKill.size());
    }
}
