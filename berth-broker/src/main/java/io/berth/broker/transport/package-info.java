/**
 * The network: the listeners (TCP, TLS, WebSocket, secure WebSocket) and the handlers each connection
 * passes before the MQTT pipeline: per-address limits, TLS, the HTTP upgrade and WebSocket framing.
 *
 * <p>Threading: Netty's boss and worker event loops; a pipeline belongs to its channel's loop. A TLS
 * listener's context is replaced by the reloader thread through a volatile field.
 */
@NullMarked
package io.berth.broker.transport;

import org.jspecify.annotations.NullMarked;
