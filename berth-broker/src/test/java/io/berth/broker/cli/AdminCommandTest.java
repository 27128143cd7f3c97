package io.berth.broker.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.berth.broker.Berth;
import io.berth.broker.config.Durability;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code berth admin ...} against a running broker with HiveMQ clients making sessions and traffic. */
class AdminCommandTest {
    private static final String TOKEN = "cli-token";

    private Berth berth;
    private String url;
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @BeforeEach
    void start() throws Exception {
        berth = Berth.builder()
                .port(0)
                .durability(Durability.MEMORY)
                .adminPort(0)
                .configure(b -> b.adminToken(TOKEN))
                .build()
                .start();
        url = "http://127.0.0.1:" + berth.adminPort();
        Mqtt5BlockingClient sub = hivemq("meter-1");
        sub.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
        sub.subscribeWith().topicFilter("m/#").qos(MqttQos.AT_LEAST_ONCE).send();
        sub.disconnect();
        await().until(() -> !berth.admin()
                .session("meter-1")
                .get(5, TimeUnit.SECONDS)
                .orElseThrow()
                .online());
        Mqtt5BlockingClient pub = hivemq("pub");
        pub.connect();
        for (String t : new String[] {"m/a", "m/b", "m/a"}) {
            pub.publishWith()
                    .topic(t)
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload(("on " + t).getBytes(StandardCharsets.UTF_8))
                    .send();
        }
        pub.disconnect();
    }

    @AfterEach
    void stop() {
        berth.close();
    }

    private Mqtt5BlockingClient hivemq(String id) {
        return MqttClient.builder()
                .useMqttVersion5()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(berth.port())
                .buildBlocking();
    }

    private int run(String... args) {
        out.getBuffer().setLength(0);
        err.getBuffer().setLength(0);
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    @Test
    void sessions_printsATable_orJsonForScripts() throws Exception {
        assertThat(run("admin", "sessions", "--url", url, "--token", TOKEN, "--state", "offline"))
                .isEqualTo(0);
        assertThat(out.toString()).contains("CLIENT ID", "QUEUED", "meter-1", "offline", "1 of 1 matching");
        assertThat(run("admin", "sessions", "--url", url, "--token", TOKEN, "--json"))
                .isEqualTo(0);
        JsonNode json = new ObjectMapper().readTree(out.toString());
        assertThat(json.get("sessions").get(0).get("queuedMessages").asInt()).isEqualTo(3);
    }

    @Test
    void session_peek_purge_delete_workOnTheSession() {
        assertThat(run("admin", "session", "meter-1", "--url", url, "--token", TOKEN))
                .isEqualTo(0);
        assertThat(out.toString()).contains("queued:      3 messages", "m/#", "overflow drop-oldest");
        assertThat(run("admin", "peek", "meter-1", "-n", "2", "--url", url, "--token", TOKEN))
                .isEqualTo(0);
        assertThat(out.toString()).contains("SEQ", "on m/a", "on m/b").hasLineCount(3);
        assertThat(run("admin", "purge", "meter-1", "--topic", "m/a", "--url", url, "--token", TOKEN))
                .isEqualTo(0);
        assertThat(out.toString()).contains("removed 2 message(s)");
        assertThat(run("admin", "delete", "meter-1", "--url", url, "--token", TOKEN))
                .isEqualTo(0);
        assertThat(run("admin", "session", "meter-1", "--url", url, "--token", TOKEN))
                .isEqualTo(1);
        assertThat(err.toString()).contains("HTTP 404", "no session 'meter-1'");
    }

    @Test
    void cluster_onASingleNode_saysThereIsNone() {
        assertThat(run("admin", "cluster", "--url", url, "--token", TOKEN)).isEqualTo(1);
        assertThat(err.toString()).contains("HTTP 404", "single node");
    }

    @Test
    void config_givesTheAddressAndToken(@TempDir Path dir) throws Exception {
        Path yml = dir.resolve("berth.yml");
        Files.writeString(yml, "admin-port: " + berth.adminPort() + "\nadmin-token: " + TOKEN + "\n");
        assertThat(run("admin", "sessions", "--config", yml.toString())).isEqualTo(0);
        assertThat(out.toString()).contains("meter-1");
    }

    /** Quick start: no token configured; the CLI reads the one the broker generated in its data folder. */
    @Test
    void noTokenGiven_readsTheGeneratedOneFromTheDataFolder(@TempDir Path dir) throws Exception {
        Path data = dir.resolve("data");
        try (Berth quick = Berth.builder()
                .port(0)
                .dataDir(data)
                .durability(Durability.MEMORY)
                .adminPort(0)
                .build()
                .start()) {
            String quickUrl = "http://127.0.0.1:" + quick.adminPort();
            assertThat(run("admin", "sessions", "--url", quickUrl, "--data", data.toString()))
                    .as(err.toString())
                    .isEqualTo(0);
            assertThat(out.toString()).contains("0 of 0 matching");
            Path yml = dir.resolve("berth.yml");
            Files.writeString(yml, "admin-port: " + quick.adminPort() + "\ndata: " + data + "\n");
            assertThat(run("admin", "sessions", "--config", yml.toString()))
                    .as(err.toString())
                    .isEqualTo(0);
            assertThat(run(
                            "admin",
                            "sessions",
                            "--url",
                            quickUrl,
                            "--data",
                            dir.resolve("elsewhere").toString()))
                    .isEqualTo(2);
            assertThat(err.toString()).contains("no admin token", "elsewhere");
            Path tokenFile = dir.resolve("token");
            Files.writeString(tokenFile, quick.adminToken().value() + "\n");
            assertThat(run("admin", "sessions", "--url", quickUrl, "--token-file", tokenFile.toString()))
                    .isEqualTo(0);
        }
    }

    @Test
    void failures_haveExitCodesAndMessages() {
        assertThat(run("admin", "sessions", "--url", url, "--token", "wrong")).isEqualTo(1);
        assertThat(err.toString()).contains("HTTP 401");
        assertThat(run("admin", "purge", "meter-1", "--url", url, "--token", TOKEN, "--topic", "m/#/x"))
                .isEqualTo(1);
        assertThat(err.toString()).contains("HTTP 400", "not a valid topic filter");
        assertThat(run("admin", "purge", "meter-1", "--url", url, "--token", TOKEN))
                .isEqualTo(2);
        assertThat(err.toString()).contains("say what to purge");
        assertThat(run("admin", "kick", "meter-1", "--url", url, "--token", TOKEN))
                .isEqualTo(1);
        assertThat(err.toString()).contains("HTTP 409");
        assertThat(run("admin", "sessions", "--url", "http://127.0.0.1:1", "--token", TOKEN))
                .isEqualTo(2);
        assertThat(err.toString()).contains("cannot reach the admin API");
    }
}
