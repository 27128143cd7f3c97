package io.berth.broker.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.broker.config.OverflowPolicy;
import io.berth.broker.config.QueueLimits;
import io.berth.broker.metrics.BrokerMetrics;
import io.berth.broker.store.StoredMessage;
import io.berth.codec.MqttProperties;
import io.berth.codec.QoS;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class QueueBoundsTest {
    private final BrokerMetrics metrics = new BrokerMetrics();
    /** The watermark events, as "high 8" or "drained 3" (the count when raised). */
    private final List<String> crossings = new ArrayList<>();

    private final List<Refusal> evictions = new ArrayList<>();

    private final OutboundQueue.QueueEvents events = new OutboundQueue.QueueEvents() {
        @Override
        public void crossed(String clientId, boolean high, long count, long bytes, QueueLimits limits) {
            crossings.add((high ? "high " : "drained ") + count);
        }

        @Override
        public void evicted(String clientId, Refusal refusal) {
            evictions.add(refusal);
        }
    };

    /** A message of {@code size} bytes (payload plus the one-character topic). */
    private static StoredMessage message(int size) {
        return new StoredMessage(1, "t", new byte[size - 1], QoS.AT_LEAST_ONCE, false, MqttProperties.EMPTY, 0, "p");
    }

    private static QueueLimits limits(long maxMessages, OverflowPolicy overflow) {
        return new QueueLimits(maxMessages, 1_000_000, 0, overflow, 80);
    }

    @Test
    void added_pastWatermark_highOnce_drainedOnlyBelowTheDrainedMark() {
        QueueBounds bounds = new QueueBounds("c", metrics, events, reason -> false);
        bounds.limits(limits(10, OverflowPolicy.DROP_NEW)); // watermark 8, drained mark 4
        for (int i = 0; i < 9; i++) {
            bounds.added(1, 10);
        }
        assertThat(crossings).containsExactly("high 8");
        bounds.added(-5, -50);
        assertThat(crossings).as("4 is not below the drained mark").containsExactly("high 8");
        bounds.added(-1, -10);
        assertThat(crossings).containsExactly("high 8", "drained 3");
        assertThat(bounds.count()).isEqualTo(3);
        assertThat(bounds.bytes()).isEqualTo(30);
        assertThat(metrics.queuedBytes()).isEqualTo(30);
    }

    @Test
    void admit_full_refusedByTheQueuesPolicy() {
        QueueBounds bounds = new QueueBounds("c", metrics, events, reason -> false);
        bounds.limits(limits(2, OverflowPolicy.REJECT));
        bounds.added(2, 20);
        assertThat(bounds.admit(message(10), Long.MAX_VALUE))
                .isEqualTo(new Refusal(OverflowPolicy.REJECT, Refusal.QUEUE_FULL));
        assertThat(bounds.count()).isEqualTo(2);
    }

    @Test
    void admit_overTheBrokerBudget_refusedWithTheBudgetReason() {
        QueueBounds bounds = new QueueBounds("c", metrics, events, reason -> false);
        bounds.limits(limits(100, OverflowPolicy.DROP_NEW));
        bounds.added(1, 50);
        assertThat(bounds.admit(message(10), 55)).isEqualTo(new Refusal(OverflowPolicy.DROP_NEW, Refusal.BUDGET));
        assertThat(bounds.admit(message(5), 55)).isNull();
    }

    @Test
    void admit_dropOldest_evictsToMakeRoom_andReportsNoWatermarkInBetween() {
        List<String> evictedFor = new ArrayList<>();
        QueueBounds[] holder = new QueueBounds[1];
        QueueBounds bounds = new QueueBounds("c", metrics, events, reason -> {
            evictedFor.add(reason);
            holder[0].added(-4, -40); // well below the drained mark, while the queue is between two states
            return true;
        });
        holder[0] = bounds;
        bounds.limits(limits(5, OverflowPolicy.DROP_OLDEST)); // watermark 4, drained mark 2
        bounds.added(5, 50);
        assertThat(crossings).containsExactly("high 5");

        assertThat(bounds.admit(message(10), Long.MAX_VALUE)).isNull();
        assertThat(evictedFor).containsExactly(Refusal.QUEUE_FULL);
        assertThat(bounds.count()).isEqualTo(1);
        bounds.added(1, 10); // the caller reserves the position
        assertThat(crossings)
                .as("not drained at 1 in between, and 2 is not below the mark")
                .containsExactly("high 5");
    }

    @Test
    void admit_dropOldest_nothingToEvict_theNewMessageGoes() {
        QueueBounds bounds = new QueueBounds("c", metrics, events, reason -> false);
        bounds.limits(limits(1, OverflowPolicy.DROP_OLDEST));
        bounds.added(1, 10);
        assertThat(bounds.admit(message(10), Long.MAX_VALUE))
                .isEqualTo(new Refusal(OverflowPolicy.DROP_NEW, Refusal.QUEUE_FULL));
        assertThat(evictions)
                .as("eviction events come from the queue, not from here")
                .isEmpty();
    }
}
