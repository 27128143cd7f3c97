package io.berth.broker.session;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.broker.config.ClusterConfig;
import io.berth.broker.config.QueueLimits;
import io.berth.broker.store.StoredMessage;
import io.berth.codec.QoS;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells operators when a queue passes its watermark or drains below it: a log line, a metric and an
 * event on {@code $SYS/berth/events/queue-watermark}. On a cluster the node that serves the queue raises
 * the event and names itself in it ({@code "node"}); the event is published like any message, so its
 * subscribers on every node get it.
 *
 * <p>Threading: runs on its shard's thread only.
 */
final class QueueWatermarks {
    private static final Logger LOG = LoggerFactory.getLogger(QueueWatermarks.class);

    private final SessionShard shard;
    private final Sessions owner;
    private final ObjectMapper json = new ObjectMapper();

    QueueWatermarks(SessionShard shard, Sessions owner) {
        this.shard = shard;
        this.owner = owner;
    }

    /** Reports a queue crossing its watermark: a log line, a metric and a $SYS event. */
    void crossed(String clientId, boolean high, long count, long bytes, QueueLimits limits) {
        String state = high ? "high" : "drained";
        shard.context.metrics().watermark(state);
        if (high) {
            LOG.warn(
                    "queue of '{}' passed {}% of its limits: {} messages, {} bytes (limits {} / {})",
                    clientId, limits.watermarkPercent(), count, bytes, limits.maxMessages(), limits.maxBytes());
        } else {
            LOG.info(
                    "queue of '{}' drained below {}%: {} messages, {} bytes",
                    clientId, limits.watermarkPercent(), count, bytes);
        }
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("event", "queue-watermark");
        fields.put("state", state);
        fields.put("clientId", clientId);
        fields.put("messages", count);
        fields.put("bytes", bytes);
        fields.put("maxMessages", limits.maxMessages());
        fields.put("maxBytes", limits.maxBytes());
        ClusterConfig cluster = shard.context.config().cluster();
        if (cluster.enabled()) {
            // the event reaches subscribers on every node (the cluster routes it like any publish)
            fields.put("node", cluster.nodeId());
        }
        shard.context.metrics().events().watermark(fields, shard.context.clock().getAsLong());
        byte[] payload;
        try {
            payload = json.writeValueAsBytes(fields);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        StoredMessage event = new StoredMessage(
                shard.context.messageIds().getAndIncrement(),
                "$SYS/berth/events/queue-watermark",
                payload,
                QoS.AT_LEAST_ONCE,
                false,
                io.berth.codec.MqttProperties.EMPTY,
                shard.context.clock().getAsLong(),
                "");
        // published as a task of its own: the crossing is noticed in the middle of queue bookkeeping
        shard.executor.execute(() -> owner.router().publish(event, shard, null));
    }
}
