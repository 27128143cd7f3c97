package io.berth.broker.session;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.broker.auth.Authorizer;
import io.berth.broker.config.BrokerConfig;
import io.berth.broker.config.Limits;
import io.berth.broker.config.OverflowPolicy;
import io.berth.broker.config.QueueLimits;
import io.berth.broker.config.RetainedLimits;
import io.berth.broker.metrics.BrokerMetrics;
import io.berth.broker.routing.RetainedIndex;
import io.berth.broker.routing.TopicTree;
import io.berth.broker.store.RecoveredSession;
import io.berth.broker.store.SessionRecord;
import io.berth.broker.store.StoredMessage;
import io.berth.broker.store.memory.MemorySessionStore;
import io.berth.codec.MqttProperties;
import io.berth.codec.MqttVersion;
import io.berth.codec.QoS;
import io.netty.channel.DefaultEventLoop;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A routed message taken into the queues of one shard: which sessions get a position, and what a full
 * queue under the reject policy does. One shard on a loop of its own, with in-memory stores; every step
 * runs on the shard's thread and the test waits for its result.
 */
class QueueAdmissionTest {
    private static final String SUB = "sub";

    private final DefaultEventLoop loop = new DefaultEventLoop(new DefaultThreadFactory("berth-admission-test", true));
    private final LinkedBlockingQueue<Throwable> fatal = new LinkedBlockingQueue<>();
    private Sessions sessions;
    private SessionShard shard;

    private void start(QueueLimits limits) throws Exception {
        BrokerConfig config = BrokerConfig.builder()
                .shards(1)
                .limits(new Limits(limits, List.of(), 1L << 30))
                .build();
        BrokerContext context = new BrokerContext(
                config,
                new MemorySessionStore(),
                new MemorySessionStore(),
                new TopicTree(),
                new RetainedIndex(RetainedLimits.DEFAULT),
                new ConcurrentHashMap<>(),
                new AtomicLong(1),
                System::currentTimeMillis,
                new BrokerMetrics(),
                Authorizer.ALLOW_ALL,
                (thread, error) -> fatal.add(error));
        sessions = new Sessions(context, List.of(new ShardLoop(loop, loop::execute)));
        shard = sessions.shards().get(0);
        // an offline session that outlives its connection, as read back at start
        SessionRecord record = new SessionRecord(SUB, MqttVersion.V5, 3600, System.currentTimeMillis(), null, "");
        shard.restore(List.of(new RecoveredSession(record, List.of(), 0, 0, 0, 0, List.of(), Set.of())))
                .get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        if (sessions != null) {
            sessions.close();
        }
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        assertThat(fatal).isEmpty();
    }

    private static StoredMessage message(long id, QoS qos) {
        return new StoredMessage(id, "a/b", new byte[] {1}, qos, false, MqttProperties.EMPTY, 0, "pub");
    }

    private Reservation reserve(StoredMessage m, String clientId, QoS qos) throws Exception {
        Delivery d = new Delivery(clientId, qos, false, List.of());
        return shard.call(() -> shard.reserve(m, List.of(d))).get(10, TimeUnit.SECONDS);
    }

    @Test
    void reserve_forAnOfflineSession_givesItTheNextQueuePosition() throws Exception {
        start(QueueLimits.DEFAULT);

        Reservation first = reserve(message(1, QoS.AT_LEAST_ONCE), SUB, QoS.AT_LEAST_ONCE);
        Reservation second = reserve(message(2, QoS.AT_LEAST_ONCE), SUB, QoS.AT_LEAST_ONCE);

        assertThat(first.rejected()).isFalse();
        assertThat(first.prepared()).singleElement().satisfies(p -> {
            assertThat(p.clientId()).isEqualTo(SUB);
            assertThat(p.enqueue().entry().seq()).isZero();
        });
        assertThat(second.prepared())
                .singleElement()
                .satisfies(p -> assertThat(p.enqueue().entry().seq()).isEqualTo(1));
    }

    @Test
    void reserve_forAClientWithoutASessionHere_reservesNothing() throws Exception {
        start(QueueLimits.DEFAULT);

        Reservation r = reserve(message(1, QoS.AT_LEAST_ONCE), "nobody", QoS.AT_LEAST_ONCE);

        assertThat(r.prepared()).isEmpty();
        assertThat(r.rejected()).isFalse();
    }

    @Test
    void reserve_qos0ForAnOfflineSession_isNotQueuedByDefault() throws Exception {
        start(QueueLimits.DEFAULT);

        Reservation r = reserve(message(1, QoS.AT_MOST_ONCE), SUB, QoS.AT_MOST_ONCE);

        assertThat(r.prepared()).isEmpty();
        assertThat(r.rejected()).isFalse();
    }

    @Test
    void reserve_pastAFullQueueUnderReject_refusesTheMessage_andSaysSo() throws Exception {
        start(new QueueLimits(2, 1 << 20, 0, OverflowPolicy.REJECT, 80));
        reserve(message(1, QoS.AT_LEAST_ONCE), SUB, QoS.AT_LEAST_ONCE);
        reserve(message(2, QoS.AT_LEAST_ONCE), SUB, QoS.AT_LEAST_ONCE);

        Reservation third = reserve(message(3, QoS.AT_LEAST_ONCE), SUB, QoS.AT_LEAST_ONCE);

        assertThat(third.prepared()).isEmpty();
        assertThat(third.rejected()).isTrue();
    }

    @Test
    void reserve_forASharedGroupWithNoSessionYet_createsTheGroupsQueue() throws Exception {
        start(QueueLimits.DEFAULT);
        String key = GroupQueues.key("$share/g/a/b");

        Reservation r = reserve(message(1, QoS.AT_LEAST_ONCE), key, QoS.AT_LEAST_ONCE);

        assertThat(r.prepared())
                .singleElement()
                .satisfies(p -> assertThat(p.clientId()).isEqualTo(key));
        assertThat(shard.call(() -> shard.sessions.containsKey(key)).get(10, TimeUnit.SECONDS))
                .isTrue();
    }
}
