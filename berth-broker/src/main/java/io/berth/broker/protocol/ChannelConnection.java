package io.berth.broker.protocol;

import io.berth.broker.auth.LogText;
import io.berth.broker.session.ClientConnection;
import io.berth.codec.ConnackPacket;
import io.berth.codec.MqttPacket;
import io.berth.codec.MqttProperties;
import io.berth.codec.MqttVersion;
import io.berth.codec.ReasonCode;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.SingleThreadEventLoop;

/**
 * A {@link ClientConnection} over a Netty channel, used by the session's shard, which runs on the
 * channel's event loop (the channel moved there at CONNECT, ADR 9). {@link #send} writes into the
 * channel at once; {@link #flush} asks for one flush at the end of the loop's iteration, so the packets
 * of one read burst, one commit or one tick leave with one flush (as Netty's {@code
 * FlushConsolidationHandler} would).
 *
 * <p>Threading: owned by the channel's event loop; plain fields, every entry point asserts it but
 * {@link #close} and {@link #refuse}, which run as a task of their own so that a session never closes a
 * channel in the middle of its own read.
 */
final class ChannelConnection implements ClientConnection {
    private final Channel channel;
    private final String clientId;
    private final MqttVersion version;
    private final int sendWindow;
    private final long maximumPacketSize;
    private final Runnable flushTask = this::flushNow;
    /** Packets were written and not flushed yet. */
    private boolean unflushed;
    /** A flush is asked for at the end of this loop iteration. */
    private boolean flushScheduled;
    /** Inbound PUBLISH packets handed to the session and not yet finished. */
    private int unfinished;
    /** Reading stops at this many unfinished inbound publishes ... */
    static final int PAUSE_AT = 1024;
    /** ... and resumes when they are down to this many. */
    static final int RESUME_AT = 256;

    ChannelConnection(Channel channel, String clientId, MqttVersion version, int sendWindow, long maximumPacketSize) {
        this.channel = channel;
        this.clientId = clientId;
        this.version = version;
        this.sendWindow = sendWindow;
        this.maximumPacketSize = maximumPacketSize;
    }

    @Override
    public String clientId() {
        return clientId;
    }

    @Override
    public MqttVersion version() {
        return version;
    }

    @Override
    public int sendWindow() {
        return sendWindow;
    }

    @Override
    public long maximumPacketSize() {
        return maximumPacketSize;
    }

    @Override
    public void send(MqttPacket packet) {
        assert channel.eventLoop().inEventLoop() : "written off the connection's loop";
        channel.write(packet, channel.voidPromise());
        unflushed = true;
    }

    @Override
    public void flush() {
        assert channel.eventLoop().inEventLoop() : "flushed off the connection's loop";
        if (!unflushed || flushScheduled) {
            return;
        }
        if (channel.eventLoop() instanceof SingleThreadEventLoop loop) {
            flushScheduled = true;
            loop.executeAfterEventLoopIteration(flushTask);
        } else {
            flushNow();
        }
    }

    private void flushNow() {
        flushScheduled = false;
        if (unflushed) {
            unflushed = false;
            channel.flush();
        }
    }

    @Override
    public void close(ReasonCode reason) {
        channel.eventLoop().execute(() -> {
            flushNow();
            MqttConnectionHandler handler = channel.pipeline().get(MqttConnectionHandler.class);
            if (handler != null) {
                handler.disconnect(reason);
            } else {
                channel.close();
            }
        });
    }

    @Override
    public void refuse(ReasonCode reason) {
        channel.eventLoop()
                .execute(() -> channel.writeAndFlush(new ConnackPacket(false, reason, MqttProperties.EMPTY))
                        .addListener(ChannelFutureListener.CLOSE));
    }

    /** Counts an inbound PUBLISH handed to the session; pauses reading when too many are unfinished. */
    void inboundStarted() {
        assert channel.eventLoop().inEventLoop() : "counted off the connection's loop";
        if (++unfinished == PAUSE_AT) {
            channel.config().setAutoRead(false);
        }
    }

    @Override
    public void inboundDone() {
        assert channel.eventLoop().inEventLoop() : "counted off the connection's loop";
        if (--unfinished == RESUME_AT) {
            channel.config().setAutoRead(true);
        }
    }

    @Override
    public boolean isWritable() {
        return channel.isWritable();
    }

    @Override
    public String describe() {
        return "client '" + LogText.safe(clientId) + "' at " + channel.remoteAddress();
    }
}
