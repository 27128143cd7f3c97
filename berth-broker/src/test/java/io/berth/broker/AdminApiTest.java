package io.berth.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.berth.broker.config.Durability;
import io.berth.codec.DisconnectPacket;
import io.berth.codec.MqttPacket;
import io.berth.codec.MqttProperties;
import io.berth.codec.MqttVersion;
import io.berth.codec.PubackPacket;
import io.berth.codec.PublishPacket;
import io.berth.codec.QoS;
import io.berth.codec.ReasonCode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin API over real HTTP against a running broker on the RocksDB store (fsync), with the admin
 * listener on a free port and a bearer token.
 */
class AdminApiTest {
    private static final String TOKEN = "s3cret-token";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path data;

    private Berth berth;
    private final HttpClient http = HttpClient.newHttpClient();
    private final List<RawClient> clients = new ArrayList<>();

    @BeforeEach
    void start() {
        berth = Berth.builder()
                .port(0)
                .dataDir(data)
                .durability(Durability.FSYNC)
                .adminPort(0)
                .configure(b -> b.adminToken(TOKEN))
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        clients.forEach(RawClient::close);
        berth.close();
    }

    record Answer(int status, String body, HttpResponse<String> response) {
        JsonNode json() throws Exception {
            return JSON.readTree(body);
        }
    }

