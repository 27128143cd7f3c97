package io.berth.dist;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The archive as an operator gets it: unpacked into an empty folder, run with {@code bin/berth} and Java
 * alone (no Maven, no source), a real MQTT client passes QoS 1 messages through it, SIGTERM stops it
 * cleanly and a start on the same data folder finds the queued message.
 */
class DistributionIT {
    private static final Pattern LISTENING = Pattern.compile("Berth listening on tcp 127\\.0\\.0\\.1:(\\d+)");
    private static final Duration START = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    private Broker broker;

    /** One run of {@code bin/berth}, its output kept line by line. */
    private record Broker(Process process, List<String> out, List<String> err) {
        Optional<Integer> port() {
            for (String line : out) {
                Matcher m = LISTENING.matcher(line);
                if (m.find()) {
                    return Optional.of(Integer.parseInt(m.group(1)));
                }
            }
            return Optional.empty();
        }
    }

    @AfterEach
    void stop() throws InterruptedException {
        if (broker != null && broker.process().isAlive()) {
            broker.process().destroyForcibly().waitFor();
        }
    }

    @Test
    void archive_unpacked_servesQos1_stopsOnSigterm_andKeepsItsData() throws Exception {
        Path home = unpack();
        assertThat(home.resolve("bin/berth")).isExecutable();
        assertThat(home.resolve("conf/berth.yml")).isRegularFile();
        assertThat(home.resolve("systemd/berth.service")).isRegularFile();
        assertThat(home.resolve("README.md")).isRegularFile();
        assertThat(home.resolve("docs")).isDirectory();
        try (var libs = Files.list(home.resolve("lib"))) {
            assertThat(libs.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.startsWith("berth-broker-"))
                    .anyMatch(n -> n.startsWith("rocksdbjni-"))
                    .noneMatch(n -> n.startsWith("junit-") || n.startsWith("hivemq-mqtt-client"));
        }

        Process help = start(home, List.of("--help"));
        assertThat(help.waitFor(START.toSeconds(), TimeUnit.SECONDS)).isTrue();
        assertThat(String.join("\n", broker.out())).contains("serve", "admin", "passwd");

        Path data = dir.resolve("data");
        int port = serve(home, data);
        try (var natives = Files.list(home.resolve("native"))) {
            assertThat(natives.map(p -> p.getFileName().toString()))
                    .as("RocksDB's native library, unpacked once by bin/berth into native/ (its home is writable)")
                    .anyMatch(n -> n.startsWith("librocksdbjni") && n.endsWith(".so"));
        }
        assertThat(broker.out())
                .as("-XX:+PrintCommandLineFlags: the defaults of bin/berth and BERTH_JAVA_OPTS")
                .anyMatch(l -> l.contains("-XX:+ExitOnOutOfMemoryError") && l.contains("-XX:MaxHeapSize=268435456"));

        Mqtt5BlockingClient subscriber = client(port, "dist-subscriber");
        subscriber.connectWith().cleanStart(false).sessionExpiryInterval(600).send();
        subscriber
                .subscribeWith()
                .topicFilter("dist/check")
                .qos(MqttQos.AT_LEAST_ONCE)
                .send();
        Mqtt5BlockingClient publisher = client(port, "dist-publisher");
        publisher.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
            publish(publisher, "online");
            Optional<Mqtt5Publish> received = publishes.receive(30, TimeUnit.SECONDS);
            assertThat(received).isPresent();
            assertThat(received.get().getQos()).isEqualTo(MqttQos.AT_LEAST_ONCE);
            assertThat(new String(received.get().getPayloadAsBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("online");
        }
        subscriber.disconnect();
        publish(publisher, "queued while away"); // PUBACK: on disk
        publisher.disconnect();

        assertStopsCleanly();

        port = serve(home, data);
        Mqtt5BlockingClient back = client(port, "dist-subscriber");
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = back.publishes(MqttGlobalPublishFilter.ALL)) {
            Mqtt5ConnAck connAck = back.connectWith()
                    .cleanStart(false)
                    .sessionExpiryInterval(600)
                    .send();
            assertThat(connAck.isSessionPresent()).isTrue();
            Optional<Mqtt5Publish> received = publishes.receive(30, TimeUnit.SECONDS);
            assertThat(received).isPresent();
            assertThat(new String(received.get().getPayloadAsBytes(), StandardCharsets.UTF_8))
                    .isEqualTo("queued while away");
        }
        back.disconnect();
        assertStopsCleanly();
    }

    private static void publish(Mqtt5BlockingClient publisher, String payload) {
        publisher
                .publishWith()
                .topic("dist/check")
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(payload.getBytes(StandardCharsets.UTF_8))
                .send();
    }

    private static Mqtt5BlockingClient client(int port, String id) {
        return Mqtt5Client.builder()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(port)
                .buildBlocking();
    }

    /** SIGTERM; the JVM closes the broker in its shutdown hook and exits with 128 + 15. */
    private void assertStopsCleanly() throws InterruptedException {
        broker.process().destroy();
        assertThat(broker.process().waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(broker.process().exitValue()).isEqualTo(143);
        assertThat(broker.err()).noneMatch(l -> l.contains("Exception") || l.contains("ERROR"));
    }

    private int serve(Path home, Path data) throws IOException {
        start(home, List.of("serve", "--port", "0", "--admin-port", "-1", "--data", data.toString()));
        return await().atMost(START)
                .until(
                        () -> {
                            assertThat(broker.process().isAlive()
                                            || broker.port().isPresent())
                                    .as("bin/berth serve ended before it listened: %s", broker.err())
                                    .isTrue();
                            return broker.port();
                        },
                        Optional::isPresent)
                .orElseThrow();
    }

    /** Runs {@code bin/berth ARGS} from an empty working folder with Java from JAVA_HOME. */
    private Process start(Path home, List<String> args) throws IOException {
        List<String> command = new java.util.ArrayList<>();
        command.add(home.resolve("bin/berth").toString());
        command.addAll(args);
        Path cwd = Files.createDirectories(dir.resolve("cwd"));
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
        Map<String, String> env = pb.environment();
        env.put("JAVA_HOME", System.getProperty("java.home"));
        env.put("BERTH_JAVA_OPTS", "-Xmx256m -XX:+PrintCommandLineFlags");
        Process p = pb.start();
        broker = new Broker(p, new CopyOnWriteArrayList<>(), new CopyOnWriteArrayList<>());
        copy(p.getInputStream(), broker.out(), "out");
        copy(p.getErrorStream(), broker.err(), "err");
        return p;
    }

    private static void copy(java.io.InputStream in, List<String> lines, String name) {
        Thread t = new Thread(
                () -> {
                    try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                        String line;
                        while ((line = r.readLine()) != null) {
                            lines.add(line);
                        }
                    } catch (IOException e) {
                        lines.add("(reading the " + name + " of bin/berth failed: " + e + ")");
                    }
                },
                "bin-berth-" + name);
        t.setDaemon(true);
        t.start();
    }

    /** Unpacks the archive with tar, as an operator does, and returns its top folder. */
    private Path unpack() throws Exception {
        Path archive = Path.of(System.getProperty("berth.dist.archive"));
        assertThat(archive).as("built by mvn package").isRegularFile();
        Path into = Files.createDirectories(dir.resolve("opt"));
        Process tar = new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", into.toString())
                .redirectErrorStream(true)
                .start();
        String output = new String(tar.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(tar.waitFor()).as(output).isZero();
        return into.resolve(System.getProperty("berth.dist.folder"));
    }
}
