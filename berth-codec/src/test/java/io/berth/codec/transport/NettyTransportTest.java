package io.berth.codec.transport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.socket.SocketChannel;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class NettyTransportTest {
    @Test
    void choose_takesEpollWhereItLoads_andNioElsewhere() {
        assertThat(NettyTransport.choose("", true)).isEqualTo(NettyTransport.EPOLL);
        assertThat(NettyTransport.choose("", false)).isEqualTo(NettyTransport.NIO);
    }

    @Test
    void choose_takesWhatThePropertyNames() {
        assertThat(NettyTransport.choose("nio", true)).isEqualTo(NettyTransport.NIO);
        assertThat(NettyTransport.choose(" EPOLL ", true)).isEqualTo(NettyTransport.EPOLL);
    }

    @Test
    void choose_failsWithAMessage_forEpollWhereItDoesNotLoad_andForAnUnknownName() {
        assertThatThrownBy(() -> NettyTransport.choose("epoll", false))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("berth.transport=epoll")
                .hasMessageContaining("not available");
        assertThatThrownBy(() -> NettyTransport.choose("kqueue", true))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must be nio or epoll, not 'kqueue'");
    }

    @Test
    void onLinuxX86_64_epollLoads_andIsChosen() {
        assumeTrue(System.getProperty("os.name").equals("Linux")
                && System.getProperty("os.arch").matches("amd64|x86_64"));
        assertThat(Epoll.isAvailable()).as("%s", Epoll.unavailabilityCause()).isTrue();
        assertThat(NettyTransport.get()).isEqualTo(NettyTransport.EPOLL);
        assertThat(NettyTransport.get()).hasToString("epoll");
    }

    /** Both transports carry bytes both ways over a real socket on 127.0.0.1 (an echo). */
    @ParameterizedTest
    @EnumSource(NettyTransport.class)
    void eachTransport_echoesBytesOverLoopback(NettyTransport t) throws Exception {
        MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, t.ioHandlerFactory());
        try {
            Channel server = new ServerBootstrap()
                    .group(group)
                    .channel(t.serverChannel())
                    .childHandler(new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext ctx, Object msg) {
                            ctx.writeAndFlush(msg);
                        }
                    })
                    .bind("127.0.0.1", 0)
                    .sync()
                    .channel();
            CompletableFuture<String> echoed = new CompletableFuture<>();
            Channel client = new Bootstrap()
                    .group(group)
                    .channel(t.socketChannel())
                    .handler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
                                @Override
                                public void channelRead(ChannelHandlerContext ctx, Object msg) {
                                    ByteBuf b = (ByteBuf) msg;
                                    echoed.complete(b.toString(StandardCharsets.US_ASCII));
                                    b.release();
                                }
                            });
                        }
                    })
                    .connect((InetSocketAddress) server.localAddress())
                    .sync()
                    .channel();
            client.writeAndFlush(Unpooled.copiedBuffer("ping", StandardCharsets.US_ASCII));
            assertThat(echoed.get(10, TimeUnit.SECONDS)).isEqualTo("ping");
            client.close().sync();
            server.close().sync();
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }
}
