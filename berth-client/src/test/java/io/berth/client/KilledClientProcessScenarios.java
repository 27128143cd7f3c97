package io.berth.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.berth.client.store.FileDurability;
import io.berth.codec.QoS;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A publishing client process killed with SIGKILL mid-stream and restarted on its session store delivers
 * every message whose {@code stored()} it had reported, and the subscriber sees no QoS 2 message twice.
 * The broker publishes the killed client's will with its properties.
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
    private MqttClient subscriber;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(kind().available(), kind() + " is not available");
        broker = kind().start(dir);
    }

    @AfterEach
    void stop() throws Exception {
        if (subscriber != null) {
            subscriber.close();
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

    @Test
    void sigkillMidStream_restartOnTheStore_deliversEverythingStoredAndNoQos2Twice() throws Exception {
        Received received = new Received();
        subscriber = MqttClient.builder()
                .serverAddress("127.0.0.1", broker.port())
                .clientId("watcher")
                .cleanStart(false)
                .sessionExpiry(Duration.ofMinutes(5))
                .build();
        subscriber.connect().join();
        subscriber.subscribe("killed/#", QoS.EXACTLY_ONCE, received).join();
        BlockingQueue<Message> wills = new LinkedBlockingQueue<>();
        subscriber.subscribe("wills/#", QoS.AT_LEAST_ONCE, wills::add).join();
        Path store = dir.resolve("publisher.session");

        Child first = new Child(store, broker.port(), "a", 20_000);
        await().atMost(Duration.ofSeconds(60)).until(() -> first.stored().size() >= 2_000);
        first.process.destroyForcibly(); // SIGKILL on Linux
        first.process.waitFor(10, TimeUnit.SECONDS);
        List<String> storedBeforeKill = first.stored();
        int deliveredBeforeRestart = received.distinct();
        assertThat(first.lines).doesNotContain("done");
        Message will = wills.poll(30, TimeUnit.SECONDS);
        assertThat(will).as("the killed client's will").isNotNull();
        assertThat(will.payloadAsString()).isEqualTo("will-a");
        assertThat(will.properties().contentType()).isEqualTo("text/plain");
        assertThat(will.properties().userProperty("cause")).isEqualTo("connection lost");

        Child second = new Child(store, broker.port(), "b", 500);
        assertThat(second.process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(second.lines).contains("done");

        await().atMost(Duration.ofSeconds(60))
                .until(() ->
                        storedBeforeKill.stream().allMatch(p -> received.count(p) > 0) && received.count("b500") > 0);
        for (int i = 1; i <= 500; i++) {
            assertThat(received.count("b" + i)).isEqualTo(1);
        }
        assertThat(received.duplicates()).isEmpty();
        assertThat(deliveredBeforeRestart).as("killed mid-stream").isLessThan(storedBeforeKill.size());
    }
}
