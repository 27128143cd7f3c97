/**
 * Sessions: their state, the shards that own them, and the router that hands published messages from
 * one shard to the shards of the subscribers.
 *
 * <p>Threading: every {@link Session} belongs to one {@link SessionShard} and is read and changed only
 * on that shard's single thread. Work from Netty I/O threads and from other shards arrives as tasks on
 * the shard's executor. Store completions come back to the shard the same way.
 */
package io.berth.broker.session;
