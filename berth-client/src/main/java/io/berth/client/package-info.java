/**
 * A Java MQTT 3.1.1 and 5.0 client that keeps its own persistent session.
 *
 * <p>Start with {@link io.berth.client.MqttClient#builder()}. The client keeps every QoS 1 and 2 message
 * that the application handed over until the broker has acknowledged it, and every inbound QoS 2 packet
 * identifier until the broker released it, in a {@link io.berth.client.store.ClientSessionStore}; with a
 * file-backed store this state survives a restart of the client process.
 *
 * <p>Threading: the public types here are immutable values or thread-safe facades. All mutable session
 * state of a client lives on that client's single event-loop thread; calls from application threads are
 * handed to it as tasks. Message handlers and listeners run on the client's callback thread (one per
 * client, so they are called one at a time and in order), never on the event loop.
 */
@NullMarked
package io.berth.client;

import org.jspecify.annotations.NullMarked;
