package io.berth.broker.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.broker.store.StoreCommand;
import io.berth.broker.store.StoredMessage;
import io.berth.broker.store.Subscription;
import io.berth.broker.store.memory.MemorySessionStore;
import io.berth.codec.MqttPacket;
import io.berth.codec.MqttProperties;
import io.berth.codec.PubackPacket;
import io.berth.codec.PublishPacket;
import io.berth.codec.QoS;
import io.berth.codec.RetainHandling;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a session holds while offline: its queue's positions, bounds and in-flight records, not what only
 * an online session needs (what memory holds of its queue, the pacing of publishers, the acknowledgement
 * queue of a connection). Those are made again at the next attach, and the queue is then delivered in
 * order, with DUP on what was sent before ([MQTT-4.4.0-1], [MQTT-3.3.1-1]).
 *
 * <p>Threading: the shard and the reader run on the test thread; the reader's tasks run when the test
 * says.
 */
class OfflineQueueStateTest {
    private static final String CLIENT = QueueHarness.CLIENT;

    private final QueueHarness harness = new QueueHarness();
    private final MemorySessionStore store = harness.store;
    private final List<MqttPacket> sent = harness.sent;
    private final HeldBudget budget = harness.budget;
    private long nextId = 1;

    @Test
    void newQueue_offline_holdsNoOnlineState() {
        OutboundQueue q = harness.queue();

        assertThat(q.held).isNull();
        assertThat(q.pacing).isNull();
    }

    @Test
    void queue_attachThenDetach_makesAndDropsOnlineState() {
        OutboundQueue q = harness.queue();

        q.attach(harness.connection(0)); // a window of 0: what is queued waits in memory
        assertThat(q.held).isNotNull();
        assertThat(q.pacing).isNotNull();

        enqueue(q, "held while online");
        assertThat(budget.used()).isPositive();

        q.detach();
        assertThat(q.held).isNull();
        assertThat(budget.used())
                .as("what memory held goes back to the shard's budget")
                .isZero();
    }

    @Test
    void queuedWhileOffline_reconnect_deliveredInOrderFromTheStore() {
        OutboundQueue q = harness.queue();
        for (int i = 0; i < 5; i++) {
            enqueue(q, "m" + i);
        }
        assertThat(q.held).isNull();
        assertThat(budget.used())
                .as("an offline queue holds no message in memory")
                .isZero();

        q.attach(harness.connection(10));
        harness.runReader();

        assertThat(payloads()).containsExactly("m0", "m1", "m2", "m3", "m4");
        assertThat(dups()).containsOnly(false);
    }

    @Test
    void sentNotAcknowledged_detachAndReattach_resentWithDupInOrderThenTheRest() {
        OutboundQueue q = harness.queue();
        q.attach(harness.connection(2));
        for (int i = 0; i < 4; i++) {
            enqueue(q, "m" + i);
        }
        assertThat(payloads()).containsExactly("m0", "m1"); // the window is 2
        q.detach();
        assertThat(q.held).isNull();
        assertThat(q.inflightCount()).as("in flight stays, to be resent").isEqualTo(2);
        sent.clear();

        q.attach(harness.connection(10));
        harness.runReader();

        assertThat(payloads()).containsExactly("m0", "m1", "m2", "m3");
        assertThat(dups()).containsExactly(true, true, false, false);
        for (MqttPacket p : List.copyOf(sent)) {
            SubscriberAcks.onPuback(q, ((PublishPacket) p).packetId());
        }
        assertThat(q.count()).isZero();
        assertThat(q.inflightCount()).isZero();
    }

    @Test
    void ackQueue_clear_dropsItsQueueUntilTheNextAcknowledgement() {
        AckQueue acks = new AckQueue();
        assertThat(acks.allocated()).isFalse();
        assertThat(acks.drain(a -> {})).isZero();

        acks.addReady(PubackPacket.of(1));
        assertThat(acks.allocated()).isTrue();
        acks.clear();

        assertThat(acks.allocated()).isFalse();
        assertThat(acks.isEmpty()).isTrue();
    }

    @Test
    void sessionSubscriptions_oneThenTwo_keepOrderAndReplaceInPlace() {
        SessionSubscriptions subs = new SessionSubscriptions();
        Subscription a = sub("a/#", QoS.AT_LEAST_ONCE);
        assertThat(subs.put("a/#", a)).isNull();
        assertThat(subs.usesMap()).as("one subscription needs no map").isFalse();
        assertThat(subs.put("a/#", sub("a/#", QoS.EXACTLY_ONCE))).isEqualTo(a);
        assertThat(subs.usesMap()).isFalse();

        subs.put("b", sub("b", QoS.AT_MOST_ONCE));
        subs.put("a/#", sub("a/#", QoS.AT_MOST_ONCE));

        assertThat(subs.usesMap()).isTrue();
        assertThat(subs.values()).extracting(Subscription::filter).containsExactly("a/#", "b");
        assertThat(subs.values()).extracting(Subscription::qos).containsExactly(QoS.AT_MOST_ONCE, QoS.AT_MOST_ONCE);
        assertThat(subs.remove("a/#")).isNotNull();
        assertThat(subs.containsKey("a/#")).isFalse();
        assertThat(subs.size()).isEqualTo(1);
    }

    @Test
    void sessionSubscriptions_removeTheOnlyOne_empty() {
        SessionSubscriptions subs = new SessionSubscriptions();
        subs.put("x", sub("x", QoS.AT_LEAST_ONCE));

        assertThat(subs.remove("y")).isNull();
        assertThat(subs.remove("x")).isNotNull();

        assertThat(subs.size()).isZero();
        assertThat(subs.values()).isEmpty();
        assertThat(subs.containsKey("x")).isFalse();
    }

    private static Subscription sub(String filter, QoS qos) {
        return new Subscription(filter, qos, false, false, RetainHandling.SEND_ON_SUBSCRIBE, 0);
    }

    private void enqueue(OutboundQueue q, String payload) {
        StoredMessage m = new StoredMessage(
                nextId++,
                "t",
                payload.getBytes(StandardCharsets.UTF_8),
                QoS.AT_LEAST_ONCE,
                false,
                MqttProperties.EMPTY,
                System.currentTimeMillis(),
                "pub");
        StoreCommand.Enqueue e = q.reserve(m, new Delivery(CLIENT, QoS.AT_LEAST_ONCE, false, List.of()));
        store.submit(List.of(e)).join();
        q.onCommitted(e, null);
    }

    private List<String> payloads() {
        return harness.payloads();
    }

    private List<Boolean> dups() {
        List<Boolean> out = new ArrayList<>();
        for (MqttPacket p : sent) {
            if (p instanceof PublishPacket publish) {
                out.add(publish.dup());
            }
        }
        return out;
    }
}
