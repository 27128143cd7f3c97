package io.berth.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.broker.store.QueueEntry;
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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The inboxes as the state machine applies them (ADR 13): a forward becomes a row keyed by its log
 * position, a take moves it into the queue once, whatever is submitted twice, and a shared subscription's
 * member is picked the same way on every replica.
 */
class InboxesTest {
    private static final Map<String, String> OWNERS = Map.of("c", "n2", "w1", "n1", "w2", "n3");

    private static StoredMessage message(long id) {
        return new StoredMessage(
                id,
                "t/x",
                ("m" + id).getBytes(StandardCharsets.UTF_8),
                QoS.EXACTLY_ONCE,
                false,
                MqttProperties.EMPTY,
                1_000,
                "pub");
    }

    private static StoreCommand.Enqueue enqueue(long seq, long id) {
        return new StoreCommand.Enqueue("c", new QueueEntry(seq, id, QoS.EXACTLY_ONCE, false, List.of()), message(id));
    }

    private static Inboxes.Applied apply(
            Inboxes inboxes, SubscriptionIndex index, long at, List<MetaWrite> meta, StoreCommand... commands) {
        Inboxes.Applied a = inboxes.apply(at, List.of(commands), OWNERS::get, index, meta);
        index.apply(a.store());
        return a;
    }

    @Test
    void key_isSixteenLowerCaseHexDigits_sortingAsTheNumber() {
        assertThat(Inboxes.key(0)).isEqualTo("0000000000000000");
        assertThat(Inboxes.key(5L << 20 | 1)).isEqualTo("0000000000500001");
        assertThat(Inboxes.key(Long.MAX_VALUE)).isEqualTo("7fffffffffffffff");
        assertThat(Inboxes.key(0xABCDEFL << 20)).isEqualTo(String.format("%016x", 0xABCDEFL << 20));
        assertThat(Inboxes.key(9L << 20)).isLessThan(Inboxes.key(10L << 20));
    }

    @Test
    void forward_isARowKeyedByItsLogPosition_andItsTakeQueuesItOnce() {
        Inboxes inboxes = new Inboxes();
        SubscriptionIndex index = new SubscriptionIndex();
        List<MetaWrite> meta = new ArrayList<>();
        Inboxes.Applied forwarded = apply(inboxes, index, 5, meta, new StoreCommand.Forward("c", message(7)));
        long key = 5L << 20;
        assertThat(forwarded.store()).isEmpty();
        assertThat(forwarded.forwarded()).containsExactly("c");
        assertThat(meta).singleElement().satisfies(m -> {
            assertThat(m.key()).isEqualTo("inbox/1:c/" + Inboxes.key(key));
            assertThat(CommandCodec.decode(m.value()))
                    .usingRecursiveFieldByFieldElementComparator()
                    .containsExactly(new StoreCommand.Forward("c", message(7)));
        });

        meta.clear();
        Inboxes.Applied taken = apply(inboxes, index, 6, meta, new StoreCommand.TakeForwarded("c", key, enqueue(0, 7)));
        assertThat(taken.store()).usingRecursiveFieldByFieldElementComparator().containsExactly(enqueue(0, 7));
        assertThat(taken.lost()).isEmpty();
        assertThat(meta).extracting(MetaWrite::key).containsExactly("inbox/1:c/" + Inboxes.key(key), "inbox-taken/c");
        assertThat(meta.get(0).value()).isNull();

        // the same take again (a node that submitted it before it restarted): nothing, and the node is told
        meta.clear();
        Inboxes.Applied again = apply(inboxes, index, 7, meta, new StoreCommand.TakeForwarded("c", key, enqueue(1, 7)));
        assertThat(again.store()).isEmpty();
        assertThat(again.lost()).containsExactly("c");
        assertThat(meta).isEmpty();
    }

    @Test
    void forwardToASessionThatIsGone_writesNothing() {
        List<MetaWrite> meta = new ArrayList<>();
        Inboxes.Applied a =
                apply(new Inboxes(), new SubscriptionIndex(), 3, meta, new StoreCommand.Forward("nobody", message(1)));
        assertThat(a.forwarded()).isEmpty();
        assertThat(meta).isEmpty();
    }

