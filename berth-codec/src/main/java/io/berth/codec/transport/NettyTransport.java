package io.berth.codec.transport;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Netty transport that Berth's event loops and sockets use: native epoll where its library loads
 * (Linux on x86_64), NIO elsewhere, or whichever the system property {@value #PROPERTY} names ({@code nio}
 * or {@code epoll}). Native epoll makes fewer system calls and copies per packet than the JDK's selector.
 * Every loop and every channel of one process must come from the same transport.
 */
public enum NettyTransport {
    NIO,
    EPOLL;

    /** The system property that chooses the transport: {@code nio} or {@code epoll}. */
    public static final String PROPERTY = "berth.transport";

    private static final Logger LOG = LoggerFactory.getLogger(NettyTransport.class);
    private static final NettyTransport CHOSEN = choose();

    /** The transport of this process. */
    public static NettyTransport get() {
        return CHOSEN;
    }

    private static NettyTransport choose() {
        NettyTransport t = choose(System.getProperty(PROPERTY, ""), Epoll.isAvailable());
        if (t == NIO && Epoll.unavailabilityCause() != null) {
            LOG.debug(
                    "native epoll not available ({}): using NIO",
                    Epoll.unavailabilityCause().toString());
        }
        return t;
    }

    /** The transport {@code asked} for ({@code nio}, {@code epoll} or empty: the best available). */
    static NettyTransport choose(String asked, boolean epollAvailable) {
        String a = asked.trim().toLowerCase(Locale.ROOT);
        switch (a) {
            case "nio":
                return NIO;
            case "epoll":
                if (!epollAvailable) {
                    throw new IllegalStateException(PROPERTY + "=epoll, but native epoll is not available here"
                            + " (Linux on x86_64 only, and its library must load from java.io.tmpdir)");
                }
                return EPOLL;
            case "":
                return epollAvailable ? EPOLL : NIO;
            default:
                throw new IllegalArgumentException(PROPERTY + " must be nio or epoll, not '" + asked + "'");
        }
    }

    public IoHandlerFactory ioHandlerFactory() {
        return this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    public Class<? extends ServerChannel> serverChannel() {
        return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public Class<? extends SocketChannel> socketChannel() {
        return this == EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }

    /** For the startup line: {@code epoll} or {@code nio}. */
    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
