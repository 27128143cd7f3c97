/**
 * The MQTT protocol on one connection: CONNECT validation, keep alive, topic aliases, and handing each
 * packet to the session's shard.
 *
 * <p>Threading: a handler and its state belong to its channel's event loop; it never blocks and never
 * touches the store.
 */
@NullMarked
package io.berth.broker.protocol;

import org.jspecify.annotations.NullMarked;
