/**
 * The admin HTTP API: its own listener (JDK {@code com.sun.net.httpserver}), bearer-token check, JSON
 * views of sessions and queues, and {@code /metrics}. Every request is turned into a call on
 * {@link io.berth.broker.session.SessionAdmin}, which runs it on the shard that owns the session.
 *
 * <p>Threading: requests are handled on the listener's own small thread pool, which waits (bounded) for
 * the shards' answers; it holds no mutable state of its own.
 */
package io.berth.broker.admin;
