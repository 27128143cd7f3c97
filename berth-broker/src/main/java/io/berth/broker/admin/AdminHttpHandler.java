package io.berth.broker.admin;

import io.berth.broker.metrics.BrokerMetrics;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers each whole request of the admin listener: refuses what {@link RequestGuard} refuses, serves the
 * console's {@link StaticFiles} without a token, and everything else (data) only with the bearer token.
 * The answer is computed on the request pool (it may wait for the shards) while the connection reads
 * nothing more, so requests on one connection are answered in order.
 *
 * <p>Threading: shared by every connection; immutable. {@link #channelRead0} runs on the admin event
 * loop, the answer on the request pool, the write back on the event loop.
 */
@ChannelHandler.Sharable
final class AdminHttpHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(AdminHttpHandler.class);

    private final RequestGuard guard;
    private final byte[] token;
    private final StaticFiles files = new StaticFiles();
    private final SessionResource sessions;
    private final ConsoleResource console;
    private final ClusterResource cluster;
    private final BrokerMetrics metrics;
    private final Executor pool;

    AdminHttpHandler(
            RequestGuard guard,
            String token,
            SessionResource sessions,
            ConsoleResource console,
            ClusterResource cluster,
            BrokerMetrics metrics,
            Executor pool) {
        this.guard = guard;
        this.token = token.getBytes(StandardCharsets.UTF_8);
        this.sessions = sessions;
        this.console = console;
        this.cluster = cluster;
        this.metrics = metrics;
        this.pool = pool;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        RequestDeadlineHandler deadline = ctx.pipeline().get(RequestDeadlineHandler.class);
        if (deadline != null) {
            deadline.requestRead();
        }
        if (!request.decoderResult().isSuccess()) {
            Throwable cause = request.decoderResult().cause();
            int status = cause instanceof TooLongHttpHeaderException
                    ? 431
                    : cause instanceof TooLongFrameException ? 414 : 400;
            write(ctx, Answer.error(new AdminError(status, "malformed request: " + cause.getMessage())), false, false);
            return;
        }
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        boolean head = request.method().equals(HttpMethod.HEAD);
        try {
            guard.check(request);
        } catch (AdminError e) {
            write(ctx, Answer.error(e), false, head);
            return;
        }
        String method = request.method().name();
        String uri = request.uri();
        String authorization = request.headers().get(HttpHeaderNames.AUTHORIZATION);
        byte[] body = ByteBufUtil.getBytes(request.content());
        ctx.channel().config().setAutoRead(false);
        try {
            pool.execute(() -> {
                Answer a = answer(method, uri, authorization, body);
                ctx.channel().eventLoop().execute(() -> {
                    write(ctx, a, keepAlive, head);
                    ctx.channel().config().setAutoRead(true);
                });
            });
        } catch (RejectedExecutionException e) {
            ctx.channel().config().setAutoRead(true);
            write(ctx, Answer.error(new AdminError(503, "the admin API is busy; try again")), false, head);
        }
    }

    /** The answer to one request. Runs on the request pool. */
    Answer answer(String method, String uri, String authorization, byte[] body) {
        try {
            int q = uri.indexOf('?');
            String rawPath = q < 0 ? uri : uri.substring(0, q);
            String rawQuery = q < 0 ? null : uri.substring(q + 1);
            if (!rawPath.startsWith("/")) {
                throw AdminError.badRequest("the request target must be a path: " + rawPath);
            }
            if (method.equals("GET") || method.equals("HEAD")) {
                Optional<StaticFiles.File> file = files.find(rawPath);
                if (file.isPresent()) {
                    return new Answer(200, file.get().contentType(), file.get().bytes(), java.util.Map.of(), true);
                }
            }
            authorize(authorization);
            if (rawPath.equals("/metrics")) {
                requireMethod(method, "GET");
                return new Answer(
                        200,
                        "text/plain; version=0.0.4; charset=utf-8",
                        metrics.scrape().getBytes(StandardCharsets.UTF_8),
                        java.util.Map.of(),
                        false);
            }
            if (rawPath.equals("/cluster")) {
                return Answer.json(200, cluster.handle(method, rawPath));
            }
            if (rawPath.equals("/overview") || rawPath.equals("/events")) {
                return Answer.json(200, console.handle(method, rawPath, rawQuery));
            }
            return Answer.json(200, sessions.handle(method, rawPath, rawQuery, () -> body));
        } catch (AdminError e) {
            return Answer.error(e);
        } catch (RuntimeException e) {
            LOG.warn("admin request {} {} failed", method, uri.length() > 200 ? uri.substring(0, 200) : uri, e);
            return Answer.error(new AdminError(500, String.valueOf(e.getMessage())));
        }
    }

    private void authorize(String header) {
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new AdminError(401, "an Authorization: Bearer <admin-token> header is required");
        }
        byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
        if (!MessageDigest.isEqual(given, token)) {
            throw new AdminError(401, "the bearer token is not the admin-token");
        }
    }

    static void requireMethod(String method, String allowed) {
        if (!method.equals(allowed)) {
            throw AdminError.methodNotAllowed(method, allowed);
        }
    }

    /** Writes {@code a}; closes the connection after it unless {@code keepAlive}. Event loop only. */
    static void write(ChannelHandlerContext ctx, Answer a, boolean keepAlive, boolean head) {
        FullHttpResponse r = a.toResponse(head);
        if (!keepAlive) {
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
        RequestDeadlineHandler deadline = ctx.pipeline().get(RequestDeadlineHandler.class);
        ctx.writeAndFlush(r).addListener((ChannelFutureListener) f -> {
            if (!keepAlive || !f.isSuccess()) {
                f.channel().close();
            } else if (deadline != null) {
                deadline.answered();
            }
        });
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("admin connection {} failed", ctx.channel().remoteAddress(), cause);
        ctx.close();
    }
}
