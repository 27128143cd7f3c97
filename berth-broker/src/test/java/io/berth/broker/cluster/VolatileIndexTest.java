package io.berth.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.broker.store.SessionRecord;
import io.berth.broker.store.StoreCommand;
import io.berth.broker.store.StoredMessage;
import io.berth.broker.store.Subscription;
import io.berth.broker.store.rocksdb.CommandCodec;
import io.berth.broker.store.rocksdb.RocksSessionStore.MetaWrite;
import io.berth.codec.MqttProperties;
import io.berth.codec.MqttVersion;
import io.berth.codec.QoS;
import io.berth.codec.RetainHandling;
import io.berth.codec.Will;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The routing of sessions that end with their connection as the state machine applies it (ADR 16): their
 * registrations come out of the entry into the index, tagged with their node; a relay is for its node
 * only; a shared group's member of that kind is served from memory, without an inbox row; and a node's
 * adoption or a claim leaves nothing of them behind.
 */
class VolatileIndexTest {
    private static final Map<String, String> OWNERS = Map.of("v", "n2", "d", "n1");

    private static StoredMessage message(long id) {
        return new StoredMessage(
                id,
                "a/b",
                ("m" + id).getBytes(StandardCharsets.UTF_8),
                QoS.AT_LEAST_ONCE,
                false,
                MqttProperties.EMPTY,
                1_000,
                "pub");
    }

    private static Subscription sub(String filter, boolean noLocal) {
        return new Subscription(filter, QoS.AT_LEAST_ONCE, noLocal, false, RetainHandling.SEND_ON_SUBSCRIBE, 0);
    }

    /** One instance: a record holds a byte array, compared by reference. */
    private static final SessionRecord V = new SessionRecord(
            "v",
            MqttVersion.V5,
            0,
            0,
            new Will("status/v", new byte[] {1}, QoS.AT_LEAST_ONCE, false, MqttProperties.EMPTY),
            "");

    private static StoreCommand change(StoreCommand c) {
        return new StoreCommand.VolatileChange(c);
    }

    @Test
    void registrations_leaveTheEntry_andTagTheirNode() {
        SubscriptionIndex index = new SubscriptionIndex();
        VolatileIndex volatiles = new VolatileIndex(index);
        List<MetaWrite> meta = new ArrayList<>();
        StoreCommand retained = new StoreCommand.DeleteRetained("r");
        VolatileIndex.Applied a = volatiles.apply(
                "n2",
                List.of(
                        change(new StoreCommand.PutSession(V)),
                        retained,
                        change(new StoreCommand.PutSubscription("v", sub("a/+", false))),
                        change(new StoreCommand.PutSubscription("v", sub("own/#", true)))),
                "n1",
                meta);

        assertThat(a.kept()).containsExactly(retained);
        assertThat(meta)
                .extracting(MetaWrite::key)
                .containsExactly("volatile/2:n2/1:v/r", "volatile/2:n2/1:v/s/a/+", "volatile/2:n2/1:v/s/own/#");
        assertThat(volatiles.relayNodes("a/b", "pub", "n1")).containsExactly("n2");
        assertThat(volatiles.relayNodes("a/b", "pub", "n2"))
                .as("its own node serves it directly")
                .isEmpty();
        // [MQTT-3.8.3-3] No Local: not relayed for the publisher's own subscription
        assertThat(volatiles.relayNodes("own/x", "v", "n1")).isEmpty();
        assertThat(volatiles.relayNodes("own/x", "other", "n1")).containsExactly("n2");
        assertThat(index.tree().size()).as("not in the durable sessions' tree").isZero();

        meta.clear();
        volatiles.apply("n2", List.of(change(new StoreCommand.DeleteSubscription("v", "a/+"))), "n1", meta);
        assertThat(volatiles.relayNodes("a/b", "pub", "n1")).isEmpty();
        assertThat(meta).singleElement().satisfies(m -> assertThat(m.value()).isNull());
    }

    @Test
    void relay_isForItsNodeOnly() {
        VolatileIndex volatiles = new VolatileIndex(new SubscriptionIndex());
        StoredMessage m = message(3);
        StoreCommand relay = new StoreCommand.Relay("n2", m);
        assertThat(volatiles
                        .apply("n1", List.of(relay), "n2", new ArrayList<>())
                        .relayed())
                .containsExactly(m);
        VolatileIndex.Applied elsewhere = volatiles.apply("n1", List.of(relay), "n3", new ArrayList<>());
        assertThat(elsewhere.relayed()).isEmpty();
        assertThat(elsewhere.kept()).isEmpty();
    }

