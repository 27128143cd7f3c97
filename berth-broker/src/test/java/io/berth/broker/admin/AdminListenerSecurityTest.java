package io.berth.broker.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import io.berth.broker.Berth;
import io.berth.broker.config.Durability;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The admin listener as a web page or a hostile local process would meet it: the quick-start
 * configuration (no token configured, so one is generated into the data folder), real sockets.
 */
class AdminListenerSecurityTest {
    @TempDir
    Path data;

    private Berth berth;
    private String token;
    private int port;

    @BeforeEach
    void start() throws Exception {
        berth = broker(data);
        port = berth.adminPort();
        token = Files.readString(data.resolve(AdminToken.FILE_NAME)).strip();
        Mqtt5BlockingClient victim = hivemq("victim");
        victim.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
        victim.subscribeWith().topicFilter("v/#").qos(MqttQos.AT_LEAST_ONCE).send();
        victim.disconnect();
        await().until(() -> !berth.admin()
                .session("victim")
                .get(5, TimeUnit.SECONDS)
                .orElseThrow()
                .online());
        Mqtt5BlockingClient pub = hivemq("pub");
        pub.connect();
        for (int i = 0; i < 5; i++) {
            pub.publishWith()
                    .topic("v/" + i)
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload(("m" + i).getBytes(StandardCharsets.UTF_8))
                    .send();
        }
        pub.disconnect();
    }

    @AfterEach
    void stop() {
        berth.close();
    }

    private static Berth broker(Path dir) {
        return Berth.builder()
                .port(0)
                .dataDir(dir)
                .durability(Durability.MEMORY)
                .adminPort(0)
                .build()
                .start();
    }

    private Mqtt5BlockingClient hivemq(String id) {
        return MqttClient.builder()
                .useMqttVersion5()
                .identifier(id)
                .serverHost("127.0.0.1")
                .serverPort(berth.port())
                .buildBlocking();
    }

    private RawHttp.Response send(String method, String path, String body, String... headers) throws Exception {
        return RawHttp.exchange(port, RawHttp.request(method, path, body, headers));
    }

    private long queued() throws Exception {
        return berth.admin()
                .session("victim")
                .get(5, TimeUnit.SECONDS)
                .orElseThrow()
                .queuedMessages();
    }

    @Test
    void dnsRebinding_foreignHost_refused403_evenWithTheToken() throws Exception {
        String auth = "Authorization: Bearer " + token;
        for (String host : List.of("attacker.example:" + port, "localhost.attacker.example:" + port, "127.0.0.1:1")) {
            RawHttp.Response r = send("GET", "/sessions/victim/queue", null, "Host: " + host, auth);
            assertThat(r.status()).as(host).isEqualTo(403);
            assertThat(r.body()).as(host).contains("\"forbidden\"").doesNotContain("m0");
        }
        assertThat(send("GET", "/metrics", null, "Host: attacker.example:" + port, auth)
                        .status())
                .isEqualTo(403);
        assertThat(send("GET", "/sessions", null, auth).status()).as("no Host").isEqualTo(403);
        for (String host : List.of("127.0.0.1:" + port, "localhost:" + port, "LOCALHOST:" + port, "[::1]:" + port)) {
            assertThat(send("GET", "/sessions/victim/queue", null, "Host: " + host, auth)
                            .status())
                    .as(host)
                    .isEqualTo(200);
        }
    }

    @Test
    void crossSiteOrigin_refused403_ownOriginServed() throws Exception {
        String host = "Host: 127.0.0.1:" + port;
        String auth = "Authorization: Bearer " + token;
        String json = "Content-Type: application/json";
        RawHttp.Response r = send(
                "POST", "/sessions/victim/purge", "{\"all\":true}", host, auth, json, "Origin: http://evil.example");
        assertThat(r.status()).isEqualTo(403);
        assertThat(send("GET", "/sessions", null, host, auth, "Origin: null").status())
                .isEqualTo(403);
        assertThat(send("POST", "/sessions/victim/disconnect", null, host, auth, "Origin: http://evil.example")
                        .status())
                .isEqualTo(403);
        assertThat(queued()).as("nothing purged").isEqualTo(5);
        r = send(
                "POST",
                "/sessions/victim/purge",
                "{\"oldest\":1}",
                host,
                auth,
                json,
                "Origin: http://127.0.0.1:" + port);
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(queued()).isEqualTo(4);
    }

