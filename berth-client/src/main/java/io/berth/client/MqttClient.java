package io.berth.client;

import io.berth.codec.QoS;
import java.util.concurrent.CompletableFuture;

/**
 * An MQTT 3.1.1 or 5.0 client with automatic reconnect and a persistent session of its own.
 *
 * <pre>{@code
 * try (MqttClient client = MqttClient.builder()
 *     .serverAddress("localhost", 1883)
 *     .clientId("sensor-7")
 *     .cleanStart(false)
 *     .sessionExpiry(Duration.ofHours(1))
 *     .sessionStore(ClientSessionStore.file(Path.of("sensor-7.session")))
 *     .build()) {
 *   client.connect().join();
 *   client.subscribe("commands/#", QoS.EXACTLY_ONCE, m -> System.out.println(m.payloadAsString()));
 *   client.publish(Message.of("readings/7", "21.5", QoS.AT_LEAST_ONCE)).join();
 * }
 * }</pre>
 *
 * <p>Methods validate their arguments at once and throw {@link IllegalArgumentException} (invalid topic,
 * QoS, oversize payload) or {@link IllegalStateException} (client closed); everything else is reported
 * through the returned futures.
 *
 * <p>Threading: all methods are thread-safe; they hand their work to the client's event loop.
 */
public interface MqttClient extends AutoCloseable {

    /** A builder with the defaults described on each of its methods. */
    static MqttClientBuilder builder() {
        return new MqttClientBuilder();
    }

    /**
     * Connects. The future completes with the first accepted CONNACK and fails
     * if that first attempt fails (refused, unreachable); once connected, the client reconnects by itself
     * with backoff after every lost connection.
     */
    CompletableFuture<ConnectResult> connect();

    /**
     * Hands a message over for sending. Connected or not, QoS 1 and 2 messages are stored and sent as soon
     * as the broker's Receive Maximum allows, in the order they were handed over. The future completes
     * when the broker acknowledged the message, its {@link PublishFuture#stored()} when the session store
     * holds it; for QoS 1 either may come first (see {@link PublishFuture}).
     *
     * @throws IllegalArgumentException for an invalid topic name or an oversize payload
     * @throws IllegalStateException when the client is closed
     */
    PublishFuture publish(Message message);

    /**
     * Subscribes to a topic filter; messages that match it go to {@code handler}. Subscriptions made while
     * offline are sent on the next connection; when the broker has lost the session (Session Present 0)
     * the client subscribes again to every filter it holds. The future completes with the granted QoS.
     *
     * @throws IllegalArgumentException for an invalid topic filter
     */
    CompletableFuture<QoS> subscribe(String filter, QoS qos, MessageHandler handler);

    /**
     * Subscribes with options (No Local, Retain As Published, Retain Handling, a subscription identifier;
     * 5.0, a 3.1.1 broker only gets filter and QoS); otherwise as {@link #subscribe(String, QoS,
     * MessageHandler)}. Subscribing again to the same filter replaces the subscription and its handler.
     *
     * @throws IllegalArgumentException for an invalid topic filter
     */
    CompletableFuture<QoS> subscribe(Subscription subscription, MessageHandler handler);

    /**
     * Sends a request and waits for its response (5.0 request/response, section 4.10). The request must
     * carry a Response Topic; when it has no Correlation Data the client makes 16 random bytes. The client
     * subscribes to the Response Topic (once, at QoS 1) and completes the future with the first message
     * there whose Correlation Data is the request's, or fails it with a {@link
     * java.util.concurrent.TimeoutException} after {@code timeout}. A responder answers with {@link
     * Message#replyBuilder()}.
     *
     * @throws IllegalArgumentException when the request has no Response Topic, or on 3.1.1
     */
    CompletableFuture<Message> request(Message request, java.time.Duration timeout);

    /**
     * Subscribes and returns a blocking stream of the messages that match {@code filter}; closing the stream
     * unsubscribes.
     */
    MessageStream subscribeStream(String filter, QoS qos);

    /** Unsubscribes from a topic filter and forgets its handler. */
    CompletableFuture<Void> unsubscribe(String filter);

    /** True while a connection is established and accepted. */
    boolean isConnected();

    /**
     * Sends DISCONNECT, closes the connection, stops reconnecting, and closes the session store. Messages
     * not yet acknowledged stay in the store for the next client on it; their futures fail. Idempotent.
     */
    @Override
    void close();

    /**
     * Closes like {@link #close()}, with this DISCONNECT (5.0): a reason code (0x04 asks the broker to
     * publish the will), a Reason String, a new Session Expiry Interval, user properties.
     *
     * @throws IllegalArgumentException when it raises the Session Expiry Interval from zero
     *     [MQTT-3.14.2-2]
     */
    void close(Disconnect disconnect);
}
