package io.berth.broker.protocol;

import io.berth.broker.auth.Security;
import io.berth.broker.config.BrokerConfig;
import io.berth.broker.config.ListenerConfig;
import io.berth.broker.session.SessionShard;
import io.berth.broker.session.Sessions;
import io.berth.codec.AuthPacket;
import io.berth.codec.ConnackPacket;
import io.berth.codec.ConnectPacket;
import io.berth.codec.DecodeFailure;
import io.berth.codec.DisconnectPacket;
import io.berth.codec.MqttEncoder;
import io.berth.codec.MqttPacket;
import io.berth.codec.MqttProperties;
import io.berth.codec.MqttVersion;
import io.berth.codec.PingreqPacket;
import io.berth.codec.PingrespPacket;
import io.berth.codec.PubackPacket;
import io.berth.codec.PubcompPacket;
import io.berth.codec.PublishPacket;
import io.berth.codec.PubrecPacket;
import io.berth.codec.PubrelPacket;
import io.berth.codec.ReasonCode;
import io.berth.codec.SubscribePacket;
import io.berth.codec.UnsubscribePacket;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server side of one MQTT connection. Checks what must be checked before a session is involved
 * (CONNECT first and once, the topic of each PUBLISH in {@link InboundTopics}, packets only a server may
 * send), answers PINGREQ, and hands everything else to the session's shard, in the read: once logged in
 * ({@link LoggedIn}), the channel moves to the shard's event loop ({@link ChannelMove}, ADR 9).
 * Malformed input arrives as one {@link DecodeFailure} and ends the connection with its reason code;
 * other connections never notice.
 *
 * <p>CONNECT is authenticated by this connection's {@link Authenticator}, off the event loop ({@link
 * Security#authenticate}); until the outcome is known the channel stops reading and packets already
 * decoded are held, then handled in order. CONNECT must arrive within the connect timeout of the TCP
 * connection, however slowly bytes trickle in, and may be at most {@code max-connect-size}; the wait for
 * the login's turn then does not count against the connect timeout but against {@link
 * KeepAlive#LOGIN_TIMEOUT_SECONDS}. The milestones go to the transport's limits as {@link
 * ConnectionEvent}s.
 *
 * <p>Threading: one instance per channel, on its event loop only; plain fields, no locks.
 */
