package io.berth.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import io.berth.broker.Berth;
import io.berth.broker.config.ClusterConfig;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The admin API's delete, disconnect and purge of a session, and {@code berth admin delete|kick}, on three nodes in
 * this JVM: asked on any node, they are carried out by the node that serves the session (through the log),
 * and a session whose node is down is reported as not done.
 */
class ClusterSessionDeleteTest extends ClusterFixture {
    private static final String TOKEN = "delete-token";

    private final HttpClient http = HttpClient.newHttpClient();
    private final List<Mqtt5BlockingClient> own = new ArrayList<>();

    @AfterEach // before the fixture stops the cluster
    void disconnectOwn() {
        own.stream().filter(c -> c.getState().isConnected()).forEach(Mqtt5BlockingClient::disconnect);
    }

    private record Answer(int status, JsonNode body) {}

    private Answer call(Berth node, String method, String path) throws Exception {
        return callAsync(node, method, path).get(30, TimeUnit.SECONDS);
    }

    private CompletableFuture<Answer> callAsync(Berth node, String method, String path) {
        return callAsync(node, method, path, method.equals("POST") ? "{}" : "");
    }

    private CompletableFuture<Answer> callAsync(Berth node, String method, String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.adminPort() + path))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).thenApply(r -> {
            try {
                return new Answer(r.statusCode(), new ObjectMapper().readTree(r.body()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    private static String cli(Berth node, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new io.berth.broker.cli.Main());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--url", "http://127.0.0.1:" + node.adminPort(), "--token", TOKEN));
        assertThat(cl.execute(all.toArray(String[]::new))).as(err.toString()).isEqualTo(0);
        return out.toString();
    }

    /** A 5.0 client of {@code node} that records the reason code of every DISCONNECT the broker sends it. */
    private Mqtt5BlockingClient watched(String id, Berth node, List<Mqtt5DisconnectReasonCode> disconnects) {
        Mqtt5BlockingClient c = MqttClient.builder()
                .useMqttVersion5()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(node.port())
                .addDisconnectedListener(ctx -> {
                    if (ctx.getCause() instanceof Mqtt5DisconnectException d) {
                        disconnects.add(d.getMqttMessage().getReasonCode());
                    }
                })
                .buildBlocking();
        own.add(c);
        return c;
    }

    @Test
    void deleteAndDisconnect_askedOnAnyNode_areCarriedOutByTheSessionsNode() throws Exception {
        cluster = new TestCluster(dir, 3)
                .adjust(b -> b.adminPort(0).adminToken(TOKEN))
                .startAll();
        Berth n1 = cluster.node(0);
        Berth n2 = cluster.node(1);
        Berth n3 = cluster.node(2);
        List<Mqtt5DisconnectReasonCode> kicked = new CopyOnWriteArrayList<>();
        Mqtt5BlockingClient dev = watched("dev-1", n1, kicked);
        dev.connectWith().cleanStart(true).sessionExpiryInterval(600).send();
        dev.subscribeWith().topicFilter("cmd/#").qos(MqttQos.AT_LEAST_ONCE).send();

        // a disconnect asked on n3 is carried out by n1, which serves the session: 5.0 DISCONNECT 0x98
        Answer kick = call(n3, "POST", "/sessions/dev-1/disconnect");
        assertThat(kick.status()).as(kick.body().toString()).isEqualTo(200);
        assertThat(kick.body().get("disconnected").asBoolean()).isTrue();
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .untilAsserted(
                        () -> assertThat(kicked).containsExactly(Mqtt5DisconnectReasonCode.ADMINISTRATIVE_ACTION));
        // the session stays; a second disconnect finds no connection, and says so
        // (n1 lets the connection go once its channel closed, after the client read the DISCONNECT)
        Awaitility.await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Answer again = call(n2, "POST", "/sessions/dev-1/disconnect");
            assertThat(again.status()).as(again.body().toString()).isEqualTo(409);
            assertThat(again.body().get("message").asText()).contains("has no connection");
        });

        // the client comes back to n1; `berth admin kick` on n2 sends it away again
        assertThat(dev.connectWith()
                        .cleanStart(false)
                        .sessionExpiryInterval(600)
                        .send()
                        .isSessionPresent())
                .isTrue();
        assertThat(cli(n2, "admin", "kick", "dev-1")).contains("disconnected 'dev-1'");
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(kicked).hasSize(2));

        // connected once more; a delete asked on n2 is carried out by n1, which closes the connection
        dev.connectWith().cleanStart(false).sessionExpiryInterval(600).send();
        Answer deleted = call(n2, "DELETE", "/sessions/dev-1");
        assertThat(deleted.status()).as(deleted.body().toString()).isEqualTo(200);
        assertThat(deleted.body().get("deleted").asBoolean()).isTrue();
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(kicked)
                        .hasSize(3)
                        .last()
                        .isEqualTo(Mqtt5DisconnectReasonCode.ADMINISTRATIVE_ACTION));
        // every replica has dropped it
        for (Berth node : List.of(n1, n2, n3)) {
            Awaitility.await()
                    .atMost(Duration.ofSeconds(20))
                    .untilAsserted(() -> assertThat(
                                    call(node, "GET", "/sessions/dev-1").status())
                            .isEqualTo(404));
        }
        // and a CONNECT with Clean Start 0 finds no session on any node [MQTT-3.2.2-3]
        for (Berth node : List.of(n3, n1, n2)) {
            Mqtt5BlockingClient back = clients.client("dev-1", node);
            assertThat(back.connectWith()
                            .cleanStart(false)
                            .sessionExpiryInterval(0)
                            .send()
                            .isSessionPresent())
                    .isFalse();
            back.disconnect();
        }

        // a session that ends with its connection, served by n2: a disconnect and a delete from n1 reach it
        List<Mqtt5DisconnectReasonCode> volatileKicked = new CopyOnWriteArrayList<>();
        Mqtt5BlockingClient vol = watched("vol-2", n2, volatileKicked);
        vol.connectWith().cleanStart(true).sessionExpiryInterval(0).send();
        assertThat(call(n1, "POST", "/sessions/vol-2/disconnect").status()).isEqualTo(200);
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .untilAsserted(() ->
                        assertThat(volatileKicked).containsExactly(Mqtt5DisconnectReasonCode.ADMINISTRATIVE_ACTION));
        vol.connectWith().cleanStart(true).sessionExpiryInterval(0).send();
        assertThat(cli(n3, "admin", "delete", "vol-2")).contains("deleted the session of 'vol-2'");
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(volatileKicked).hasSize(2));

        // a session no node has
        Answer unknown = call(n3, "DELETE", "/sessions/nobody");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(call(n3, "POST", "/sessions/nobody/disconnect").status()).isEqualTo(404);
    }

    @Test
    void requests_forASessionWhoseNodeIsDown_areReportedAsNotConfirmed() throws Exception {
        cluster = new TestCluster(dir, 3)
                .tuning(new ClusterConfig.Tuning(
                        ClusterConfig.Tuning.DEFAULT.majorityTimeoutMillis(),
                        ClusterConfig.Tuning.DEFAULT.snapshotEvery(),
                        ClusterConfig.Tuning.DEFAULT.logSegmentBytes(),
                        600_000)) // nobody adopts n3's sessions during the test
                .adjust(b -> b.adminPort(0).adminToken(TOKEN))
                .startAll();
        Mqtt5BlockingClient dev = clients.client("dev-3", cluster.node(2));
        dev.connectWith().cleanStart(true).sessionExpiryInterval(600).send();
        dev.disconnect();
        Awaitility.await()
                .atMost(Duration.ofSeconds(20))
                .untilAsserted(() -> assertThat(
                                call(cluster.node(0), "GET", "/sessions/dev-3").status())
                        .isEqualTo(200));
        cluster.crash(2);

        // asked at once (each waits for an answer that does not come)
        CompletableFuture<Answer> deleting = callAsync(cluster.node(0), "DELETE", "/sessions/dev-3");
        CompletableFuture<Answer> kicking = callAsync(cluster.node(1), "POST", "/sessions/dev-3/disconnect");
        CompletableFuture<Answer> purging =
                callAsync(cluster.node(0), "POST", "/sessions/dev-3/purge", "{\"all\": true}");
        Answer delete = deleting.get(30, TimeUnit.SECONDS);
        assertThat(delete.status()).as(delete.body().toString()).isEqualTo(503);
        assertThat(delete.body().get("message").asText())
                .contains("node n3, which serves session 'dev-3',")
                .contains("did not confirm the delete");
        Answer kick = kicking.get(30, TimeUnit.SECONDS);
        assertThat(kick.status()).as(kick.body().toString()).isEqualTo(503);
        assertThat(kick.body().get("message").asText()).contains("did not confirm the disconnect");
        Answer purge = purging.get(30, TimeUnit.SECONDS);
        assertThat(purge.status()).as(purge.body().toString()).isEqualTo(503);
        assertThat(purge.body().get("message").asText()).contains("did not confirm the purge");
        // nothing was done: the session is still there
        assertThat(call(cluster.node(1), "GET", "/sessions/dev-3")
                        .body()
                        .get("node")
                        .asText())
                .isEqualTo("n3");
    }
}
