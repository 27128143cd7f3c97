package io.berth.broker.protocol;

import io.berth.broker.auth.Authentication;
import io.berth.broker.auth.Credentials;
import io.berth.broker.auth.ScramServer;
import io.berth.broker.auth.Security;
import io.berth.broker.config.BrokerConfig;
import io.berth.broker.config.ListenerConfig;
import io.berth.codec.AuthPacket;
import io.berth.codec.ConnectPacket;
import io.berth.codec.MqttDecoder;
import io.berth.codec.MqttPacket;
import io.berth.codec.MqttProperties;
import io.berth.codec.ReasonCode;
import io.berth.codec.Will;
import io.netty.channel.ChannelHandlerContext;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The login of one MQTT connection, from a valid CONNECT to the session: the password check (or the
 * certificate name) through {@link Security#authenticate}, which waits for the address's turn (back-off,
 * logins in flight); the 5.0 SCRAM-SHA-256 exchange, which waits for the same turn; the ACL check of the
 * will topic; and the following of password users for reloads. Until the outcome is known the channel
 * stops reading, packets already decoded are held, the idle timer is suspended and the login has its own
 * limit, {@link KeepAlive#LOGIN_TIMEOUT_SECONDS}. An accepted login goes back to the connection's
 * {@link MqttConnectionHandler} with the held packets, a refused one is answered there with its reason code.
 *
 * <p>Threading: one instance per channel, owned by its {@link MqttConnectionHandler} and used on the
 * channel's event loop only (outcomes computed elsewhere are handed back to it); plain fields, no locks.
 */
final class Authenticator {
    private final BrokerConfig config;
    private final Security security;
    private final ListenerConfig listener;
    private final MqttConnectionHandler handler;
    /** A SCRAM exchange waiting for the client's AUTH; null otherwise. */
    private @Nullable PendingScram scram;
    /** Packets decoded while CONNECT is being authenticated; null otherwise. */
    private @Nullable List<Object> held;
    /** The login was by username and password (or SCRAM), not by certificate. */
    private boolean byPassword;
    /** The login being checked (or the SCRAM exchange waiting for its turn); null otherwise. */
    private @Nullable CompletableFuture<?> login;
    /** Closes the connection when the login takes too long; null otherwise. */
    private @Nullable ScheduledFuture<?> loginDeadline;
    /** Forgets this connection in the password users followed for reloads; null until logged in. */
    private @Nullable Runnable forgetUser;

    private boolean inactive;

    Authenticator(BrokerConfig config, Security security, ListenerConfig listener, MqttConnectionHandler handler) {
        this.config = config;
        this.security = security;
        this.listener = listener;
        this.handler = handler;
    }

    /** Keeps {@code msg} (decoded while the login is checked) for later; false when no login is checked. */
    boolean hold(Object msg) {
        if (held == null) {
            return false;
        }
        held.add(msg);
        return true;
    }

    /** A SCRAM exchange waits for the client's AUTH: the next packet goes to {@link #onScramStep}. */
    boolean scramPending() {
        return scram != null;
    }

    /** Starts the login of a valid CONNECT. */
    void start(ChannelHandlerContext ctx, ConnectPacket connect, ConnectValidator.Result result) {
        String certificateName =
                listener.certificateAsUsername() ? ClientCertificates.commonName(ctx.pipeline()) : null;
        InetAddress address =
                ctx.channel().remoteAddress() instanceof InetSocketAddress inet ? inet.getAddress() : null;
        Credentials credentials = new Credentials(connect.username(), connect.password(), certificateName, address);
        byPassword = certificateName == null;
        // the login may wait for its turn (its address's back-off, other addresses' logins): the idle
        // timer stops meanwhile and the login has its own, longer, limit
        held = new ArrayList<>();
        ctx.channel().config().setAutoRead(false);
        KeepAlive.suspend(ctx.pipeline());
        loginDeadline = ctx.executor()
                .schedule(
                        () -> handler.close(ctx, ReasonCode.MAXIMUM_CONNECT_TIME, "login not done in time"),
                        KeepAlive.LOGIN_TIMEOUT_SECONDS,
                        TimeUnit.SECONDS);
        if (ScramServer.METHOD.equals(connect.properties().authenticationMethod())) {
            // SCRAM waits for the same turn as a password check: back-off and logins in flight per address
            CompletableFuture<Security.ScramTurn> turn = security.scram(address);
            login = turn;
            turn.whenComplete((t, error) -> ctx.executor().execute(() -> startScram(ctx, result, address, t)));
            return;
        }
        CompletableFuture<Authentication> check = security.authenticate(credentials);
        login = check;
        check.whenComplete((auth, error) -> ctx.executor()
                .execute(() -> authenticated(
                        ctx, result, error == null ? auth : Authentication.refused(ReasonCode.UNSPECIFIED_ERROR))));
    }

    /**
     * 5.0 enhanced authentication with SCRAM-SHA-256, once the address's turn has come: answers the
     * client-first message with AUTH. {@code turn} is null when the turn was cancelled or no password
     * file is configured.
     */
    private void startScram(
            ChannelHandlerContext ctx,
            ConnectValidator.Result result,
            @Nullable InetAddress address,
            Security.@Nullable ScramTurn turn) {
        if (inactive) {
            if (turn != null) {
                turn.release().run();
            }
            return;
        }
        login = null;
        ScramServer server = turn == null ? null : turn.server();
        if (turn == null || server == null) { // a turn without a server carries its refusal
            ReasonCode why = turn == null ? null : turn.refusal();
            authenticated(
                    ctx, result, Authentication.refused(why != null ? why : ReasonCode.BAD_AUTHENTICATION_METHOD));
            return;
        }
        byte[] serverFirst = server.first(result.connect().properties().authenticationData());
        if (serverFirst == null) {
            turn.release().run();
            authenticated(ctx, result, Authentication.refused(ReasonCode.BAD_AUTHENTICATION_METHOD));
            return;
        }
        scram = new PendingScram(server, result, address, turn.release());
        List<Object> early = held;
        held = null;
        ctx.channel().config().setAutoRead(true);
        ctx.writeAndFlush(new AuthPacket(
                ReasonCode.CONTINUE_AUTHENTICATION,
                MqttProperties.builder()
                        .authenticationMethod(ScramServer.METHOD)
                        .authenticationData(serverFirst)
                        .build()));
        if (early != null) {
            for (Object m : early) {
                handler.channelRead(ctx, m);
            }
        }
    }

    /** The client's answer to the server-first message; anything but AUTH is a protocol error. */
    void onScramStep(ChannelHandlerContext ctx, MqttPacket packet) {
        PendingScram pending = scram;
        if (pending == null) {
            throw new IllegalStateException("no SCRAM exchange in progress");
        }
        scram = null;
        pending.release().run();
        if (!(packet instanceof AuthPacket auth)
                || auth.reasonCode() != ReasonCode.CONTINUE_AUTHENTICATION
                || !ScramServer.METHOD.equals(auth.properties().authenticationMethod())) {
            // [MQTT-3.1.2-30] only AUTH (or DISCONNECT) until CONNACK
            ctx.close();
            return;
        }
        byte[] serverFinal = pending.server().last(auth.properties().authenticationData());
        String user = pending.server().user();
        Authentication outcome =
                security.scramDone(new Credentials(user, null, null, pending.address()), serverFinal != null);
        String claimed = pending.connect().connect().username();
        if (outcome.isAccepted() && claimed != null && !claimed.equals(user)) {
            outcome = Authentication.refused(ReasonCode.NOT_AUTHORIZED);
        }
        ConnectValidator.Result result = outcome.isAccepted()
                ? pending.connect()
                        .withConnackProperties(pending.connect().connackProperties().toBuilder()
                                .authenticationMethod(ScramServer.METHOD)
                                .authenticationData(serverFinal)
                                .build())
                : pending.connect();
        held = new ArrayList<>();
        authenticated(ctx, result, outcome);
    }

    private record PendingScram(
            ScramServer server,
            ConnectValidator.Result connect,
            @Nullable InetAddress address,
            Runnable release) {}

    /** Continues a CONNECT once its credentials are checked; runs on the event loop. */
    private void authenticated(ChannelHandlerContext ctx, ConnectValidator.Result result, Authentication auth) {
        List<Object> pending = held;
        held = null;
        if (pending == null) {
            return; // the connection closed while the login waited
        }
        login = null;
        if (loginDeadline != null) {
            loginDeadline.cancel(false);
        }
        if (!ctx.channel().isActive()) {
            pending.forEach(ReferenceCountUtil::release);
            return;
        }
        String principal = auth.principal();
        if (!auth.isAccepted() || principal == null) { // an accepted login has a principal
            pending.forEach(ReferenceCountUtil::release);
            ReasonCode refusal = auth.refusal();
            handler.refuse(ctx, refusal != null ? refusal : ReasonCode.NOT_AUTHORIZED, "login refused");
            return;
        }
        Will will = result.connect().will();
        if (will != null && !security.canPublish(principal, result.clientId(), will.topic())) {
            pending.forEach(ReferenceCountUtil::release);
            handler.refuse(ctx, ReasonCode.NOT_AUTHORIZED, "the ACL denies the will topic");
            return;
        }
        ctx.pipeline().fireUserEventTriggered(ConnectionEvent.LOGGED_IN);
        ctx.pipeline().get(MqttDecoder.class).maxPacketSize(config.maxPacketSize());
        if (byPassword && !principal.isEmpty()) {
            forgetUser = security.loggedInWithPassword(
                    principal,
                    () -> ctx.executor()
                            .execute(() -> handler.close(
                                    ctx,
                                    ReasonCode.ADMINISTRATIVE_ACTION,
                                    "user removed or password changed in the password file")));
        }
        handler.loggedIn(ctx, result, principal, pending);
    }

    /** Gives back what a login in progress holds: its turn, its held packets, its place in the reload list. */
    void end() {
        inactive = true;
        if (login != null) {
            login.cancel(false);
            login = null;
        }
        if (scram != null) {
            scram.release().run();
            scram = null;
        }
        if (loginDeadline != null) {
            loginDeadline.cancel(false);
        }
        if (held != null) {
            held.forEach(ReferenceCountUtil::release);
            held = null;
        }
        if (forgetUser != null) {
            forgetUser.run();
            forgetUser = null;
        }
    }
}
