package io.berth.broker.transport;

import io.berth.broker.session.ShardLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SingleThreadEventLoop;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The broker's event loops (NIO): one group serves the connections and the session shards, shard
 * {@code i} on loop {@code i} (ADR 9). A connection is accepted on any loop and moves to its session's
 * at CONNECT.
 *
 * <p>Threading: built and closed by the owner of the broker; the loops are Netty's.
 */
public final class EventLoops implements AutoCloseable {
    private final MultiThreadIoEventLoopGroup group;

    public EventLoops(int count) {
        group = new MultiThreadIoEventLoopGroup(
                count, new DefaultThreadFactory("berth-loop", true), NioIoHandler.newFactory());
    }

    /** The loops in order, for the shards. */
    public List<ShardLoop> shardLoops() {
        List<ShardLoop> loops = new ArrayList<>();
        for (EventExecutor e : group) {
            SingleThreadEventLoop loop = (SingleThreadEventLoop) e;
            loops.add(new ShardLoop(loop, loop::executeAfterEventLoopIteration));
        }
        return loops;
    }

    /** The group, for the listeners' connections. */
    EventLoopGroup group() {
        return group;
    }

    /** Stops the loops; the tasks waiting run first (a short quiet period lets hand-offs between loops finish). */
    @Override
    public void close() {
        group.shutdownGracefully(100, 5_000, TimeUnit.MILLISECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