    @Test
    void deleteSession_deletesItsRows_andRefusesTakesOfThem_butNotOfLaterOnes() {
        Inboxes inboxes = new Inboxes();
        SubscriptionIndex index = new SubscriptionIndex();
        List<MetaWrite> meta = new ArrayList<>();
        apply(inboxes, index, 4, meta, new StoreCommand.Forward("c", message(1)));
        meta.clear();
        apply(
                inboxes,
                index,
                5,
                meta,
                new StoreCommand.Forward("c", message(2)),
                new StoreCommand.DeleteSession("c"),
                new StoreCommand.Forward("c", message(3)));
        assertThat(meta)
                .extracting(MetaWrite::key)
                .containsExactly(
                        "inbox/1:c/" + Inboxes.key(5L << 20),
                        "inbox/1:c/",
                        "inbox-taken/c",
                        "inbox/1:c/" + Inboxes.key((5L << 20) | 1));
        assertThat(meta.get(1).wholePrefix()).isTrue();

        Inboxes.Applied old =
                apply(inboxes, index, 6, new ArrayList<>(), new StoreCommand.TakeForwarded("c", 4L << 20, null));
        assertThat(old.store()).isEmpty();
        Inboxes.Applied later = apply(
                inboxes,
                index,
                7,
                new ArrayList<>(),
                new StoreCommand.TakeForwarded("c", (5L << 20) | 1, enqueue(0, 3)));
        assertThat(later.store()).usingRecursiveFieldByFieldElementComparator().containsExactly(enqueue(0, 3));
    }

    @Test
    void sharedSubscription_everyReplicaPicksTheSameMember_roundRobinOverTheConnectedOnes() {
        List<List<String>> picks = new ArrayList<>();
        for (int replica = 0; replica < 2; replica++) {
            Inboxes inboxes = new Inboxes();
            SubscriptionIndex index = new SubscriptionIndex();
            Subscription sub = new Subscription(
                    "$share/g/t/#", QoS.AT_LEAST_ONCE, false, false, RetainHandling.SEND_ON_SUBSCRIBE, 0);
            for (String w : List.of("w2", "w1")) {
                index.apply(List.of(
                        new StoreCommand.PutSession(new SessionRecord(w, MqttVersion.V5, 60, 0, null, "")),
                        new StoreCommand.PutSubscription(w, sub)));
            }
            List<String> got = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                List<MetaWrite> meta = new ArrayList<>();
                Inboxes.Applied a =
                        apply(inboxes, index, 10 + i, meta, new StoreCommand.ForwardShared("$share/g/t/#", message(i)));
                got.addAll(a.forwarded());
                MetaWrite row = meta.stream()
                        .filter(m -> m.key().startsWith("inbox/"))
                        .findFirst()
                        .orElseThrow();
                assertThat(CommandCodec.decode(row.value()))
                        .usingRecursiveFieldByFieldElementComparator()
                        .containsExactly(new StoreCommand.Forward(got.get(i), message(i), "$share/g/t/#"));
            }
            // w1 goes offline: only w2 gets messages while it is the only connected member
            index.apply(List.of(new StoreCommand.PutSession(new SessionRecord("w1", MqttVersion.V5, 60, 5, null, ""))));
            for (int i = 4; i < 6; i++) {
                got.addAll(apply(
                                inboxes,
                                index,
                                10 + i,
                                new ArrayList<>(),
                                new StoreCommand.ForwardShared("$share/g/t/#", message(i)))
                        .forwarded());
            }
            picks.add(got);
        }
        assertThat(picks.get(0)).containsExactly("w1", "w2", "w1", "w2", "w2", "w2");
        assertThat(picks.get(1)).isEqualTo(picks.get(0));
    }

    @Test
    void commandCodec_carriesTheClusterCommands() {
        List<StoreCommand> commands = List.of(
                new StoreCommand.Forward("c", message(1)),
                new StoreCommand.Forward("c", message(2), "$share/g/t"),
                new StoreCommand.ForwardShared("$share/g/t", message(3)),
                new StoreCommand.TakeForwarded("c", 42, null),
                new StoreCommand.TakeForwarded("c", 43, enqueue(9, 4)));
        assertThat(CommandCodec.decode(CommandCodec.encode(commands)))
                .usingRecursiveComparison()
                .isEqualTo(commands);
    }
}