public final class MqttConnectionHandler extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(MqttConnectionHandler.class);
    /** How long input is still read and dropped after the broker's DISCONNECT. */
    static final long LINGER_MILLIS = 1_000;

    private final BrokerConfig config;
    private final Sessions sessions;
    private final ConnectValidator validator;
    private final Authenticator authenticator;
    private final InboundTopics topics;

    private boolean connectReceived;

    private @Nullable ScheduledFuture<?> connectDeadline;
    private @Nullable LoggedIn login;
    private @Nullable MqttVersion version;
    private @Nullable ChannelHandlerContext ctx;
    /** The broker ended the connection; input is discarded until the socket closes. */
    private boolean closing;

    private boolean lossReported;

    /** What the login established; packets for the session are only read after it. */
    private LoggedIn login() {
        LoggedIn l = login;
        if (l == null) {
            throw new IllegalStateException("not logged in");
        }
        return l;
    }

    /** The protocol version, set when the CONNECT was read, before its login. */
    private MqttVersion loggedInVersion() {
        MqttVersion v = version;
        if (v == null) {
            throw new IllegalStateException("no CONNECT read");
        }
        return v;
    }

    /** The context, set when the handler was added. */
    private ChannelHandlerContext ctx() {
        ChannelHandlerContext c = ctx;
        if (c == null) {
            throw new IllegalStateException("handler not added");
        }
        return c;
    }

    public MqttConnectionHandler(BrokerConfig config, Sessions sessions, Security security, ListenerConfig listener) {
        this.config = config;
        this.sessions = sessions;
        this.authenticator = new Authenticator(config, security, listener, this);
        this.validator = new ConnectValidator(config, security::limitHit);
        this.topics = new InboundTopics(config, security, this::refusePublish);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        connectDeadline = ctx.executor()
                .schedule(
                        () -> {
                            if (!connectReceived) {
                                close(ctx, ReasonCode.MAXIMUM_CONNECT_TIME, "no CONNECT within the connect timeout");
                            }
                        },
                        config.connectTimeoutSeconds(),
                        TimeUnit.SECONDS);
        ctx.fireChannelActive();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (authenticator.hold(msg)) {
            return;
        }
        try {
            if (closing) {
                return; // the broker ended this connection: what still arrives is read and dropped
            }
            if (msg instanceof DecodeFailure failure) {
                onDecodeFailure(ctx, failure);
            } else if (msg instanceof ConnectPacket connect) {
                onConnect(ctx, connect);
            } else if (authenticator.scramPending() && msg instanceof MqttPacket packet) {
                authenticator.onScramStep(ctx, packet);
            } else if (msg instanceof MqttPacket packet) {
                if (login == null) {
                    // [MQTT-3.1.0-1] the first packet must be CONNECT (the decoder checks it too)
                    ctx.close();
                    return;
                }
                onPacket(ctx, packet);
            }
        } finally {
            ReferenceCountUtil.release(msg);
        }
    }

    private void onConnect(ChannelHandlerContext ctx, ConnectPacket connect) {
        if (connectReceived) {
            // [MQTT-3.1.0-2] a second CONNECT is a protocol error
            protocolError(ctx, "second CONNECT");
            return;
        }
        version = connect.version();
        ctx.pipeline().get(MqttEncoder.class).version(version);
        ConnectValidator.Result result = validator.validate(connect);
        connectReceived = true;
        if (connectDeadline != null) {
            connectDeadline.cancel(false);
        }
        ctx.pipeline().fireUserEventTriggered(ConnectionEvent.CONNECT_RECEIVED);
        if (result.refusal() != null) {
            refuse(ctx, result.refusal(), "invalid CONNECT");
            return;
        }
        authenticator.start(ctx, connect, result);
    }

    /**
     * Continues a CONNECT once its login is accepted: the channel moves to its session's loop, the
     * session takes over, then the packets held during the login are handled in order. Runs on the event
     * loop.
     */
    void loggedIn(ChannelHandlerContext ctx, ConnectValidator.Result result, String principal, List<Object> pending) {
        SessionShard target = sessions.shardOf(result.clientId());
        ChannelMove.to(
                ctx.channel(),
                target.loop(),
                () -> attach(ctx, result, principal, pending, target),
                () -> pending.forEach(ReferenceCountUtil::release));
    }

    /** Hands the connection, now on its session's loop, to the session. */
    private void attach(
            ChannelHandlerContext ctx,
            ConnectValidator.Result result,
            String principal,
            List<Object> pending,
            SessionShard target) {
        if (closing) {
            pending.forEach(ReferenceCountUtil::release);
            return;
        }
        KeepAlive.install(ctx.pipeline(), result.keepAliveSeconds());
        if (result.outboundTopicAliases() > 0) {
            ctx.pipeline()
                    .addLast(
                            TopicAliasHandler.NAME,
                            new TopicAliasHandler(result.outboundTopicAliases(), result.maximumPacketSize()));
        }
        ChannelConnection connection = new ChannelConnection(
                ctx.channel(), result.clientId(), loggedInVersion(), result.sendWindow(), result.maximumPacketSize());
        login = new LoggedIn(connection, target, result.expiry());
        target.connect(result.withConnection(connection, principal));
        ctx.channel().config().setAutoRead(true);
        for (Object m : pending) {
            channelRead(ctx, m);
        }
    }

    /** Hands a packet to the session, on this loop, which is its shard's. */
    private void toSession(MqttPacket packet) {
        LoggedIn l = login();
        l.shard().handle(l.connection(), packet);
    }

    /** Answers CONNECT with a refusal (3.1.1: the matching return code) and closes. */
    void refuse(ChannelHandlerContext ctx, ReasonCode reason, String why) {
        LOG.debug("CONNECT from {} refused: {} ({})", ctx.channel().remoteAddress(), why, reason);
        ctx.writeAndFlush(new ConnackPacket(false, reason, MqttProperties.EMPTY))
                .addListener(ChannelFutureListener.CLOSE);
    }

    private void onPacket(ChannelHandlerContext ctx, MqttPacket packet) {
        if (packet instanceof PublishPacket p) {
            PublishPacket resolved = topics.resolve(ctx, p);
            if (resolved != null) {
                login().connection().inboundStarted();
                toSession(resolved);
            }
        } else if (packet instanceof PubackPacket
                || packet instanceof PubrecPacket
                || packet instanceof PubrelPacket
                || packet instanceof PubcompPacket
                || packet instanceof SubscribePacket
                || packet instanceof UnsubscribePacket) {
            toSession(packet);
        } else if (packet instanceof PingreqPacket) {
            // [MQTT-3.12.4-1]
            ctx.writeAndFlush(PingrespPacket.INSTANCE);
        } else if (packet instanceof DisconnectPacket p) {
            Long expiry = p.properties().sessionExpiryInterval();
            LoggedIn l = login();
            if (l.expiry() == 0 && expiry != null && expiry != 0) {
                // [MQTT-3.14.2-2] zero in CONNECT cannot become non-zero in DISCONNECT; the will is sent
                protocolError(ctx, "session expiry set in DISCONNECT after zero in CONNECT");
                return;
            }
            l.shard().disconnect(l.connection(), p);
            ctx.close();
        } else if (packet instanceof AuthPacket) {
            // no authentication method was agreed in CONNECT: AUTH is a protocol error [MQTT-4.12.0-1]
            protocolError(ctx, "AUTH without an authentication method");
        } else {
            // CONNACK, SUBACK, UNSUBACK, PINGRESP travel from server to client only
            protocolError(ctx, packet.type() + " sent to the server");
        }
    }

    /** Ends the connection over a PUBLISH's topic; a protocol error also counts as a failed connection. */
    private void refusePublish(ChannelHandlerContext ctx, ReasonCode reason, String what) {
        if (reason == ReasonCode.PROTOCOL_ERROR) {
            protocolError(ctx, what);
        } else {
            close(ctx, reason, what);
        }
    }

    private void onDecodeFailure(ChannelHandlerContext ctx, DecodeFailure failure) {
        LOG.debug(
                "malformed input from {} ({}): {} {}",
                describe(ctx),
                failure.reasonCode(),
                failure.description(),
                failure.inConnect() ? "in CONNECT" : "");
        if (login != null) {
            ctx.pipeline().fireUserEventTriggered(ConnectionEvent.FAILED);
        }
        MqttVersion v = failure.version() != null ? failure.version() : version;
        if (failure.reasonCode() == ReasonCode.UNSUPPORTED_PROTOCOL_VERSION) {
            // [MQTT-3.1.2-2] answer with return code 0x01 (3.1.1 format) and close
            MqttEncoder encoder = ctx.pipeline().get(MqttEncoder.class);
            encoder.version(MqttVersion.V3_1_1);
            ctx.writeAndFlush(new ConnackPacket(false, ReasonCode.UNSUPPORTED_PROTOCOL_VERSION, MqttProperties.EMPTY))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        if (login == null && v != null && v.isV5() && failure.inConnect()) {
            // 5.0 section 3.2.2.2: a bad CONNECT is answered by CONNACK with the reason code
            ctx.pipeline().get(MqttEncoder.class).version(v);
            ctx.writeAndFlush(new ConnackPacket(false, failure.reasonCode(), MqttProperties.EMPTY))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        disconnect(failure.reasonCode());
    }

    private void protocolError(ChannelHandlerContext ctx, String what) {
        if (login != null) {
            ctx.pipeline().fireUserEventTriggered(ConnectionEvent.FAILED);
        }
        close(ctx, ReasonCode.PROTOCOL_ERROR, what);
    }

    void close(ChannelHandlerContext ctx, ReasonCode reason, String what) {
        LOG.debug("closing {}: {} ({})", describe(ctx), what, reason);
        disconnect(reason);
    }

    /**
     * Ends the connection from the broker's side. The session is told at once. On 5.0 a DISCONNECT with
     * {@code reason} goes out first; then the sending side is shut and what the client still sends is
     * read and dropped until it closes (at most {@link #LINGER_MILLIS}), so that a client busy writing
     * reads why rather than a connection reset. 3.1.1 has no DISCONNECT from the server: it is closed.
     * Runs on the event loop.
     */
    void disconnect(ReasonCode reason) {
        if (closing) {
            return;
        }
        closing = true;
        reportLoss();
        ChannelHandlerContext ctx = ctx();
        Channel channel = ctx.channel();
        if (login == null || version == null || !version.isV5() || !channel.isActive()) {
            channel.close();
            return;
        }
        ctx.writeAndFlush(DisconnectPacket.of(reason)).addListener(f -> {
            if (f.isSuccess() && channel instanceof SocketChannel socket) {
                socket.shutdownOutput();
                channel.eventLoop().schedule(() -> channel.close(), LINGER_MILLIS, TimeUnit.MILLISECONDS);
            } else {
                channel.close();
            }
        });
    }

    private void reportLoss() {
        LoggedIn l = login;
        if (l != null && !lossReported) {
            lossReported = true;
            l.shard().connectionLost(l.connection());
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof IdleStateEvent) {
            // [MQTT-3.1.2-24] nothing for 1.5 times the keep alive (or no CONNECT in time): close
            close(ctx, ReasonCode.KEEP_ALIVE_TIMEOUT, login == null ? "no CONNECT in time" : "keep alive expired");
        } else {
            ctx.fireUserEventTriggered(evt);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (connectDeadline != null) {
            connectDeadline.cancel(false);
        }
        authenticator.end();
        reportLoss();
        ctx.fireChannelInactive();
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        ctx.fireChannelWritabilityChanged();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("closing {} after an error: {}", describe(ctx), cause.toString());
        ctx.close();
    }

    private String describe(ChannelHandlerContext ctx) {
        LoggedIn l = login;
        return l != null
                ? l.connection().describe()
                : "connection from " + ctx.channel().remoteAddress();
    }
}