    private Answer call(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + berth.adminPort() + path))
                .timeout(Duration.ofSeconds(20))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            b.header("Content-Type", "application/json");
        }
        HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body(), r);
    }

    private JsonNode ok(String method, String path, String body) throws Exception {
        Answer a = call(method, path, body, TOKEN);
        assertThat(a.status()).as(method + " " + path + ": " + a.body()).isEqualTo(200);
        return a.json();
    }

    private JsonNode get(String path) throws Exception {
        return ok("GET", path, null);
    }

    private RawClient client(String id, boolean clean) throws Exception {
        MqttProperties props = MqttProperties.builder()
                .sessionExpiryInterval(clean ? 0L : 3600L)
                .build();
        RawClient c = RawClient.connected(berth.port(), MqttVersion.V5, id, clean, props);
        clients.add(c);
        return c;
    }

    private void offlineSubscriber(String id, String filter) throws Exception {
        RawClient c = client(id, false);
        c.subscribe(1, filter, QoS.AT_LEAST_ONCE);
        c.send(DisconnectPacket.NORMAL);
        c.close();
        String path = "/sessions/"
                + java.net.URLEncoder.encode(id, StandardCharsets.UTF_8).replace("+", "%20");
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !get(path).get("online").asBoolean());
    }

    private static void publish(RawClient pub, String topic, byte[]... payloads) {
        for (byte[] p : payloads) {
            pub.send(new PublishPacket(topic, QoS.AT_LEAST_ONCE, false, false, 1, p, MqttProperties.EMPTY));
            assertThat(pub.expect(PubackPacket.class).reasonCode()).isEqualTo(ReasonCode.SUCCESS);
        }
    }

    private static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<String> ids(JsonNode list) {
        List<String> out = new ArrayList<>();
        list.get("sessions").forEach(s -> out.add(s.get("clientId").asText()));
        return out;
    }

    @Test
    void sessions_filteredBy_stateBacklogPrefix_sortedAndLimited() throws Exception {
        offlineSubscriber("dev-a", "t/#");
        offlineSubscriber("dev-b", "t/x");
        RawClient online = client("app-1", false);
        RawClient pub = client("pub", true);
        publish(pub, "t/x", text("1"), text("2"));
        publish(pub, "t/y", text("3"));

        assertThat(ids(get("/sessions?state=offline"))).containsExactly("dev-a", "dev-b");
        assertThat(ids(get("/sessions?prefix=dev-&min-backlog=3"))).containsExactly("dev-a");
        assertThat(ids(get("/sessions?prefix=dev-&sort=backlog&order=asc"))).containsExactly("dev-b", "dev-a");
        assertThat(ids(get("/sessions?state=online&sort=client-id"))).containsExactly("app-1", "pub");
        assertThat(ids(get("/sessions?sort=last-seen&limit=1"))).containsExactly("dev-a");
        assertThat(ids(get("/sessions?sort=expiry&prefix=dev"))).hasSize(2);
        JsonNode list = get("/sessions?min-bytes=1&sort=bytes");
        assertThat(list.get("total").asInt()).isEqualTo(4);
        assertThat(list.get("matching").asInt()).isEqualTo(2);
        JsonNode a = list.get("sessions").get(0);
        assertThat(a.get("queuedMessages").asLong()).isEqualTo(3);
        assertThat(a.get("queuedBytes").asLong()).isEqualTo(3 * 4);
        assertThat(a.get("lastSeen").asText()).isNotEmpty();
        assertThat(Instant.parse(a.get("expiresAt").asText()))
                .isAfter(Instant.now().plusSeconds(3500));
        online.close();
    }

    @Test
    void sessions_pagedWithOffset_countsStayWhole() throws Exception {
        for (String id : List.of("d-1", "d-2", "d-3", "d-4", "d-5")) {
            offlineSubscriber(id, "t/#");
        }
        JsonNode page = get("/sessions?prefix=d-&sort=client-id&limit=2&offset=2");
        assertThat(ids(page)).containsExactly("d-3", "d-4");
        assertThat(page.get("matching").asInt()).isEqualTo(5);
        assertThat(page.get("offset").asInt()).isEqualTo(2);
        assertThat(ids(get("/sessions?prefix=d-&sort=client-id&order=desc&limit=2&offset=4")))
                .containsExactly("d-1");
        assertThat(ids(get("/sessions?prefix=d-&limit=2&offset=5"))).isEmpty();
        assertThat(call("GET", "/sessions?offset=-1", null, TOKEN).status()).isEqualTo(400);
    }

    @Test
    void purge_dryRun_countsWhatWouldGo_removesNothing() throws Exception {
        offlineSubscriber("dev-a", "t/#");
        RawClient pub = client("pub", true);
        publish(pub, "t/1", text("a"), text("b"));
        publish(pub, "t/2", text("c"));
        assertThat(ok("POST", "/sessions/dev-a/purge?dry-run=true", "{\"topic\": \"t/1\"}")
                        .get("wouldRemove")
                        .asLong())
                .isEqualTo(2);
        assertThat(ok("POST", "/sessions/dev-a/purge?dry-run=true", "{\"oldest\": 1}")
                        .get("wouldRemove")
                        .asLong())
                .isEqualTo(1);
        assertThat(get("/sessions/dev-a").get("queuedMessages").asLong()).isEqualTo(3);
        assertThat(call("POST", "/sessions/dev-a/purge?dry-run=maybe", "{\"all\": true}", TOKEN)
                        .status())
                .isEqualTo(400);
    }

    @Test
    void session_showsSubscriptionsQueueInflightAndLimits() throws Exception {
        offlineSubscriber("dev-a", "t/#");
        publish(client("pub", true), "t/1", text("hello"));
        JsonNode s = get("/sessions/dev-a");
        assertThat(s.get("online").asBoolean()).isFalse();
        assertThat(s.get("protocol").asText()).isEqualTo("V5");
        assertThat(s.get("queuedMessages").asLong()).isEqualTo(1);
        assertThat(s.get("inflight").asInt()).isZero();
        assertThat(s.get("inboundQos2").isArray()).isTrue();
        assertThat(s.get("subscriptions").get(0).get("filter").asText()).isEqualTo("t/#");
        assertThat(s.get("subscriptions").get(0).get("qos").asInt()).isEqualTo(1);
        assertThat(s.get("limits").get("overflow").asText()).isEqualTo("drop-oldest");
        assertThat(s.get("limits").get("maxQueuedMessages").asLong()).isEqualTo(100_000);
    }

    @Test
    void peek_givesTextAsUtf8_binaryAsBase64_inQueueOrder() throws Exception {
        offlineSubscriber("dev-a", "t/#");
        byte[] binary = {(byte) 0xff, (byte) 0xfe, 0, 1};
        publish(client("pub", true), "t/1", text("grüße"), binary, text("third"));
        JsonNode q = get("/sessions/dev-a/queue?limit=2");
        JsonNode m = q.get("messages");
        assertThat(m).hasSize(2);
        assertThat(m.get(0).get("encoding").asText()).isEqualTo("utf-8");
        assertThat(m.get(0).get("payload").asText()).isEqualTo("grüße");
        assertThat(m.get(0).get("topic").asText()).isEqualTo("t/1");
        assertThat(m.get(1).get("encoding").asText()).isEqualTo("base64");
        assertThat(Base64.getDecoder().decode(m.get(1).get("payload").asText())).isEqualTo(binary);
        assertThat(m.get(1).get("seq").asLong())
                .isGreaterThan(m.get(0).get("seq").asLong());
        assertThat(get("/sessions/dev-a").get("queuedMessages").asLong())
                .as("peek removes nothing")
                .isEqualTo(3);
    }

    @Test
    void purge_oldestAndOlderThan_removeExactlyThose_sessionStays() throws Exception {
        offlineSubscriber("dev-a", "t/#");
        RawClient pub = client("pub", true);
        publish(pub, "t/1", text("0"), text("1"), text("2"));
        Instant published = Instant.now();
        await().until(() -> Instant.now().isAfter(published.plusMillis(5)));
        Instant between = Instant.now(); // strictly after the arrival (in milliseconds) of "0".."2"
        await().until(() -> Instant.now().isAfter(between.plusMillis(5)));
        publish(pub, "t/1", text("3"), text("4"));

        assertThat(ok("POST", "/sessions/dev-a/purge", "{\"oldest\": 2}")
                        .get("removed")
                        .asLong())
                .isEqualTo(2);
        assertThat(ok("POST", "/sessions/dev-a/purge", "{\"olderThan\": \"" + between + "\"}")
                        .get("removed")
                        .asLong())
                .isEqualTo(1);
        assertThat(ok("POST", "/sessions/dev-a/purge", "{\"olderThan\": \"PT1H\"}")
                        .get("removed")
                        .asLong())
                .isZero();
        List<String> left = new ArrayList<>();
        get("/sessions/dev-a/queue")
                .get("messages")
                .forEach(m -> left.add(m.get("payload").asText()));
        assertThat(left).containsExactly("3", "4");
        assertThat(ok("POST", "/sessions/dev-a/purge", "{\"all\": true}")
                        .get("removed")
                        .asLong())
                .isEqualTo(2);
        JsonNode s = get("/sessions/dev-a");
        assertThat(s.get("queuedMessages").asLong()).isZero();
        assertThat(s.get("subscriptions")).hasSize(1);
    }

    /**
     * Three publishers (HiveMQ clients) publish to three topics while the queue of an offline subscriber
     * is purged of one of them. Afterwards the subscriber gets every message of the other two topics, in
     * order, and of the purged topic exactly those the purge did not remove.
     */
    @Test
    void purge_byTopicFilter_underConcurrentPublishing_losesNothingElse() throws Exception {
        int perTopic = 400;
        List<String> topics = List.of("load/a", "load/b", "load/c");
        offlineSubscriber("sink", "load/#");
        ExecutorService pool = Executors.newFixedThreadPool(topics.size());
        AtomicInteger published = new AtomicInteger();
        CountDownLatch halfway = new CountDownLatch(1);
        List<Future<?>> runs = new ArrayList<>();
        for (String topic : topics) {
            runs.add(pool.submit(() -> {
                Mqtt5BlockingClient c = MqttClient.builder()
                        .useMqttVersion5()
                        .identifier("pub-" + topic.substring(5))
                        .serverHost("127.0.0.1")
                        .serverPort(berth.port())
                        .buildBlocking();
                c.connect();
                for (int i = 0; i < perTopic; i++) {
                    c.publishWith()
                            .topic(topic)
                            .qos(MqttQos.AT_LEAST_ONCE)
                            .payload(text(topic + ":" + i))
                            .send();
                    if (published.incrementAndGet() == perTopic * topics.size() / 3) {
                        halfway.countDown();
                    }
                }
                c.disconnect();
                return null;
            }));
        }
        assertThat(halfway.await(60, TimeUnit.SECONDS)).isTrue();
        long removed = ok("POST", "/sessions/sink/purge", "{\"topic\": \"load/b\"}")
                .get("removed")
                .asLong();
        for (Future<?> r : runs) {
            r.get(120, TimeUnit.SECONDS);
        }
        pool.shutdown();
        assertThat(removed).isPositive();

        long expected = 3L * perTopic - removed;
        assertThat(get("/sessions/sink").get("queuedMessages").asLong()).isEqualTo(expected);
        Map<String, List<Integer>> got = drain("sink", expected);
        for (String t : List.of("load/a", "load/c")) {
            assertThat(got.get(t)).as(t).hasSize(perTopic).isSorted();
        }
        List<Integer> b = got.getOrDefault("load/b", List.of());
        assertThat(b).isSorted().hasSize((int) (perTopic - removed));
        // the purge took a prefix of load/b: what it did not take is exactly what came after
        assertThat(b)
                .isEqualTo(java.util.stream.IntStream.range((int) removed, perTopic)
                        .boxed()
                        .toList());
    }

    /** Resumes {@code id}, acknowledges everything, returns the indexes received per topic. */
    private Map<String, List<Integer>> drain(String id, long expected) throws Exception {
        RawClient c = client(id, false);
        Map<String, List<Integer>> got = new HashMap<>();
        long n = 0;
        while (true) {
            MqttPacket p;
            try {
                p = c.receive(Duration.ofSeconds(n < expected ? 10 : 1));
            } catch (AssertionError quiet) {
                break;
            }
            if (p instanceof PublishPacket pp) {
                String[] s = new String(pp.payload(), StandardCharsets.UTF_8).split(":");
                got.computeIfAbsent(s[0], k -> new ArrayList<>()).add(Integer.parseInt(s[1]));
                c.send(PubackPacket.of(pp.packetId()));
                n++;
            }
        }
        assertThat(n).isEqualTo(expected);
        return got;
    }

    @Test
    void disconnect_closesTheConnection_sessionStays_thenDeleteEndsIt() throws Exception {
        RawClient c = client("app-1", false);
        c.subscribe(1, "t/#", QoS.AT_LEAST_ONCE);
        assertThat(ok("POST", "/sessions/app-1/disconnect", null)
                        .get("disconnected")
                        .asBoolean())
                .isTrue();
        assertThat(c.expect(DisconnectPacket.class).reasonCode()).isEqualTo(ReasonCode.ADMINISTRATIVE_ACTION);
        await().atMost(Duration.ofSeconds(5))
                .until(() -> !get("/sessions/app-1").get("online").asBoolean());
        assertThat(get("/sessions/app-1").get("subscriptions")).hasSize(1);

        Answer again = call("POST", "/sessions/app-1/disconnect", null, TOKEN);
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.json().get("message").asText()).contains("no connection");

        assertThat(ok("DELETE", "/sessions/app-1", null).get("deleted").asBoolean())
                .isTrue();
        assertThat(call("GET", "/sessions/app-1", null, TOKEN).status()).isEqualTo(404);
    }

    @Test
    void clientIdsWithSlashesAndSpaces_arePercentEncodedInThePath() throws Exception {
        offlineSubscriber("plant 7/line#2", "t/#");
        assertThat(get("/sessions/plant%207%2Fline%232").get("clientId").asText())
                .isEqualTo("plant 7/line#2");
    }

    @Test
    void badRequests_getClear4xxWithAJsonMessage() throws Exception {
        offlineSubscriber("dev-a", "t/#");
        String[][] cases = {
            // method, path, body, token, status, message contains
            {"GET", "/sessions/nobody", null, TOKEN, "404", "no session 'nobody'"},
            {"GET", "/sessions/nobody/queue", null, TOKEN, "404", "no session"},
            {"POST", "/sessions/nobody/purge", "{\"all\": true}", TOKEN, "404", "no session"},
            {"DELETE", "/sessions/nobody", null, TOKEN, "404", "no session"},
            {"POST", "/sessions/nobody/disconnect", null, TOKEN, "404", "no session"},
            {"POST", "/sessions/dev-a/purge", "{\"topic\": \"t/#/x\"}", TOKEN, "400", "not a valid topic filter"},
            {"POST", "/sessions/dev-a/purge", "{\"topic\": \"t/x+\"}", TOKEN, "400", "not a valid topic filter"},
            {"POST", "/sessions/dev-a/purge", "{}", TOKEN, "400", "say what to purge"},
            {"POST", "/sessions/dev-a/purge", "purge it all", TOKEN, "400", "not JSON"},
            {"POST", "/sessions/dev-a/purge", "{\"all\": true, \"oldest\": 3}", TOKEN, "400", "cannot be combined"},
            {"POST", "/sessions/dev-a/purge", "{\"olderThan\": \"yesterday\"}", TOKEN, "400", "ISO-8601"},
            {"POST", "/sessions/dev-a/purge", "{\"oldest\": -1}", TOKEN, "400", "at least 1"},
            {"POST", "/sessions/dev-a/purge", "{\"everything\": true}", TOKEN, "400", "unknown field"},
            {"GET", "/sessions?sort=size", null, TOKEN, "400", "sort must be"},
            {"GET", "/sessions?state=asleep", null, TOKEN, "400", "state must be"},
            {"GET", "/sessions?limit=0", null, TOKEN, "400", "limit must be"},
            {"GET", "/sessions?colour=red", null, TOKEN, "400", "unknown parameter"},
            {"GET", "/sessions/dev-a/queue?limit=many", null, TOKEN, "400", "whole number"},
            {"GET", "/sessions", null, null, "401", "Authorization"},
            {"GET", "/sessions", null, "wrong", "401", "not the admin-token"},
            {"GET", "/metrics", null, null, "401", "Authorization"},
            {"PUT", "/sessions", "{}", TOKEN, "405", "not allowed"},
            {"GET", "/sessions/dev-a/purge", null, TOKEN, "405", "not allowed"},
            {"POST", "/sessions/dev-a", null, TOKEN, "405", "not allowed"},
            {"GET", "/nothing/here", null, TOKEN, "404", "no such endpoint"},
        };
        for (String[] c : cases) {
            Answer a = call(c[0], c[1], c[2], c[3]);
            String what = c[0] + " " + c[1] + " " + c[2] + ": " + a.body();
            assertThat(a.status()).as(what).isEqualTo(Integer.parseInt(c[4]));
            assertThat(a.response().headers().firstValue("Content-Type"))
                    .get()
                    .asString()
                    .startsWith("application/json");
            assertThat(a.json().get("message").asText()).as(what).contains(c[5]);
        }
        assertThat(call("GET", "/sessions", null, null).response().headers().firstValue("WWW-Authenticate"))
                .get()
                .asString()
                .startsWith("Bearer");
        assertThat(call("PUT", "/sessions", "{}", TOKEN).response().headers().firstValue("Allow"))
                .contains("GET");
        assertThat(get("/sessions/dev-a").get("queuedMessages").asLong())
                .as("nothing was purged")
                .isZero();
    }

    @Test
    void metrics_servedInPrometheusFormat_withTheBrokersMetricNames() throws Exception {
        offlineSubscriber("dev-a", "t/#");
        RawClient pub = client("pub", true);
        publish(pub, "t/1", text("a"), text("b"));
        ok("POST", "/sessions/dev-a/purge", "{\"oldest\": 1}");
        Answer a = call("GET", "/metrics", null, TOKEN);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.response().headers().firstValue("Content-Type"))
                .get()
                .asString()
                .startsWith("text/plain");
        assertThat(a.body())
                .contains(
                        "berth_connections ",
                        "berth_sessions_online ",
                        "berth_sessions_offline ",
                        "berth_queued_messages 1.0",
                        "berth_queued_bytes ",
                        "berth_received_messages_total 2.0",
                        "berth_delivered_messages_total",
                        "berth_redelivered_messages_total",
                        "berth_dropped_messages_total{reason=\"purged\"} 1.0",
                        "berth_commit_batch_commands_count",
                        "berth_commit_seconds_bucket",
                        "berth_recovery_seconds");
        assertThat(a.body()).doesNotContain("berth_commit_batch_commands_count 0.0");
    }

    @Test
    void noToken_generatesOneInTheDataFolder_servesOnLoopbackOnly_andRefusesToBindElsewhere(
            @TempDir Path own, @TempDir Path other) throws Exception {
        try (Berth open = Berth.builder()
                .port(0)
                .dataDir(own)
                .durability(Durability.MEMORY)
                .adminPort(0)
                .build()
                .start()) {
            URI uri = URI.create("http://127.0.0.1:" + open.adminPort() + "/sessions");
            HttpResponse<String> r =
                    http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(401);
            String generated =
                    java.nio.file.Files.readString(own.resolve("admin-token")).strip();
            r = http.send(
                    HttpRequest.newBuilder(uri)
                            .header("Authorization", "Bearer " + generated)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).isEqualTo(200);
        }
        assertThatThrownBy(() -> Berth.builder()
                        .port(0)
                        .dataDir(other)
                        .durability(Durability.MEMORY)
                        .adminPort(0)
                        .configure(b -> b.adminBind("0.0.0.0"))
                        .build()
                        .start())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not a loopback address and no admin-token");
    }
}
