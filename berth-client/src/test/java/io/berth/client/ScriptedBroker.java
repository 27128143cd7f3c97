package io.berth.client;

import io.berth.codec.DecodeFailure;
import io.berth.codec.MqttDecoder;
import io.berth.codec.MqttEncoder;
import io.berth.codec.MqttPacket;
import io.berth.codec.MqttVersion;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;

/**
 * Plays the broker's part on a raw socket, packet by packet, for tests of what the client puts on the
 * wire: what the client sends is decoded by Berth's server-side decoder, what the test sends is encoded
 * by its encoder. One connection at a time ({@link #accept()} for the next one).
 */
final class ScriptedBroker implements AutoCloseable {
    private final ServerSocket server;
    private final MqttVersion version;
    private Socket socket;
    private EmbeddedChannel decoder;

    ScriptedBroker(MqttVersion version) throws IOException {
        this.version = version;
        this.server = new ServerSocket(0, 5, InetAddress.getLoopbackAddress());
        server.setSoTimeout(10_000);
    }

    int port() {
        return server.getLocalPort();
    }

    /** Waits for the client's next connection. */
    void accept() throws IOException {
        if (socket != null) {
            socket.close();
        }
        socket = server.accept();
        socket.setSoTimeout(10_000);
        decoder = new EmbeddedChannel(MqttDecoder.forServer(268_435_460));
    }

    /** The client's next packet (waits up to 10 s). */
    MqttPacket read() throws IOException {
        InputStream in = socket.getInputStream();
        byte[] buf = new byte[8192];
        while (true) {
            Object decoded = decoder.readInbound();
            if (decoded instanceof DecodeFailure f) {
                throw new IOException("client sent a bad packet: " + f.description());
            }
            if (decoded != null) {
                return (MqttPacket) decoded;
            }
            int n = in.read(buf);
            if (n < 0) {
                throw new IOException("client closed the connection");
            }
            decoder.writeInbound(Unpooled.copiedBuffer(buf, 0, n));
        }
    }

    /** The client's next packet of {@code type}, skipping others (PINGREQ for example). */
    <T extends MqttPacket> T expect(Class<T> type) throws IOException {
        while (true) {
            MqttPacket p = read();
            if (type.isInstance(p)) {
                return type.cast(p);
            }
        }
    }

    /**
     * True when the client sends nothing for {@code millis} (and keeps the connection open): the
     * "does not happen" check. A byte that does come is consumed; the test fails then anyway.
     */
    boolean silentFor(int millis) throws IOException {
        if (decoder.inboundMessages().size() > 0) {
            return false;
        }
        socket.setSoTimeout(millis);
        try {
            socket.getInputStream().read(); // a byte, or the end of the stream: not silent
            return false;
        } catch (SocketTimeoutException e) {
            return true;
        } finally {
            socket.setSoTimeout(10_000);
        }
    }

    void send(MqttPacket... packets) throws IOException {
        for (MqttPacket p : packets) {
            ByteBuf b = MqttEncoder.encode(ByteBufAllocator.DEFAULT, p, version);
            try {
                byte[] bytes = new byte[b.readableBytes()];
                b.readBytes(bytes);
                socket.getOutputStream().write(bytes);
            } finally {
                b.release();
            }
        }
        socket.getOutputStream().flush();
    }

    /** Closes the current connection. */
    void drop() throws IOException {
        socket.close();
    }

    @Override
    public void close() throws IOException {
        if (socket != null) {
            socket.close();
        }
        if (decoder != null) {
            decoder.finishAndReleaseAll();
        }
        server.close();
    }
}
