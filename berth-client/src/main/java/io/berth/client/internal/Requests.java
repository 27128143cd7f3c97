package io.berth.client.internal;

import io.berth.client.Message;
import io.berth.client.MqttClient;
import io.berth.client.MqttClientException;
import io.berth.codec.QoS;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The request/response helper behind {@link MqttClient#request}: one subscription per Response Topic
 * (made on first use, kept until the client closes), and the requests waiting for a response, by
 * Correlation Data.
 *
 * <p>Threading: thread-safe (concurrent maps); responses arrive on the client's callback thread.
 */
final class Requests {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final MqttClient client;
    private final Map<String, CompletableFuture<QoS>> subscribed = new ConcurrentHashMap<>();
    private final Map<ByteBuffer, CompletableFuture<Message>> waiting = new ConcurrentHashMap<>();

    Requests(MqttClient client) {
        this.client = client;
    }

    CompletableFuture<Message> request(Message request, Duration timeout) {
        String responseTopic = request.properties().responseTopic();
        if (responseTopic == null) {
            throw new IllegalArgumentException("a request needs a response topic");
        }
        Message withId = request;
        if (request.properties().correlationData() == null) {
            byte[] id = new byte[16];
            RANDOM.nextBytes(id);
            withId = request.toBuilder().correlationData(id).build();
        }
        ByteBuffer key = ByteBuffer.wrap(withId.properties().correlationData());
        CompletableFuture<Message> response = new CompletableFuture<>();
        if (waiting.putIfAbsent(key, response) != null) {
            throw new IllegalArgumentException("a request with this correlation data is already waiting");
        }
        response.orTimeout(timeout.toNanos(), TimeUnit.NANOSECONDS).whenComplete((m, e) -> waiting.remove(key));
        Message toSend = withId;
        CompletableFuture<QoS> subscription = subscribed.computeIfAbsent(
                responseTopic, t -> client.subscribe(t, QoS.AT_LEAST_ONCE, this::onResponse));
        subscription.whenComplete((q, e) -> {
            if (e != null) {
                subscribed.remove(responseTopic, subscription); // the next request tries again
            }
        });
        subscription.thenCompose(granted -> client.publish(toSend)).whenComplete((v, e) -> {
            if (e != null) {
                response.completeExceptionally(e);
            }
        });
        return response;
    }

    private void onResponse(Message m) {
        byte[] correlation = m.properties().correlationData();
        if (correlation != null) {
            CompletableFuture<Message> f = waiting.remove(ByteBuffer.wrap(correlation));
            if (f != null) {
                f.complete(m);
            }
        }
    }

    /** The client closes: waiting requests fail. */
    void close() {
        MqttClientException closed = new MqttClientException("client closed before the response came");
        waiting.values().forEach(f -> f.completeExceptionally(closed));
    }
}
