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
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A {@link ClientConnection} over a Netty channel. Packets sent from a shard wait in an outbox until the
 * shard calls {@link #flush()}; then one task on the event loop writes them all and flushes once, rather
 * than one task per packet.
 *
 * <p>Threading: {@link #send}, {@link #flush} and {@link #close} from any thread (the outbox is a
 * multi-producer queue); the outbox is drained on the channel's event loop only.
 */
final class ChannelConnection implements ClientConnection {
    private final Channel channel;
    private final String clientId;
    private final MqttVersion version;
    private final int sendWindow;
    private final long maximumPacketSize;
    private final Queue<MqttPacket> outbox = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    /** Inbound PUBLISH packets handed to the session and not yet finished. */
    private final AtomicInteger unfinished = new AtomicInteger();
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
        outbox.add(packet);
    }

    @Override
    public void flush() {
        if (drainScheduled.compareAndSet(false, true)) {
            channel.eventLoop().execute(this::drain);
        }
    }

    /** Writes everything in the outbox and flushes once. Runs on the event loop. */
    private void drain() {
        drainScheduled.set(false);
        boolean wrote = false;
        MqttPacket p;
        while ((p = outbox.poll()) != null) {
            channel.write(p, channel.voidPromise());
            wrote = true;
        }
        if (wrote) {
            channel.flush();
        }
    }

    @Override
    public void close(ReasonCode reason) {
        channel.eventLoop().execute(() -> {
            drain();
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
        channel.eventLoop().execute(() -> {
            outbox.clear();
            channel.writeAndFlush(new ConnackPacket(false, reason, MqttProperties.EMPTY))
                    .addListener(ChannelFutureListener.CLOSE);
        });
    }

    /** Counts an inbound PUBLISH handed to the session; pauses reading when too many are unfinished. */
    void inboundStarted() {
        if (unfinished.incrementAndGet() == PAUSE_AT) {
            channel.config().setAutoRead(false);
        }
    }

    @Override
    public void inboundDone() {
        if (unfinished.decrementAndGet() == RESUME_AT) {
            channel.eventLoop().execute(() -> {
                if (unfinished.get() <= RESUME_AT) {
                    channel.config().setAutoRead(true);
                }
            });
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
