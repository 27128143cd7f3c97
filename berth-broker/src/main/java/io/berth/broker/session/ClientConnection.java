package io.berth.broker.session;

import io.berth.codec.MqttPacket;
import io.berth.codec.MqttVersion;
import io.berth.codec.ReasonCode;

/**
 * A session's view of the network connection it is attached to. Implemented by the protocol layer.
 *
 * <p>Threading: the values are fixed after CONNECT; the methods are called on the connection's event
 * loop, which is its session's shard (ADR 9).
 */
public interface ClientConnection {
    String clientId();

    MqttVersion version();

    /** The client's Receive Maximum (5.0), or the broker's in-flight window for 3.1.1. */
    int sendWindow();

    /** The largest packet the client accepts, in bytes. */
    long maximumPacketSize();

    /** Writes a packet (it leaves with the next {@link #flush}). */
    void send(MqttPacket packet);

    /** Flushes what {@link #send} wrote, once at the end of the loop's iteration. */
    void flush();

    /** Ends the connection: on 5.0 with a DISCONNECT carrying {@code reason}, on 3.1.1 by closing. */
    void close(ReasonCode reason);

    /**
     * Answers CONNECT with a CONNACK carrying {@code reason} (3.1.1: the matching return code) and
     * closes, without a DISCONNECT [MQTT-3.2.2-7].
     */
    void refuse(ReasonCode reason);

    /** False once the socket's outbound buffer is above its high-water mark. */
    boolean isWritable();

    /**
     * An inbound PUBLISH handed to the session is finished: routed (QoS 0) or acknowledged (QoS 1/2).
     * The connection stops reading while too many are unfinished, so a fast publisher cannot fill the
     * broker's memory.
     */
    void inboundDone();

    /** A short description for log lines: client id and remote address. */
    String describe();
}
