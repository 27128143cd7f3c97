package io.berth.broker.store;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.broker.store.SessionStore.Recovery;
import io.berth.broker.store.StoreCommand.Dequeue;
import io.berth.broker.store.StoreCommand.DeleteInbound;
import io.berth.broker.store.StoreCommand.DeleteRetained;
import io.berth.broker.store.StoreCommand.DeleteSession;
import io.berth.broker.store.StoreCommand.DeleteSubscription;
import io.berth.broker.store.StoreCommand.Enqueue;
import io.berth.broker.store.StoreCommand.PutInbound;
import io.berth.broker.store.StoreCommand.PutInflight;
import io.berth.broker.store.StoreCommand.PutRetained;
import io.berth.broker.store.StoreCommand.PutSession;
import io.berth.broker.store.StoreCommand.PutSubscription;
import io.berth.codec.MqttProperties;
import io.berth.codec.MqttVersion;
import io.berth.codec.QoS;
import io.berth.codec.RetainHandling;
import io.berth.codec.UserProperty;
import io.berth.codec.Will;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What every {@link SessionStore} does, run against each implementation. {@link #restart()} stands for
 * a broker restart: a durable store is closed and opened again on the same folder, so every assertion
 * made after it also checks that the state survived.
 */
public abstract class SessionStoreContract {
  @TempDir protected Path dir;
  protected SessionStore store;

  /** A new store in {@code dir}. */
  protected abstract SessionStore open(Path dir) throws Exception;

  /** The store as a restarted broker would see it. */
  protected SessionStore restart() throws Exception {
    return store;
  }

  @BeforeEach
  void openStore() throws Exception {
    store = open(dir);
  }

  @AfterEach
  void closeStore() {
    store.close();
  }

  // ---- fixtures

  protected static final MqttProperties RICH_PROPERTIES =
      MqttProperties.builder()
          .payloadFormatIndicator(1)
          .messageExpiryInterval(3600L)
          .contentType("text/plain")
          .responseTopic("reply/to")
          .correlationData(new byte[] {0, 1, 2, (byte) 0xFF})
          .userProperties(List.of(new UserProperty("k", "v1"), new UserProperty("k", "v2"), new UserProperty("ü", "")))
          .build();

  protected static StoredMessage message(long id, String topic, String payload) {
    return new StoredMessage(
        id, topic, payload.getBytes(StandardCharsets.UTF_8), QoS.AT_LEAST_ONCE, false, MqttProperties.EMPTY, 1_000L, "pub");
  }

  protected static SessionRecord session(String clientId) {
    return new SessionRecord(clientId, MqttVersion.V5, SessionRecord.NEVER_EXPIRES, 0, null, "");
  }

  protected static Enqueue enqueue(String clientId, long seq, StoredMessage m) {
    return new Enqueue(clientId, new QueueEntry(seq, m.id(), QoS.AT_LEAST_ONCE, false, List.of()), m);
  }

  protected void commit(StoreCommand... commands) throws Exception {
    store.submit(List.of(commands)).get(10, TimeUnit.SECONDS);
  }

  protected Recovery recoverAfterRestart() throws Exception {
    store = restart();
    return store.recover();
  }

  protected static RecoveredSession only(Recovery r, String clientId) {
    return r.sessions().stream().filter(s -> s.record().clientId().equals(clientId)).findFirst().orElseThrow();
  }

  // ---- sessions

  @Test
  void emptyStore_recover_returnsNothingAndMessageIdOne() throws Exception {
    Recovery r = recoverAfterRestart();
    assertThat(r.sessions()).isEmpty();
    assertThat(r.retained()).isEmpty();
    assertThat(r.nextMessageId()).isEqualTo(1);
  }

  @Test
  void putSession_recover_returnsTheRecordWithWill() throws Exception {
    Will will =
        new Will("will/topic", new byte[] {9, 8, 7}, QoS.EXACTLY_ONCE, true,
            MqttProperties.builder().willDelayInterval(30L).contentType("x").build());
    SessionRecord record = new SessionRecord("c1", MqttVersion.V5, 120, 5_000L, will, "alice");
    SessionRecord plain = new SessionRecord("c2", MqttVersion.V3_1_1, 0, 0, null, "");
    commit(new PutSession(record), new PutSession(plain));

    Recovery r = recoverAfterRestart();

    assertThat(only(r, "c1").record()).usingRecursiveComparison().isEqualTo(record);
    assertThat(only(r, "c2").record()).isEqualTo(plain);
    assertThat(only(r, "c2").queueHead()).isZero();
    assertThat(only(r, "c2").queueTail()).isZero();
  }

  @Test
  void putSession_again_replacesTheRecord() throws Exception {
    commit(new PutSession(session("c")));
    commit(new PutSession(session("c").withDisconnectedAt(42).withExpiry(7)));

    Recovery r = recoverAfterRestart();

    assertThat(r.sessions()).hasSize(1);
    assertThat(only(r, "c").record().disconnectedAtMillis()).isEqualTo(42);
    assertThat(only(r, "c").record().expiryIntervalSeconds()).isEqualTo(7);
  }

  @Test
  void clientIds_thatArePrefixesOfEachOther_doNotMix() throws Exception {
    commit(
        new PutSession(session("a")),
        new PutSession(session("ab")),
        new PutSubscription("a", sub("x", QoS.AT_MOST_ONCE)),
        new PutSubscription("ab", sub("y", QoS.AT_MOST_ONCE)),
        enqueue("a", 0, message(1, "t", "1")),
        enqueue("ab", 0, message(2, "t", "2")));
    commit(new DeleteSession("a"));

    Recovery r = recoverAfterRestart();

    assertThat(r.sessions()).extracting(s -> s.record().clientId()).containsExactly("ab");
    assertThat(only(r, "ab").subscriptions()).extracting(Subscription::filter).containsExactly("y");
    assertThat(store.readQueue("ab", 0, Long.MAX_VALUE, 10)).hasSize(1);
    assertThat(store.readQueue("a", 0, Long.MAX_VALUE, 10)).isEmpty();
  }

  @Test
  void deleteSession_removesEverythingTheClientHolds() throws Exception {
    commit(
        new PutSession(session("c")),
        new PutSubscription("c", sub("a/#", QoS.AT_LEAST_ONCE)),
        enqueue("c", 0, message(1, "a/b", "x")),
        enqueue("c", 1, message(2, "a/b", "y")),
        new PutInflight("c", new InflightRecord(0, 1, false)),
        new PutInbound("c", 7),
        new PutSession(session("other")),
        enqueue("other", 0, message(2, "a/b", "y")));
    commit(new DeleteSession("c"));

    Recovery r = recoverAfterRestart();

    assertThat(r.sessions()).extracting(s -> s.record().clientId()).containsExactly("other");
    assertThat(store.readQueue("c", 0, Long.MAX_VALUE, 10)).isEmpty();
    assertThat(store.readQueue("other", 0, Long.MAX_VALUE, 10))
        .extracting(q -> new String(q.message().payload(), StandardCharsets.UTF_8))
        .containsExactly("y");
  }

  @Test
  void deleteSession_thenNewSession_startsEmpty() throws Exception {
    commit(new PutSession(session("c")), enqueue("c", 0, message(1, "t", "x")), new PutInbound("c", 3));
    commit(new DeleteSession("c"), new PutSession(session("c")), new PutSubscription("c", sub("n", QoS.AT_MOST_ONCE)));

    RecoveredSession s = only(recoverAfterRestart(), "c");

    assertThat(s.queuedCount()).isZero();
    assertThat(s.queueTail()).isZero();
    assertThat(s.inbound()).isEmpty();
    assertThat(s.subscriptions()).extracting(Subscription::filter).containsExactly("n");
  }

  // ---- subscriptions

  protected static Subscription sub(String filter, QoS qos) {
    return new Subscription(filter, qos, false, false, RetainHandling.SEND_ON_SUBSCRIBE, 0);
  }

  @Test
  void subscriptions_putReplaceDelete_recoverWithAllOptions() throws Exception {
    Subscription rich = new Subscription("$share/g/a/+", QoS.EXACTLY_ONCE, true, true, RetainHandling.DO_NOT_SEND, 268_435_455);
    commit(
        new PutSession(session("c")),
        new PutSubscription("c", sub("a/b", QoS.AT_MOST_ONCE)),
        new PutSubscription("c", sub("a/b", QoS.AT_LEAST_ONCE)),
        new PutSubscription("c", rich),
        new PutSubscription("c", sub("gone", QoS.AT_MOST_ONCE)));
    commit(new DeleteSubscription("c", "gone"), new DeleteSubscription("c", "never-there"));

    assertThat(only(recoverAfterRestart(), "c").subscriptions())
        .containsExactlyInAnyOrder(sub("a/b", QoS.AT_LEAST_ONCE), rich);
  }

  // ---- queues

  @Test
  void enqueue_readQueue_returnsEntriesInOrderWithTheirMessages() throws Exception {
    StoredMessage rich =
        new StoredMessage(5, "a/b", new byte[] {1, 2, 3}, QoS.EXACTLY_ONCE, true, RICH_PROPERTIES, 77L, "publisher");
    StoredMessage empty = new StoredMessage(6, "a/c", new byte[0], QoS.AT_LEAST_ONCE, false, MqttProperties.EMPTY, 78L, "");
    commit(
        new PutSession(session("c")),
        new Enqueue("c", new QueueEntry(10, 5, QoS.AT_LEAST_ONCE, true, List.of(1, 268_435_455)), rich),
        new Enqueue("c", new QueueEntry(11, 6, QoS.AT_LEAST_ONCE, false, List.of()), empty));
    store = restart();

    List<QueuedMessage> all = store.readQueue("c", 0, Long.MAX_VALUE, 100);

    assertThat(all).extracting(q -> q.entry().seq()).containsExactly(10L, 11L);
    assertThat(all.get(0).entry().subscriptionIds()).containsExactly(1, 268_435_455);
    assertThat(all.get(0).entry().retain()).isTrue();
    assertThat(all.get(0).message()).usingRecursiveComparison().isEqualTo(rich);
    assertThat(all.get(1).message()).usingRecursiveComparison().isEqualTo(empty);
  }

  @Test
  void readQueue_respectsFromToAndMax() throws Exception {
    commit(new PutSession(session("c")));
    for (long seq = 0; seq < 10; seq++) {
      commit(enqueue("c", seq, message(seq + 1, "t", "m" + seq)));
    }

    assertThat(store.readQueue("c", 3, 7, 100)).extracting(q -> q.entry().seq()).containsExactly(3L, 4L, 5L, 6L);
    assertThat(store.readQueue("c", 3, 7, 2)).extracting(q -> q.entry().seq()).containsExactly(3L, 4L);
    assertThat(store.readQueue("c", 7, 7, 10)).isEmpty();
    assertThat(store.readQueue("c", 20, Long.MAX_VALUE, 10)).isEmpty();
    assertThat(store.readQueue("unknown", 0, Long.MAX_VALUE, 10)).isEmpty();
  }

  @Test
  void recover_reportsQueueHeadTailCountAndBytes() throws Exception {
    commit(new PutSession(session("c")));
    commit(enqueue("c", 4, message(1, "ab", "123")), enqueue("c", 5, message(2, "ab", "45")));
    commit(enqueue("c", 6, message(3, "ab", "6")));

    RecoveredSession s = only(recoverAfterRestart(), "c");

    assertThat(s.queueHead()).isEqualTo(4);
    assertThat(s.queueTail()).isEqualTo(7);
    assertThat(s.queuedCount()).isEqualTo(3);
    assertThat(s.queuedBytes()).isEqualTo(5 + 4 + 3);
  }

  @Test
  void dequeue_inAndOutOfOrder_keepsHeadExactAndForgetsInflight() throws Exception {
    commit(new PutSession(session("c")));
    for (long seq = 0; seq < 5; seq++) {
      commit(enqueue("c", seq, message(seq + 1, "t", "x")));
    }
    commit(new PutInflight("c", new InflightRecord(1, 11, false)), new PutInflight("c", new InflightRecord(2, 12, false)));
    commit(new Dequeue("c", 1, 2), new Dequeue("c", 2, 3));
    commit(new Dequeue("c", 0, 1));

    RecoveredSession s = only(recoverAfterRestart(), "c");

    assertThat(s.queueHead()).isEqualTo(3);
    assertThat(s.queueTail()).isEqualTo(5);
    assertThat(s.queuedCount()).isEqualTo(2);
    assertThat(s.queuedBytes()).isEqualTo(2 * 2);
    assertThat(s.inflight()).isEmpty();
    assertThat(store.readQueue("c", 0, Long.MAX_VALUE, 10)).extracting(q -> q.entry().seq()).containsExactly(3L, 4L);
  }

  @Test
  void dequeue_ofEverything_leavesAnEmptyQueueWhoseHeadIsItsTail() throws Exception {
    commit(new PutSession(session("c")), enqueue("c", 0, message(1, "t", "x")), enqueue("c", 1, message(2, "t", "y")));
    commit(new Dequeue("c", 0, 1), new Dequeue("c", 1, 2));

    RecoveredSession s = only(recoverAfterRestart(), "c");

    assertThat(s.queuedCount()).isZero();
    assertThat(s.queuedBytes()).isZero();
    assertThat(s.queueHead()).isEqualTo(2);
    assertThat(s.queueTail()).isEqualTo(2);
  }

  @Test
  void dequeue_ofAMissingEntry_changesNothing() throws Exception {
    commit(new PutSession(session("c")), enqueue("c", 0, message(1, "t", "x")));
    commit(new Dequeue("c", 5, 9), new Dequeue("c", 0, 1), new Dequeue("c", 0, 1), new Dequeue("nobody", 0, 1));

    RecoveredSession s = only(recoverAfterRestart(), "c");

    assertThat(s.queuedCount()).isZero();
    assertThat(s.queueTail()).isEqualTo(1);
  }

  @Test
  void enqueueAndDequeue_inOneSubmit_cancelOut() throws Exception {
    StoredMessage m = message(1, "t", "x");
    commit(new PutSession(session("c")), enqueue("c", 0, m), new Dequeue("c", 0, 1), enqueue("c", 1, message(2, "t", "y")));

    RecoveredSession s = only(recoverAfterRestart(), "c");

    assertThat(s.queuedCount()).isEqualTo(1);
    assertThat(s.queueHead()).isEqualTo(1);
    assertThat(store.readQueue("c", 0, 10, 10)).extracting(q -> q.message().id()).containsExactly(2L);
  }

  @Test
  void oneMessage_inSeveralQueues_staysUntilTheLastDequeue() throws Exception {
    StoredMessage m = message(1, "t", "shared");
    commit(new PutSession(session("a")), new PutSession(session("b")), enqueue("a", 0, m), enqueue("b", 0, m));
    commit(new Dequeue("a", 0, 1));
    store = restart();

    assertThat(store.readQueue("b", 0, 10, 10)).extracting(q -> q.message().id()).containsExactly(1L);
    assertThat(store.readQueue("a", 0, 10, 10)).isEmpty();
  }

  // ---- in-flight and inbound

  @Test
  void inflight_isRecoveredInSequenceOrder_andPubrelStateReplaces() throws Exception {
    commit(new PutSession(session("c")));
    for (long seq = 0; seq < 3; seq++) {
      commit(enqueue("c", seq, message(seq + 1, "t", "x")));
    }
    commit(new PutInflight("c", new InflightRecord(2, 300, false)), new PutInflight("c", new InflightRecord(0, 100, false)));
    commit(new PutInflight("c", new InflightRecord(0, 100, true)));

    assertThat(only(recoverAfterRestart(), "c").inflight())
        .containsExactly(new InflightRecord(0, 100, true), new InflightRecord(2, 300, false));
  }

  @Test
  void inflight_forAnEntryNotQueued_isIgnored() throws Exception {
    commit(new PutSession(session("c")), enqueue("c", 0, message(1, "t", "x")));
    commit(new PutInflight("c", new InflightRecord(9, 1, false)));

    assertThat(only(recoverAfterRestart(), "c").inflight()).isEmpty();
  }

  @Test
  void inbound_putAndDelete() throws Exception {
    commit(new PutSession(session("c")), new PutInbound("c", 1), new PutInbound("c", 65535), new PutInbound("c", 9));
    commit(new DeleteInbound("c", 9), new DeleteInbound("c", 1234));

    assertThat(only(recoverAfterRestart(), "c").inbound()).containsExactlyInAnyOrder(1, 65535);
  }

  // ---- retained and message ids

  @Test
  void retained_putReplaceDelete() throws Exception {
    StoredMessage rich =
        new StoredMessage(3, "a/b", new byte[] {1}, QoS.EXACTLY_ONCE, true, RICH_PROPERTIES, 77L, "p");
    commit(new PutRetained(message(1, "a/b", "old")), new PutRetained(message(2, "c", "gone")));
    commit(new PutRetained(rich), new DeleteRetained("c"), new DeleteRetained("never"));

    Recovery r = recoverAfterRestart();

    assertThat(r.retained()).hasSize(1);
    assertThat(r.retained().get(0)).usingRecursiveComparison().isEqualTo(rich);
  }

  @Test
  void nextMessageId_isAboveEveryIdStored_evenAfterTheyAreGone() throws Exception {
    commit(new PutSession(session("c")), enqueue("c", 0, message(41, "t", "x")), new PutRetained(message(17, "r", "y")));
    commit(new Dequeue("c", 0, 41), new DeleteRetained("r"));

    assertThat(recoverAfterRestart().nextMessageId()).isEqualTo(42);
  }

  @Test
  void commandsOfOneSubmit_applyInOrder() throws Exception {
    commit(
        new PutSession(session("c")),
        new PutSubscription("c", sub("x", QoS.AT_MOST_ONCE)),
        new DeleteSubscription("c", "x"),
        new PutInbound("c", 5),
        new DeleteInbound("c", 5),
        new PutInbound("c", 6));

    RecoveredSession s = only(recoverAfterRestart(), "c");

    assertThat(s.subscriptions()).isEmpty();
    assertThat(s.inbound()).containsExactly(6);
  }

  @Test
  void dataOfAClientWithoutSessionRecord_isNotRecoveredAsASession() throws Exception {
    commit(new PutSubscription("ghost", sub("x", QoS.AT_MOST_ONCE)));

    assertThat(recoverAfterRestart().sessions()).isEmpty();
  }
}
