package io.berth.broker.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.broker.store.InflightRecord;
import io.berth.broker.store.QueueEntry;
import io.berth.broker.store.RecoveredSession;
import io.berth.broker.store.SessionRecord;
import io.berth.broker.store.StoreCommand;
import io.berth.broker.store.StoredMessage;
import io.berth.broker.store.memory.MemorySessionStore;
import io.berth.codec.MqttPacket;
import io.berth.codec.MqttProperties;
import io.berth.codec.MqttVersion;
import io.berth.codec.PublishPacket;
import io.berth.codec.PubrelPacket;
import io.berth.codec.QoS;
import io.berth.codec.ReasonCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A queue restored after a crash holds in-flight records only for what was released (PUBREL stored);
 * the positions around them are sent again from the head. A restored delivery that the client completes
 * before the pump reaches its position ends there: its message is not sent again, even though memory (a
 * store read ahead of the pump) or the store (its dequeue is lazy) still holds it.
 *
 * <p>Threading: the shard and the reader run on the test thread; the reader's tasks run when the test
 * says.
 */
class RestoredInflightTest {
    private static final String CLIENT = QueueHarness.CLIENT;

    private final QueueHarness harness = new QueueHarness();
    private final MemorySessionStore store = harness.store;
    private final List<MqttPacket> sent = harness.sent;

    @Test
    void qos2CompletedBeforeThePumpReachesIt_isNotSentAgain() {
        // queued before the crash: positions 0, 1, 2 (QoS 2); 0 and 1 were sent but their in-flight
        // records were not written yet, 2 was released (its "PUBREL sent" record committed)
        long bytes = 0;
        List<StoreCommand> enqueues = new ArrayList<>();
        for (long seq = 0; seq < 3; seq++) {
            StoredMessage m = new StoredMessage(
                    seq + 1,
                    "t",
                    ("m" + seq).getBytes(StandardCharsets.UTF_8),
                    QoS.EXACTLY_ONCE,
                    false,
                    MqttProperties.EMPTY,
                    System.currentTimeMillis(),
                    "pub");
            bytes += m.sizeBytes();
            enqueues.add(new StoreCommand.Enqueue(
                    CLIENT, new QueueEntry(seq, m.id(), QoS.EXACTLY_ONCE, false, List.of()), m));
        }
        store.submit(enqueues).join();
        int id0 = OutgoingPublish.packetIdOf(0);
        int id1 = OutgoingPublish.packetIdOf(1);
        int id2 = OutgoingPublish.packetIdOf(2);
        OutboundQueue q = harness.queue();
        q.restore(
                new RecoveredSession(
                        new SessionRecord(CLIENT, MqttVersion.V5, 3600, 0, null, ""),
                        List.of(),
                        0,
                        3,
                        3,
                        bytes,
                        List.of(new InflightRecord(2, id2, true)),
                        Set.of()),
                true);

        q.attach(harness.connection(2));
        harness.runReader();
        // [MQTT-4.4.0-1] the PUBREL of the released message first, then the queue from its head
        assertThat(sent).hasSize(2);
        assertThat(sent.get(0)).isEqualTo(PubrelPacket.of(id2));
        assertThat(publishIds()).containsExactly(id0);

        SubscriberAcks.onPubcomp(q, id2); // the client completes the released one: it forgets id2
        SubscriberAcks.onPubrec(q, id0, ReasonCode.SUCCESS);
        SubscriberAcks.onPubcomp(q, id0);
        harness.runReader();
        SubscriberAcks.onPubrec(q, id1, ReasonCode.SUCCESS);
        SubscriberAcks.onPubcomp(q, id1);
        harness.runReader();

        // position 2 was completed once: a PUBLISH of it now would be a second delivery
        assertThat(publishIds()).containsExactly(id0, id1);
        assertThat(q.count()).isZero();
        assertThat(q.inflightCount()).isZero();
    }

    private List<Integer> publishIds() {
        List<Integer> ids = new ArrayList<>();
        for (MqttPacket p : sent) {
            if (p instanceof PublishPacket publish) {
                ids.add(publish.packetId());
            }
        }
        return ids;
    }
}
