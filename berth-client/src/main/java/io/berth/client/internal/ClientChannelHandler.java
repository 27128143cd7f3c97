package io.berth.client.internal;

import io.berth.client.MqttClientException;
import io.berth.codec.AuthPacket;
import io.berth.codec.ConnackPacket;
import io.berth.codec.DecodeFailure;
import io.berth.codec.DisconnectPacket;
import io.berth.codec.MqttPacket;
import io.berth.codec.MqttProperties;
import io.berth.codec.PacketType;
import io.berth.codec.PingreqPacket;
import io.berth.codec.PublishPacket;
import io.berth.codec.ReasonCode;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler.ClientHandshakeStateEvent;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of a client channel: sends CONNECT (once the WebSocket handshake is done, on a
 * WebSocket), runs the SCRAM-SHA-256 exchange through AUTH when configured, waits for CONNACK (within the
 * connect timeout), keeps the connection alive with PINGREQ, resolves the broker's topic aliases, and
 * hands every other packet to the session. Bad input from the broker (a {@link DecodeFailure} from the
 * decoder, or a packet a client must never get) ends the connection with the matching reason code: a
 * DISCONNECT carrying it on 5.0, a plain close on 3.1.1. The connector then reconnects.
 *
 * <p>Threading: one instance per channel, on the client's event loop.
 */
