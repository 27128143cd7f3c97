/**
 * The admin HTTP listener: its own Netty event loop (not the MQTT loops) with request deadlines and
 * size caps, the {@link io.berth.broker.admin.RequestGuard} against browser-borne requests (Host, Origin,
 * Content-Type), the bearer token ({@link io.berth.broker.admin.AdminToken}), JSON views of sessions and
 * queues, {@code /overview} and {@code /events} for the console, {@code /metrics}, and the web console's
 * static files from the classpath folder {@code io/berth/broker/admin/console/}. Every session request is
 * turned into a call on {@link io.berth.broker.session.SessionAdmin}, which runs it on the shard that owns
 * the session.
 *
 * <p>Threading: connections are read and written on the listener's one event loop thread; answers are
 * computed on its small request pool, which waits (bounded) for the shards' answers. The console's
 * metric history is sampled on the event loop and read under a lock.
 */
@NullMarked
package io.berth.broker.admin;

import org.jspecify.annotations.NullMarked;
