package io.berth.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.berth.broker.config.SecurityConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A shared subscription's message goes to a member that may receive it, and stays in the group's queue
 * while none may: a member without the receive right never swallows a share of acknowledged messages.
 */
class SharedSubscriptionAclTest {
    private static final String ACL = """
      user admin
        all #
      user carol
        all #
      user dave
        subscribe #
        receive #
        deny receive secret/#
      """;

    @TempDir
    Path dir;

    private TestBroker broker;

    @BeforeEach
    void start() throws Exception {
        Path acl = dir.resolve("berth.acl");
        Files.writeString(acl, ACL);
        broker = new TestBroker(b -> b.security(SecurityConfig.DEFAULT.withAclFile(acl)));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    private Mqtt5BlockingClient client(String user) {
        return MqttClient.builder()
                .useMqttVersion5()
                .identifier(user + "-1")
                .serverHost("127.0.0.1")
                .serverPort(broker.port())
                .simpleAuth()
                .username(user)
                .applySimpleAuth()
                .buildBlocking();
    }

    private void publish(String topic, int count) {
        Mqtt5BlockingClient admin = client("admin");
        admin.connect();
        for (int i = 0; i < count; i++) {
            // each PUBACK comes after the message is queued for the group
            admin.publishWith()
                    .topic(topic)
                    .qos(MqttQos.AT_LEAST_ONCE)
                    .payload(("m" + i).getBytes())
                    .send();
        }
        admin.disconnect();
    }

    private static List<String> drain(Mqtt5BlockingClient.Mqtt5Publishes publishes) throws InterruptedException {
        List<String> got = new ArrayList<>();
        Optional<Mqtt5Publish> p;
        while ((p = publishes.receive(500, TimeUnit.MILLISECONDS)).isPresent()) {
            got.add(new String(p.get().getPayloadAsBytes()));
        }
        return got;
    }

    private static void subscribeShared(Mqtt5BlockingClient c) {
        c.subscribeWith().topicFilter("$share/g/#").qos(MqttQos.AT_LEAST_ONCE).send();
    }

    @Test
    void onlineMembers_onlyTheOneWithTheReceiveRightGetsTheMessages() throws Exception {
        Mqtt5BlockingClient carol = client("carol");
        Mqtt5BlockingClient dave = client("dave");
        carol.connect();
        dave.connect();
        try (var carolGot = carol.publishes(MqttGlobalPublishFilter.ALL);
                var daveGot = dave.publishes(MqttGlobalPublishFilter.ALL)) {
            subscribeShared(carol);
            subscribeShared(dave);
            publish("secret/s", 10);
            publish("public/p", 2);
            List<String> carols = drain(carolGot);
            List<String> daves = drain(daveGot);
            assertThat(carols).containsAll(List.of("m0", "m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9"));
            // dave gets only public messages (round robin may give him one or both of them)
            assertThat(carols.size() + daves.size()).isEqualTo(12);
        } finally {
            carol.disconnect();
            dave.disconnect();
        }
    }

    @Test
    void whenNoOnlineMemberMayReceive_theGroupQueueKeepsTheMessages_forOneThatMay() throws Exception {
        Mqtt5BlockingClient carol = client("carol");
        carol.connectWith().cleanStart(true).sessionExpiryInterval(600).send();
        subscribeShared(carol);
        carol.disconnect();
        Mqtt5BlockingClient dave = client("dave");
        dave.connect();
        try (var daveGot = dave.publishes(MqttGlobalPublishFilter.ALL)) {
            subscribeShared(dave);
            publish("secret/s", 5);
            assertThat(drain(daveGot)).isEmpty();
        } finally {
            dave.disconnect();
        }
        // dave coming back (which drains the group's queue) does not take them either
        Mqtt5BlockingClient daveAgain = client("dave");
        try (var daveGot = daveAgain.publishes(MqttGlobalPublishFilter.ALL)) {
            daveAgain.connect();
            subscribeShared(daveAgain);
            assertThat(drain(daveGot)).isEmpty();
        }
        Mqtt5BlockingClient carolAgain = client("carol");
        try (var carolGot = carolAgain.publishes(MqttGlobalPublishFilter.ALL)) {
            carolAgain
                    .connectWith()
                    .cleanStart(false)
                    .sessionExpiryInterval(600)
                    .send();
            assertThat(drain(carolGot)).containsExactly("m0", "m1", "m2", "m3", "m4");
        } finally {
            carolAgain.disconnect();
            daveAgain.disconnect();
        }
    }
}
