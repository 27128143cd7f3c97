/**
 * The implementation of {@link io.berth.client.MqttClient} and of the session stores. Not an API.
 *
 * <p>Threading: each client has one event loop that owns its connection and all of its session state
 * ({@code ClientSession}, {@code OutgoingFlow}, {@code InboundFlow}, {@code Subscriptions}, {@code Link},
 * {@code Connector}); application calls arrive there as tasks. Handlers run on the client's callback
 * thread ({@code Notifier}). The file store's log is written by the event loop (under the store's monitor),
 * forced by the store's force thread and compacted by a thread of its own; its completions are handed back
 * to the event loop.
 */
@NullMarked
package io.berth.client.internal;

import org.jspecify.annotations.NullMarked;
