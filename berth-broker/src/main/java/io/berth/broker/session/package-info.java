/**
 * Sessions: their state, the shards that own them, and the router that hands published messages from
 * one shard to the shards of the subscribers.
 *
 * <p>Threading: every {@link Session} belongs to one {@link SessionShard} and is read and changed only
 * on that shard's single thread ({@link ShardExecutor}), which works in ticks. Work from a Netty I/O
 * thread arrives once per read burst; work from other shards once per tick of the sending shard; store
 * commands leave once per tick ({@link TickBatch}) and their completion comes back once per commit. Queue
 * reads past what memory holds run on the reader thread and come back as a task (see docs/adr/0007).
 */
@NullMarked
package io.berth.broker.session;

import org.jspecify.annotations.NullMarked;
