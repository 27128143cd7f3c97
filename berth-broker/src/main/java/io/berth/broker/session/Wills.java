package io.berth.broker.session;

import io.berth.broker.store.StoreCommand;
import io.berth.broker.store.StoredMessage;
import io.berth.codec.MqttProperties;
import io.berth.codec.Will;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * When a session's will goes and the message it becomes. A will without a delay goes when its
 * connection is lost or taken over; a delayed one (5.0 section 3.1.3.2.2) goes at its delay or when
 * the session ends, whichever is earlier, and a reconnect in time cancels it. A will that goes is taken
 * from the session's record, so it goes once.
 *
 * <p>Threading: runs on its shard's thread only; the will is part of the session's record, which that
 * thread owns.
 */
final class Wills {
    private static final Logger LOG = LoggerFactory.getLogger(Wills.class);

    private final SessionShard shard;
    private final Sessions owner;

    Wills(SessionShard shard, Sessions owner) {
        this.shard = shard;
        this.owner = owner;
    }

    /** The will's delay in seconds: 0 when it has none (always so in 3.1.1). */
    static long delaySeconds(Will will) {
        Long d = will.properties().willDelayInterval();
        return d == null ? 0 : d;
    }

    /** Publishes the will of {@code s} now if it has one without a delay, and takes it from its record. */
    void publishUndelayed(Session s) {
        Will will = s.record.will();
        if (will != null && delaySeconds(will) == 0) {
            publish(s, will);
            s.record = s.record.withWill(null);
        }
    }

    /** Schedules the delayed will of an offline session, {@code elapsedMillis} after it left. */
    void schedule(Session s, long elapsedMillis) {
        Will will = s.record.will();
        if (will != null) {
            // the will goes at its delay or at session end, whichever is earlier
            long delay = Math.max(0, delaySeconds(will) * 1000 - elapsedMillis);
            s.willTimer = shard.executor.schedule(() -> delayed(s), delay, TimeUnit.MILLISECONDS);
        }
    }

    private void delayed(Session s) {
        Will will = s.record.will();
        if (shard.sessions.get(s.clientId) != s || s.connection != null || will == null) {
            return;
        }
        publish(s, will);
        s.record = s.record.withWill(null);
        s.store.submit(new StoreCommand.PutSession(s.record));
    }

    /** Publishes {@code will} of {@code s}, if the ACL still lets its owner publish to the will's topic. */
    void publish(Session s, Will will) {
        if (!shard.context.authorizer().canPublish(s.record.owner(), s.clientId, will.topic())) {
            // the ACL may have changed since CONNECT, where the will was checked first
            LOG.debug("will of '{}' to '{}' denied by the ACL", s.clientId, will.topic());
            return;
        }
        StoredMessage message = message(
                will,
                shard.context.messageIds().getAndIncrement(),
                shard.context.clock().getAsLong(),
                s.clientId);
        owner.router().publish(message, shard, null);
    }

    /**
     * The message a will becomes, with the properties of the will that a PUBLISH carries (5.0 section
     * 3.1.3.2; the will delay is the will's own).
     */
    static StoredMessage message(Will will, long id, long nowMillis, String clientId) {
        MqttProperties p = will.properties();
        MqttProperties forwarded = MqttProperties.builder()
                .payloadFormatIndicator(p.payloadFormatIndicator())
                .messageExpiryInterval(p.messageExpiryInterval())
                .contentType(p.contentType())
                .responseTopic(p.responseTopic())
                .correlationData(p.correlationData())
                .userProperties(p.userProperties())
                .build();
        return new StoredMessage(
                id, will.topic(), will.payload(), will.qos(), will.retain(), forwarded, nowMillis, clientId);
    }
}
