package io.berth.client.internal;

import io.berth.client.ConnectResult;
import io.berth.client.Message;
import io.berth.client.MessageHandler;
import io.berth.client.MqttClientException;
import io.berth.client.PublishFuture;
import io.berth.client.Subscription;
import io.berth.client.store.StoredSession;
import io.berth.codec.ConnackPacket;
import io.berth.codec.MqttPacket;
import io.berth.codec.MqttProperties;
import io.berth.codec.PacketIds;
import io.berth.codec.PubackPacket;
import io.berth.codec.PubcompPacket;
import io.berth.codec.PublishPacket;
import io.berth.codec.PubrecPacket;
import io.berth.codec.PubrelPacket;
import io.berth.codec.QoS;
import io.berth.codec.ReasonCode;
import io.berth.codec.SubackPacket;
import io.berth.codec.UnsubackPacket;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.util.concurrent.CompletableFuture;
import org.jspecify.annotations.Nullable;

/**
 * The client's session: wires the outgoing and incoming flows and the subscriptions to the connection of
 * the moment, and routes each packet from the broker to the part that owns it.
 *
 * <p>Threading: owned by the client's event loop; {@link #isConnected()} and
 * {@link #brokerMaximumPacketSize()} may be read from any thread.
 */
final class ClientSession {
    /** The largest packet MQTT can express (remaining length 268,435,455 plus a 5-byte fixed header). */
    static final long MAX_PACKET_SIZE = 268_435_460L;

    private static final int DEFAULT_RECEIVE_MAXIMUM = PacketIds.MAX;

    private final ClientConfig config;
    private final Link link;
    private final Notifier notifier;
    private final Subscriptions subscriptions;
    private final OutgoingFlow outgoing;
    private final InboundFlow inbound;
    private final ChangeBatch changes;
    private volatile boolean connected;
    private volatile long brokerMaximumPacketSize = MAX_PACKET_SIZE;

    ClientSession(ClientConfig config, EventLoop loop, Notifier notifier) {
        this.config = config;
        this.notifier = notifier;
        this.link = new Link(loop, config.version());
        PacketIdAllocator ids = new PacketIdAllocator();
        this.changes = new ChangeBatch(config.store(), loop);
        this.subscriptions = new Subscriptions(link, ids, notifier);
        this.outgoing = new OutgoingFlow(config, link, ids, notifier, changes);
        this.inbound = new InboundFlow(config, loop, link, subscriptions, changes);
    }

    void restore(StoredSession stored) {
        outgoing.restore(stored);
        inbound.restore(stored.inboundPacketIds());
    }

    void publish(Message message, PublishFuture future) {
        outgoing.publish(message, future);
    }

    void subscribe(Subscription subscription, MessageHandler handler, CompletableFuture<QoS> done) {
        subscriptions.subscribe(subscription, handler, done);
    }

    void unsubscribe(String filter, CompletableFuture<Void> done) {
        subscriptions.unsubscribe(filter, done);
    }

    /** A CONNACK accepted {@code ch}: resume or restart the session on it. */
    ConnectResult onConnack(Channel ch, ConnackPacket connack, String clientId) {
        MqttProperties p = connack.properties();
        int receiveMaximum = Math.min(
                config.maxInflight(), p.receiveMaximum() == null ? DEFAULT_RECEIVE_MAXIMUM : p.receiveMaximum());
        long maxPacket = p.maximumPacketSize() == null ? MAX_PACKET_SIZE : p.maximumPacketSize();
        brokerMaximumPacketSize = maxPacket;
        link.up(ch, receiveMaximum, maxPacket, p.topicAliasMaximum() == null ? 0 : p.topicAliasMaximum());
        inbound.onConnected();
        boolean sessionPresent = connack.sessionPresent();
        if (!sessionPresent) {
            inbound.sessionLost();
        }
        subscriptions.onConnected(sessionPresent);
        outgoing.onConnected(sessionPresent);
        connected = true;
        ConnectResult result = new ConnectResult(sessionPresent, clientId, receiveMaximum);
        notifier.connected(result);
        return result;
    }

    /**
     * Routes a packet that arrived on the accepted connection; returns null, or the reason code to close
     * the connection with: Protocol error for a packet a client never gets, Receive Maximum exceeded.
     */
    @Nullable
    ReasonCode onPacket(MqttPacket packet) {
        switch (packet.type()) {
            case PUBLISH -> {
                if (!inbound.onPublish((PublishPacket) packet)) {
                    return ReasonCode.RECEIVE_MAXIMUM_EXCEEDED;
                }
            }
            case PUBACK -> outgoing.onPuback((PubackPacket) packet);
            case PUBREC -> outgoing.onPubrec((PubrecPacket) packet);
            case PUBREL -> inbound.onPubrel((PubrelPacket) packet);
            case PUBCOMP -> outgoing.onPubcomp((PubcompPacket) packet);
            case SUBACK -> subscriptions.onSuback((SubackPacket) packet);
            case UNSUBACK -> subscriptions.onUnsuback((UnsubackPacket) packet);
            default -> {
                return ReasonCode.PROTOCOL_ERROR;
            }
        }
        return null;
    }

    /** Hands what the session wrote in this turn of the loop to the connection now. */
    void flushWrites() {
        link.flush();
    }

    /** The accepted connection closed. */
    void onDisconnected(MqttClientException cause) {
        link.down();
        connected = false;
        notifier.disconnected(cause);
    }

    void close() {
        link.down();
        connected = false;
        outgoing.close();
        subscriptions.close();
        changes.flush(); // what this pass changed reaches the store before it closes
    }

    boolean isConnected() {
        return connected;
    }

    long brokerMaximumPacketSize() {
        return brokerMaximumPacketSize;
    }

    int unfinishedMessages() {
        return outgoing.unfinished();
    }
}
