package io.berth.client.internal;

import io.berth.client.ConnectResult;
import io.berth.client.Disconnect;
import io.berth.client.Message;
import io.berth.client.MqttClientException;
import io.berth.codec.ConnackPacket;
import io.berth.codec.ConnectPacket;
import io.berth.codec.DisconnectPacket;
import io.berth.codec.MqttDecoder;
import io.berth.codec.MqttEncoder;
import io.berth.codec.MqttProperties;
import io.berth.codec.Will;
import io.berth.codec.transport.NettyTransport;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens connections and keeps one open: CONNECT on every new channel, reconnect after every loss with
 * exponential backoff (from the configured minimum, doubling, up to the maximum, with jitter; back to the
 * minimum after an accepted CONNACK). Only the very first attempt reports failure to the caller; once
 * connected, the client keeps trying until it is closed.
 *
 * <p>Threading: owned by the client's event loop.
 */
final class Connector {
    private static final Logger LOG = LoggerFactory.getLogger(Connector.class);

    private final ClientConfig config;
    private final EventLoop loop;
    private final ClientSession session;
    private final Bootstrap bootstrap;
    private final ClientTransport transport;
    private final CompletableFuture<ConnectResult> firstConnect = new CompletableFuture<>();
    private boolean started;
    private boolean everAccepted;
    private boolean closing;
    private long delayMillis;
    private String clientId;
    private @Nullable Channel channel;
    private boolean accepted;

    Connector(ClientConfig config, EventLoop loop, ClientSession session) {
        this.config = config;
        this.loop = loop;
        this.session = session;
        this.clientId = config.clientId();
        this.delayMillis = config.reconnectMinDelay().toMillis();
        this.transport = new ClientTransport(config);
        this.bootstrap = new Bootstrap()
                .group(loop)
                .channel(NettyTransport.get().socketChannel())
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)
                        config.connectTimeout().toMillis())
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        transport.addTo(ch);
                        ch.pipeline()
                                .addLast(
                                        MqttDecoder.forClient(config.version(), config.maxPacketSize()),
                                        new MqttEncoder(config.version()),
                                        new ClientChannelHandler(
                                                Connector.this, session, config, transport.isWebSocket()));
                    }
                });
    }

    /** Starts connecting; the returned future is the first attempt's. */
    CompletableFuture<ConnectResult> start() {
        assert loop.inEventLoop();
        if (!started) {
            started = true;
            attempt();
        }
        return firstConnect;
    }

    private void attempt() {
        if (closing) {
            return;
        }
        bootstrap.connect(config.host(), config.port()).addListener((ChannelFutureListener) f -> {
            if (f.isSuccess()) {
                channel = f.channel();
                accepted = false;
            } else {
                failed("cannot connect to " + config.host() + ":" + config.port() + ": " + f.cause());
            }
        });
    }

    /**
     * The CONNECT for a new channel: Clean Start only on the very first connection (5.0); with the
     * client-first message of {@code scram} when SCRAM-SHA-256 is configured.
     */
    ConnectPacket connectPacket(@Nullable ScramClient scram) {
        boolean cleanStart = config.version().isV5() ? config.cleanStart() && !everAccepted : config.cleanStart();
        MqttProperties properties = MqttProperties.EMPTY;
        boolean v5 = config.version().isV5();
        if (v5) {
            properties = MqttProperties.builder()
                    .sessionExpiryInterval(config.sessionExpirySeconds() == 0 ? null : config.sessionExpirySeconds())
                    .maximumPacketSize((long) config.maxPacketSize())
                    .receiveMaximum(config.receiveMaximum() == 65_535 ? null : config.receiveMaximum())
                    .topicAliasMaximum(config.topicAliasMaximum() == 0 ? null : config.topicAliasMaximum())
                    .authenticationMethod(scram == null ? null : ScramClient.METHOD)
                    .authenticationData(scram == null ? null : scram.first())
                    .build();
        }
        Will will = null;
        if (config.will() != null) {
            Message w = config.will();
            MqttProperties willProperties = MqttProperties.EMPTY;
            if (v5) {
                Duration expiry = w.properties().messageExpiry();
                willProperties =
                        WireProperties.toWire(w.properties(), expiry == null ? null : expiry.getSeconds()).toBuilder()
                                .willDelayInterval(config.willDelaySeconds() == 0 ? null : config.willDelaySeconds())
                                .build();
            }
            will = new Will(w.topic(), w.payload(), w.qos(), w.retain(), willProperties);
        }
        return new ConnectPacket(
                config.version(),
                clientId,
                cleanStart,
                config.keepAliveSeconds(),
                config.username(),
                config.password(),
                will,
                properties);
    }

    void accepted(Channel ch, ConnackPacket connack) {
        if (ch != channel) {
            ch.close();
            return;
        }
        accepted = true;
        everAccepted = true;
        delayMillis = config.reconnectMinDelay().toMillis();
        String assigned = connack.properties().assignedClientIdentifier();
        if (assigned != null) {
            clientId = assigned;
        }
        ConnectResult result = session.onConnack(ch, connack, clientId);
        firstConnect.complete(result);
    }

    /**
     * A CONNACK refused the connection: the first connect fails with its reason code, Reason String and
     * Server Reference; later, the client keeps trying with backoff.
     */
    void refused(Channel ch, MqttClientException refusal) {
        LOG.warn("{}: {} by {}:{}", clientId, refusal.getMessage(), config.host(), config.port());
        if (!everAccepted) {
            closing = true;
            firstConnect.completeExceptionally(refusal);
        }
    }

    /** A channel closed, accepted or not. */
    void closed(Channel ch, MqttClientException cause) {
        if (ch != channel) {
            return;
        }
        channel = null;
        if (accepted) {
            accepted = false;
            session.onDisconnected(cause);
        }
        failed(cause);
    }

    private void failed(String cause) {
        failed(new MqttClientException(cause));
    }

    private void failed(MqttClientException cause) {
        if (!everAccepted) {
            if (!firstConnect.isDone()) {
                firstConnect.completeExceptionally(cause);
            }
            return;
        }
        if (closing) {
            return;
        }
        long jittered = delayMillis / 2 + ThreadLocalRandom.current().nextLong(delayMillis / 2 + 1);
        LOG.debug("{}: {}; reconnecting in {} ms", clientId, cause.getMessage(), jittered);
        loop.schedule(this::attempt, jittered, TimeUnit.MILLISECONDS);
        delayMillis = Math.min(
                Math.max(1, delayMillis * 2), config.reconnectMaxDelay().toMillis());
    }

    /** Sends {@code disconnect} and stops for good; the future completes when the channel is closed. */
    CompletableFuture<Void> close(Disconnect disconnect) {
        closing = true;
        CompletableFuture<Void> done = new CompletableFuture<>();
        Channel ch = channel;
        if (ch == null) {
            done.complete(null);
        } else {
            if (accepted) {
                session.flushWrites(); // what the session wrote in this turn goes before the DISCONNECT
                ch.writeAndFlush(disconnectPacket(disconnect));
            }
            ch.close().addListener(f -> done.complete(null));
        }
        return done;
    }

    private static DisconnectPacket disconnectPacket(Disconnect d) {
        if (d.equals(Disconnect.NORMAL)) {
            return DisconnectPacket.NORMAL;
        }
        return new DisconnectPacket(
                d.reasonCode(),
                MqttProperties.builder()
                        .reasonString(d.reasonString())
                        .sessionExpiryInterval(
                                d.sessionExpiry() == null
                                        ? null
                                        : d.sessionExpiry().getSeconds())
                        .userProperties(d.userProperties())
                        .build());
    }
}