final class ClientChannelHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(ClientChannelHandler.class);

    private final Connector connector;
    private final ClientSession session;
    private final ClientConfig config;
    private final boolean webSocket;
    private final @Nullable ScramClient scram;
    private final Map<Integer, String> inboundAliases = new HashMap<>();
    private boolean accepted;
    private boolean authContinued;
    private boolean pingOutstanding;
    private @Nullable ScheduledFuture<?> timer;
    private MqttClientException cause = new MqttClientException("connection closed");

    ClientChannelHandler(Connector connector, ClientSession session, ClientConfig config, boolean webSocket) {
        this.connector = connector;
        this.session = session;
        this.config = config;
        this.webSocket = webSocket;
        String scramUser = config.scramUsername();
        char[] scramPassword = config.scramPassword();
        this.scram = scramUser == null || scramPassword == null ? null : new ScramClient(scramUser, scramPassword);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        timer = ctx.executor()
                .schedule(
                        () -> {
                            cause = new MqttClientException("no CONNACK within " + config.connectTimeout());
                            ctx.close();
                        },
                        config.connectTimeout().toMillis(),
                        TimeUnit.MILLISECONDS);
        if (!webSocket) {
            ctx.writeAndFlush(connector.connectPacket(scram));
        }
        ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt == ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
            ctx.writeAndFlush(connector.connectPacket(scram));
        } else if (evt == ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
            cause = new MqttClientException("no WebSocket handshake within " + config.connectTimeout());
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof DecodeFailure f) {
            fail(ctx, f.reasonCode(), "malformed packet from broker: " + f.description());
            return;
        }
        MqttPacket packet = (MqttPacket) msg;
        if (!accepted) {
            if (packet instanceof AuthPacket auth) {
                onAuth(ctx, auth);
            } else if (!(packet instanceof ConnackPacket connack)) {
                fail(ctx, ReasonCode.PROTOCOL_ERROR, "expected CONNACK, got " + packet.type());
            } else if (connack.reasonCode().isError()) {
                MqttProperties p = connack.properties();
                MqttClientException refusal = new MqttClientException(
                        "connection refused", connack.reasonCode(), p.reasonString(), p.serverReference(), null);
                cause = refusal;
                connector.refused(ctx.channel(), refusal);
                ctx.close();
            } else if (scram != null
                    && !(authContinued && scram.verify(connack.properties().authenticationData()))) {
                fail(ctx, ReasonCode.NOT_AUTHORIZED, "the broker did not prove it knows the SCRAM keys");
            } else {
                accepted = true;
                ScheduledFuture<?> t = timer;
                if (t != null) {
                    t.cancel(false);
                }
                startKeepAlive(ctx, connack);
                connector.accepted(ctx.channel(), connack);
            }
            return;
        }
        if (packet.type() == PacketType.PINGRESP) {
            pingOutstanding = false;
        } else if (packet instanceof DisconnectPacket d) {
            MqttProperties p = d.properties();
            cause = new MqttClientException(
                    "broker sent DISCONNECT", d.reasonCode(), p.reasonString(), p.serverReference(), null);
            ctx.close();
        } else if (packet instanceof PublishPacket p && p.properties().topicAlias() != null) {
            PublishPacket resolved = resolveAlias(ctx, p, p.properties().topicAlias());
            if (resolved != null) {
                route(ctx, resolved);
            }
        } else if (packet instanceof AuthPacket) {
            fail(ctx, ReasonCode.PROTOCOL_ERROR, "AUTH after CONNACK: re-authentication was not asked for");
        } else {
            route(ctx, packet);
        }
    }

    private void route(ChannelHandlerContext ctx, MqttPacket packet) {
        ReasonCode refused = session.onPacket(packet);
        if (refused != null) {
            fail(
                    ctx,
                    refused,
                    refused == ReasonCode.RECEIVE_MAXIMUM_EXCEEDED
                            ? "the broker sent more than the client's Receive Maximum of " + config.receiveMaximum()
                                    + " unacknowledged QoS 1 and 2 messages"
                            : "unexpected " + packet.type() + " from broker");
        }
    }

    /** The server-first message: compute the proof off the event loop (PBKDF2), then answer with AUTH. */
    private void onAuth(ChannelHandlerContext ctx, AuthPacket auth) {
        if (scram == null
                || authContinued
                || auth.reasonCode() != ReasonCode.CONTINUE_AUTHENTICATION
                || !ScramClient.METHOD.equals(auth.properties().authenticationMethod())) {
            fail(ctx, ReasonCode.PROTOCOL_ERROR, "unexpected AUTH " + auth.reasonCode() + " from broker");
            return;
        }
        authContinued = true;
        byte[] serverFirst = auth.properties().authenticationData();
        CompletableFuture.supplyAsync(() -> scram.last(serverFirst))
                .whenCompleteAsync(
                        (clientFinal, e) -> {
                            if (e != null) {
                                fail(ctx, ReasonCode.NOT_AUTHORIZED, "SCRAM exchange failed: " + e.getMessage());
                            } else if (ctx.channel().isActive()) {
                                ctx.writeAndFlush(new AuthPacket(
                                        ReasonCode.CONTINUE_AUTHENTICATION,
                                        MqttProperties.builder()
                                                .authenticationMethod(ScramClient.METHOD)
                                                .authenticationData(clientFinal)
                                                .build()));
                            }
                        },
                        ctx.executor());
    }

    /** The PUBLISH with its topic filled in from the alias, or null after failing the connection. */
    private @Nullable PublishPacket resolveAlias(ChannelHandlerContext ctx, PublishPacket p, int alias) {
        if (alias < 1 || alias > config.topicAliasMaximum()) {
            fail(ctx, ReasonCode.TOPIC_ALIAS_INVALID, "topic alias " + alias + " beyond the client's maximum");
            return null;
        }
        if (!p.topic().isEmpty()) {
            inboundAliases.put(alias, p.topic());
            return p;
        }
        String topic = inboundAliases.get(alias);
        if (topic == null) {
            fail(ctx, ReasonCode.PROTOCOL_ERROR, "topic alias " + alias + " used before it was set");
            return null;
        }
        return new PublishPacket(topic, p.qos(), p.retain(), p.dup(), p.packetId(), p.payload(), p.properties());
    }

    private void startKeepAlive(ChannelHandlerContext ctx, ConnackPacket connack) {
        Integer serverKeepAlive = connack.properties().serverKeepAlive();
        int seconds = serverKeepAlive != null ? serverKeepAlive : config.keepAliveSeconds();
        if (seconds == 0) {
            return;
        }
        timer = ctx.executor()
                .scheduleAtFixedRate(
                        () -> {
                            if (pingOutstanding) {
                                cause = new MqttClientException(
                                        "no PINGRESP within the keep alive of " + seconds + " s");
                                ctx.close();
                            } else {
                                pingOutstanding = true;
                                ctx.writeAndFlush(PingreqPacket.INSTANCE);
                            }
                        },
                        seconds,
                        seconds,
                        TimeUnit.SECONDS);
    }

    /** Ends the connection because of the broker: DISCONNECT with {@code reasonCode} on 5.0. */
    void fail(ChannelHandlerContext ctx, ReasonCode reasonCode, String description) {
        LOG.debug("{}: {}; closing with {}", config.clientId(), description, reasonCode);
        cause = new MqttClientException(description + "; the client closed the connection with " + reasonCode);
        if (config.version().isV5() && ctx.channel().isActive()) {
            ctx.writeAndFlush(DisconnectPacket.of(reasonCode)).addListener(ChannelFutureListener.CLOSE);
        } else {
            ctx.close();
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (timer != null) {
            timer.cancel(false);
        }
        connector.closed(ctx.channel(), cause);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable e) {
        LOG.debug("{}: connection error", config.clientId(), e);
        cause = new MqttClientException(e.toString(), null, e);
        ctx.close();
    }
}