    @Test
    void textPlainPost_refused415_nothingPurged() throws Exception {
        String host = "Host: 127.0.0.1:" + port;
        String auth = "Authorization: Bearer " + token;
        for (String type :
                new String[] {"Content-Type: text/plain", "Content-Type: application/x-www-form-urlencoded"}) {
            RawHttp.Response r = send("POST", "/sessions/victim/purge", "{\"all\":true}", host, auth, type);
            assertThat(r.status()).as(type).isEqualTo(415);
            assertThat(r.body()).contains("application/json");
        }
        assertThat(send("POST", "/sessions/victim/purge", "{\"all\":true}", host, auth)
                        .status())
                .as("no Content-Type")
                .isEqualTo(415);
        assertThat(queued()).isEqualTo(5);
    }

    @Test
    void missingOrWrongToken_refused401() throws Exception {
        String host = "Host: 127.0.0.1:" + port;
        assertThat(send("GET", "/sessions", null, host).status()).isEqualTo(401);
        assertThat(send("GET", "/metrics", null, host).status()).isEqualTo(401);
        assertThat(send("GET", "/overview", null, host).status()).isEqualTo(401);
        assertThat(send("GET", "/sessions", null, host, "Authorization: Bearer " + token + "x")
                        .status())
                .isEqualTo(401);
        assertThat(send("POST", "/sessions/victim/disconnect", null, host, "Authorization: Basic " + token)
                        .status())
                .isEqualTo(401);
        assertThat(send("GET", "/sessions", null, host, "Authorization: Bearer " + token)
                        .status())
                .isEqualTo(200);
    }

    @Test
    void generatedToken_isOwnerOnly_andReusedAcrossRestarts() throws Exception {
        Path file = data.resolve(AdminToken.FILE_NAME);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
        assertThat(token).hasSizeGreaterThanOrEqualTo(40).matches("[A-Za-z0-9_-]+");
        assertThat(berth.adminToken().created()).isTrue();
        berth.close();
        berth = broker(data);
        assertThat(berth.adminToken().created()).isFalse();
        assertThat(berth.adminToken().value()).isEqualTo(token);
        assertThat(Files.readString(file).strip()).isEqualTo(token);
    }

    @Test
    void generatedToken_newDataFolderIsOwnerOnly(@TempDir Path parent) throws Exception {
        Path fresh = parent.resolve("fresh");
        try (Berth b = broker(fresh)) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)))
                    .isEqualTo("rwx------");
            assertThat(b.adminToken().file()).isEqualTo(fresh.resolve(AdminToken.FILE_NAME));
        }
    }

    /**
     * Two (here three) connections that send part of a request and stop must not hold up anyone else:
     * a whole request with the token is answered while they hang.
     */
    @Test
    void unfinishedRequests_doNotFreezeTheApiOrMetrics() throws Exception {
        List<RawHttp> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                RawHttp h = new RawHttp(port);
                h.write("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n");
                stalled.add(h);
            }
            RawHttp body = new RawHttp(port);
            body.write("POST /sessions/victim/purge HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"a");
            stalled.add(body);
            HttpClient http = HttpClient.newBuilder()
                    .connectTimeout(Duration.ofSeconds(5))
                    .build();
            for (String path : List.of("/sessions", "/metrics")) {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                                .header("Authorization", "Bearer " + token)
                                .timeout(Duration.ofSeconds(5))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(r.statusCode()).as(path).isEqualTo(200);
            }
        } finally {
            for (RawHttp h : stalled) {
                h.close();
            }
        }
    }

    @Test
    void oversizedBody_refused413_oversizedHeaders_refused431() throws Exception {
        String big = "{\"topic\":\"" + "x".repeat(AdminServer.MAX_BODY) + "\"}";
        RawHttp.Response r = send(
                "POST",
                "/sessions/victim/purge",
                big,
                "Host: 127.0.0.1:" + port,
                "Authorization: Bearer " + token,
                "Content-Type: application/json");
        assertThat(r.status()).isEqualTo(413);
        assertThat(r.body()).contains("too_large");
        r = send(
                "GET",
                "/sessions",
                null,
                "Host: 127.0.0.1:" + port,
                "X-Filler: " + "y".repeat(AdminServer.MAX_HEADER_BYTES));
        assertThat(r.status()).isEqualTo(431);
        assertThat(queued()).isEqualTo(5);
    }
}
