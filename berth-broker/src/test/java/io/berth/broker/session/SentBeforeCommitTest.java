package io.berth.broker.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.broker.store.StoreCommand;
import io.berth.broker.store.StoredMessage;
import io.berth.codec.MqttPacket;
import io.berth.codec.MqttProperties;
import io.berth.codec.PublishPacket;
import io.berth.codec.QoS;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * ADR 18: on a store whose commit is an fsync, a QoS 1 message goes to an online subscriber as soon as
 * its queue position is reserved, before its entry commits; a QoS 2 message (and whatever follows it)
 * waits for its commit. A dequeue never reaches the store before the enqueue it takes out, an enqueue
 * that fails takes its delivery back, and no in-flight record is written for a position not committed.
 *
 * <p>Threading: the shard, the reader and the store's completions run on the test thread.
 */
class SentBeforeCommitTest {
    private final HeldCommitStore store = new HeldCommitStore();
    private final QueueHarness harness = new QueueHarness(store);
    private final List<MqttPacket> sent = harness.sent;
    private long nextId = 1;

    @Test
    void qos1_reservedWhileOnline_sentBeforeItsCommit() {
        OutboundQueue q = harness.queue();
        q.attach(harness.connection(10));

        StoreCommand.Enqueue e = reserve(q, "m0", QoS.AT_LEAST_ONCE);
        submit(q, e);

        assertThat(payloads()).containsExactly("m0");
        assertThat(store.written).isEmpty();
    }

    @Test
    void ackedBeforeItsCommit_dequeueReachesTheStoreOnlyAfterTheEnqueue() {
        OutboundQueue q = harness.queue();
        q.attach(harness.connection(10));
        StoreCommand.Enqueue e = reserve(q, "m0", QoS.AT_LEAST_ONCE);
        submit(q, e);

        SubscriberAcks.onPuback(q, packetId(0));
        harness.batch.flush();
        assertThat(store.submitted)
                .as("the dequeue waits for the enqueue's commit")
                .containsExactly(e);
        assertThat(q.count()).isZero();

        store.commitAll(); // the enqueue
        harness.batch.flush();
        store.commitAll(); // the dequeue
        assertThat(store.written).hasSize(2);
        assertThat(store.written.get(0)).isEqualTo(e);
        assertThat(store.written.get(1)).isInstanceOf(StoreCommand.Dequeue.class);
        assertThat(((StoreCommand.Dequeue) store.written.get(1)).seq())
                .isEqualTo(e.entry().seq());
        assertThat(store.readQueue(QueueHarness.CLIENT, 0, Long.MAX_VALUE, 10)).isEmpty();
    }

    @Test
    void qos2_waitsForItsCommit_andWhatFollowsItToo() {
        // [MQTT-4.6.0-6] the order of one topic is kept; a QoS 2 delivery is never sent before it is stored
        OutboundQueue q = harness.queue();
        q.attach(harness.connection(10));
        StoreCommand.Enqueue e0 = reserve(q, "m0", QoS.EXACTLY_ONCE);
        StoreCommand.Enqueue e1 = reserve(q, "m1", QoS.AT_LEAST_ONCE);
        submit(q, e0);
        submit(q, e1);
        assertThat(payloads()).isEmpty();

        store.commitAll();

        assertThat(payloads()).containsExactly("m0", "m1");
    }

    @Test
    void enqueueFails_afterItsEarlySend_deliveryTakenBackAndNothingDequeued() {
        OutboundQueue q = harness.queue();
        q.attach(harness.connection(10));
        StoreCommand.Enqueue e0 = reserve(q, "m0", QoS.AT_LEAST_ONCE);
        StoreCommand.Enqueue e1 = reserve(q, "m1", QoS.AT_LEAST_ONCE);
        submit(q, e0);
        submit(q, e1);
        assertThat(payloads()).containsExactly("m0", "m1");
        SubscriberAcks.onPuback(q, packetId(0)); // m0 acknowledged, m1 not

        store.failAll(new IOException("disk full"));
        harness.batch.flush();

        assertThat(store.submitted).containsExactly(e0, e1);
        assertThat(q.inflightCount()).isZero();
        assertThat(q.count()).isZero();
    }

    @Test
    void detachedWithAnEarlySendInFlight_noInflightRecordBeforeItsCommit() {
        OutboundQueue q = harness.queue();
        q.attach(harness.connection(10));
        StoreCommand.Enqueue e0 = reserve(q, "m0", QoS.AT_LEAST_ONCE);
        submit(q, e0);
        store.commitAll();
        StoreCommand.Enqueue e1 = reserve(q, "m1", QoS.AT_LEAST_ONCE);
        submit(q, e1);
        assertThat(payloads()).containsExactly("m0", "m1");

        q.detach();

        List<Long> recorded = new ArrayList<>();
        for (StoreCommand c : store.submitted) {
            if (c instanceof StoreCommand.PutInflight p) {
                recorded.add(p.inflight().seq());
            }
        }
        assertThat(recorded).containsExactly(e0.entry().seq());
        assertThat(q.inflightCount()).as("both stay in flight, to be resent").isEqualTo(2);
    }

    @Test
    void storeWithoutEarlySends_waitsForTheCommit() {
        QueueHarness memory = new QueueHarness();
        OutboundQueue q = memory.queue();
        q.attach(memory.connection(10));

        StoredMessage m = message("m0");
        StoreCommand.Enqueue e = q.reserve(m, new Delivery(QueueHarness.CLIENT, QoS.AT_LEAST_ONCE, false, List.of()));

        assertThat(memory.sent).isEmpty();
        memory.store.submit(List.of(e)).join();
        q.onCommitted(e, null);
        assertThat(memory.sent).hasSize(1);
    }

    private StoreCommand.Enqueue reserve(OutboundQueue q, String payload, QoS qos) {
        return q.reserve(message(payload), new Delivery(QueueHarness.CLIENT, qos, false, List.of()));
    }

    private void submit(OutboundQueue q, StoreCommand.Enqueue e) {
        store.submit(List.of(e)).whenComplete((v, error) -> q.onCommitted(e, error));
    }

    private StoredMessage message(String payload) {
        return new StoredMessage(
                nextId++,
                "t",
                payload.getBytes(StandardCharsets.UTF_8),
                QoS.EXACTLY_ONCE,
                false,
                MqttProperties.EMPTY,
                System.currentTimeMillis(),
                "pub");
    }

    private int packetId(int index) {
        return ((PublishPacket) sent.get(index)).packetId();
    }

    private List<String> payloads() {
        return harness.payloads();
    }
}