    @Test
    void sharedMemberThatEndsWithItsConnection_isServedByItsNode_withoutAnInboxRow() {
        SubscriptionIndex index = new SubscriptionIndex();
        VolatileIndex volatiles = new VolatileIndex(index);
        volatiles.apply(
                "n2",
                List.of(change(new StoreCommand.PutSubscription("v", sub("$share/g/a/#", false)))),
                "n2",
                new ArrayList<>());
        assertThat(index.tree().size()).as("the group is the cluster's").isOne();

        for (String self : List.of("n2", "n1")) {
            List<MetaWrite> meta = new ArrayList<>();
            Inboxes.Applied a = new Inboxes()
                    .apply(
                            9,
                            List.of(new StoreCommand.ForwardShared("$share/g/a/#", message(4))),
                            OWNERS::get,
                            index,
                            meta,
                            self);
            assertThat(meta).extracting(MetaWrite::key).noneMatch(k -> k.startsWith(Inboxes.ROWS));
            assertThat(a.forwarded()).isEmpty();
            if (self.equals("n2")) {
                assertThat(a.volatileShared())
                        .usingRecursiveFieldByFieldElementComparator()
                        .containsExactly(new StoreCommand.Forward("v", message(4), "$share/g/a/#"));
            } else {
                assertThat(a.volatileShared()).isEmpty();
            }
        }
    }

    @Test
    void adoptionOfANode_forgetsItsSessions_andHandsTheirRecordsForTheirWills() {
        SubscriptionIndex index = new SubscriptionIndex();
        VolatileIndex volatiles = new VolatileIndex(index);
        volatiles.apply(
                "n2",
                List.of(
                        change(new StoreCommand.PutSession(V)),
                        change(new StoreCommand.PutSubscription("v", sub("a/#", false))),
                        change(new StoreCommand.PutSubscription("v", sub("$share/g/a/#", false)))),
                "n1",
                new ArrayList<>());

        List<MetaWrite> meta = new ArrayList<>();
        List<SessionRecord> gone = volatiles.dropNode("n2", meta);

        assertThat(gone).containsExactly(V);
        assertThat(meta).singleElement().satisfies(m -> {
            assertThat(m.key()).isEqualTo("volatile/2:n2/");
            assertThat(m.wholePrefix()).isTrue();
        });
        assertThat(volatiles.relayNodes("a/b", "pub", "n1")).isEmpty();
        assertThat(index.member("$share/g/a/#", 0)).isNull();
        assertThat(index.volatileNode("v")).isNull();
        assertThat(volatiles.dropNode("n2", meta)).as("once").isEmpty();
    }

    @Test
    void claimByAnotherNode_endsTheSessionOfThatIdElsewhere_butNotATakeoverOnItsOwnNode() {
        VolatileIndex volatiles = new VolatileIndex(new SubscriptionIndex());
        volatiles.apply(
                "n2",
                List.of(
                        change(new StoreCommand.PutSession(V)),
                        change(new StoreCommand.PutSubscription("v", sub("a/#", false)))),
                "n1",
                new ArrayList<>());

        assertThat(volatiles.claimed("v", "n2", new ArrayList<>())).isNull();
        assertThat(volatiles.relayNodes("a/b", "pub", "n1")).containsExactly("n2");

        assertThat(volatiles.claimed("v", "n3", new ArrayList<>())).isEqualTo(V);
        assertThat(volatiles.relayNodes("a/b", "pub", "n1")).isEmpty();
    }

    @Test
    void commands_roundTripThroughTheLogCodec() {
        List<StoreCommand> commands = List.of(
                change(new StoreCommand.PutSession(V)),
                change(new StoreCommand.PutSubscription("v", sub("a/#", true))),
                change(new StoreCommand.DeleteSubscription("v", "a/#")),
                change(new StoreCommand.DeleteSession("v")),
                new StoreCommand.Relay("n3", message(5)));
        assertThat(CommandCodec.decode(CommandCodec.encode(commands)))
                .usingRecursiveFieldByFieldElementComparator()
                .isEqualTo(commands);
    }
}
