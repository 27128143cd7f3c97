package io.berth.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.berth.broker.Berth;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

/**
 * The admin API's session list, peek and purge on three nodes in this JVM: asked on any node, they show
 * and change every durable session of the cluster, whichever node serves it.
 */
class ClusterSessionAdminTest extends ClusterFixture {
    private static final String TOKEN = "sessions-token";

    private final HttpClient http = HttpClient.newHttpClient();

    private JsonNode call(Berth node, String method, String path, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.adminPort() + path))
                .header("Authorization", "Bearer " + TOKEN)
                .header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(method + " " + path + ": " + r.body()).isEqualTo(200);
        return new ObjectMapper().readTree(r.body());
    }

    private static String cli(Berth node, String... args) {
        java.io.StringWriter out = new java.io.StringWriter();
        java.io.StringWriter err = new java.io.StringWriter();
        picocli.CommandLine cl = new picocli.CommandLine(new io.berth.broker.cli.Main());
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--url", "http://127.0.0.1:" + node.adminPort(), "--token", TOKEN));
        assertThat(cl.execute(all.toArray(String[]::new))).as(err.toString()).isEqualTo(0);
        return out.toString();
    }

    private static Map<String, JsonNode> byClient(JsonNode list) {
        Map<String, JsonNode> out = new HashMap<>();
        list.get("sessions").forEach(s -> out.put(s.get("clientId").asText(), s));
        return out;
    }

    private static List<String> topics(JsonNode peek) {
        List<String> out = new ArrayList<>();
        peek.get("messages")
                .forEach(m ->
                        out.add(m.get("topic").asText() + "=" + m.get("payload").asText()));
        return out;
    }

    @Test
    void listPeekAndPurge_fromAnyNode_reachEverySessionOfTheCluster() throws Exception {
        cluster = new TestCluster(dir, 3)
                .adjust(b -> b.adminPort(0).adminToken(TOKEN))
                .startAll();
        // one session served on each of n1 (online) and n2 (offline, with a queue)
        Mqtt5BlockingClient online = clients.client("online-1", cluster.node(0));
        online.connectWith().cleanStart(true).sessionExpiryInterval(600).send();
        Mqtt5BlockingClient offline = clients.client("offline-2", cluster.node(1));
        offline.connectWith().cleanStart(true).sessionExpiryInterval(600).send();
        offline.subscribeWith().topicFilter("a/#").qos(MqttQos.AT_LEAST_ONCE).send();
        offline.disconnect();
        Mqtt5BlockingClient pub = clients.client("pub", cluster.node(1));
        pub.connect();
        for (String t : List.of("a/keep", "a/drop", "a/drop", "a/keep")) {
            pub.publishWith()
                    .topic(t)
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload("x".getBytes(StandardCharsets.UTF_8))
                    .send();
        }
        pub.disconnect();

        // the list on n3, which serves neither, shows both with the node that serves each
        Awaitility.await().atMost(Duration.ofSeconds(30)).ignoreExceptions().untilAsserted(() -> {
            Map<String, JsonNode> seen = byClient(call(cluster.node(2), "GET", "/sessions", ""));
            assertThat(seen.get("online-1").get("node").asText()).isEqualTo("n1");
            assertThat(seen.get("online-1").get("online").asBoolean()).isTrue();
            assertThat(seen.get("offline-2").get("node").asText()).isEqualTo("n2");
            assertThat(seen.get("offline-2").get("online").asBoolean()).isFalse();
            assertThat(seen.get("offline-2").get("queuedMessages").asLong()).isEqualTo(4);
        });

        // and so does `berth admin sessions` there, with a NODE column
        assertThat(cli(cluster.node(2), "admin", "sessions"))
                .contains("NODE")
                .containsPattern("online-1 +n1 +online")
                .containsPattern("offline-2 +n2 +offline");

        // peek on n1 shows the queue that n2 holds
        assertThat(topics(call(cluster.node(0), "GET", "/sessions/offline-2/queue?limit=10", "")))
                .containsExactly("a/keep=x", "a/drop=x", "a/drop=x", "a/keep=x");

        // a purge asked on n3 is carried out by n2 through the log: every replica drops the same messages
        JsonNode purged = call(cluster.node(2), "POST", "/sessions/offline-2/purge", "{\"topic\":\"a/drop\"}");
        assertThat(purged.get("removed").asLong()).isEqualTo(2);
        for (int n = 0; n < 3; n++) {
            int node = n;
            Awaitility.await()
                    .atMost(Duration.ofSeconds(30))
                    .untilAsserted(
                            () -> assertThat(topics(call(cluster.node(node), "GET", "/sessions/offline-2/queue", "")))
                                    .containsExactly("a/keep=x", "a/keep=x"));
        }
        // and the session, resumed, gets what is left
        Mqtt5BlockingClient back = clients.client("offline-2", cluster.node(0));
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes =
                back.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL)) {
            assertThat(back.connectWith()
                            .cleanStart(false)
                            .sessionExpiryInterval(600)
                            .send()
                            .isSessionPresent())
                    .isTrue();
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                got.add(publishes
                        .receive(20, java.util.concurrent.TimeUnit.SECONDS)
                        .orElseThrow()
                        .getTopic()
                        .toString());
            }
            assertThat(got).containsExactly("a/keep", "a/keep");
            assertThat(publishes.receive(1, java.util.concurrent.TimeUnit.SECONDS))
                    .isEmpty();
        }
    }
}
