package io.berth.broker;

import io.berth.codec.ConnackPacket;
import io.berth.codec.ConnectPacket;
import io.berth.codec.DecodeFailure;
import io.berth.codec.MqttDecoder;
import io.berth.codec.MqttEncoder;
import io.berth.codec.MqttPacket;
import io.berth.codec.MqttProperties;
import io.berth.codec.MqttVersion;
import io.berth.codec.PublishPacket;
import io.berth.codec.QoS;
import io.berth.codec.SubackPacket;
import io.berth.codec.SubscribePacket;
import io.berth.codec.TopicSubscription;
import io.berth.codec.Will;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A blocking MQTT test client over a plain socket: sends literal bytes or encoded packets and reads
 * what the broker sends, decoded by Berth's own decoder on a reader thread.
 */
public final class RawClient implements AutoCloseable {
    private static final Object CLOSED = new Object();

    private final Socket socket;
    private final OutputStream out;
    private final LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();
    private final MqttVersion version;
    private volatile boolean closed;

    private RawClient(int port, MqttVersion version) throws IOException {
        this(port, version, null);
    }

    private RawClient(int port, MqttVersion version, String localAddress) throws IOException {
        this.version = version;
        socket = new Socket();
        socket.setTcpNoDelay(true);
        if (localAddress != null) {
            socket.bind(new InetSocketAddress(localAddress, 0));
        }
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
        out = socket.getOutputStream();
        Thread reader = new Thread(this::read, "raw-client-reader");
        reader.setDaemon(true);
        reader.start();
    }

    public static RawClient open(int port, MqttVersion version) throws IOException {
        return new RawClient(port, version);
    }

    /** Opens a connection from {@code localAddress} (any 127.x.y.z on Linux), for per-address limits. */
    static RawClient openFrom(String localAddress, int port, MqttVersion version) throws IOException {
        return new RawClient(port, version, localAddress);
    }

    /** Opens a connection and sends CONNECT; returns the client after reading the CONNACK. */
    public static RawClient connected(
            int port, MqttVersion version, String clientId, boolean cleanStart, MqttProperties props)
            throws IOException {
        RawClient c = open(port, version);
        ConnackPacket ack = c.connect(clientId, cleanStart, props, null);
        if (ack.reasonCode().isError()) {
            throw new IllegalStateException("CONNACK " + ack);
        }
        return c;
    }

    public ConnackPacket connect(String clientId, boolean cleanStart, MqttProperties props, Will will) {
        return connect(clientId, cleanStart, props, will, null, null);
    }

    /** Sends CONNECT with a user name (no password) and reads the CONNACK. */
    ConnackPacket connectAs(String clientId, boolean cleanStart, MqttProperties props, Will will, String username) {
        return connect(clientId, cleanStart, props, will, username, null);
    }

    /** Sends CONNECT with a username and password (either may be null) and reads the CONNACK. */
    ConnackPacket connect(
            String clientId, boolean cleanStart, MqttProperties props, Will will, String username, String password) {
        byte[] pw = password == null ? null : password.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        send(new ConnectPacket(version, clientId, cleanStart, 60, username, pw, will, props));
        return expect(ConnackPacket.class);
    }

    /** Opens a connection, logs in as {@code username} and fails unless the CONNACK is a success. */
    static RawClient loggedIn(
            int port,
            MqttVersion version,
            String clientId,
            boolean cleanStart,
            MqttProperties props,
            String username,
            String password)
            throws IOException {
        RawClient c = open(port, version);
        ConnackPacket ack = c.connect(clientId, cleanStart, props, null, username, password);
        if (ack.reasonCode().isError()) {
            throw new IllegalStateException("CONNACK " + ack);
        }
        return c;
    }

    private void read() {
        EmbeddedChannel decoder = new EmbeddedChannel(MqttDecoder.forClient(version, 1 << 28));
        byte[] buf = new byte[65536];
        // not closed on end of stream: closing a socket's input stream closes the socket, and a test may
        // go on writing after the broker shut its sending side
        try {
            InputStream in = socket.getInputStream();
            int n;
            while ((n = in.read(buf)) >= 0) {
                decoder.writeInbound(Unpooled.copiedBuffer(buf, 0, n));
                Object m;
                while ((m = decoder.readInbound()) != null) {
                    received.add(m);
                }
            }
        } catch (IOException e) {
            // closed
        } finally {
            decoder.finishAndReleaseAll();
            closed = true;
            received.add(CLOSED);
        }
    }

    public void send(MqttPacket packet) {
        ByteBuf buf = MqttEncoder.encode(UnpooledByteBufAllocator.DEFAULT, packet, version);
        try {
            sendBytes(ByteBufUtil.getBytes(buf));
        } finally {
            buf.release();
        }
    }

    void sendBytes(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new IllegalStateException("write failed", e);
        }
    }

    /** Sends literal bytes given as hex pairs, spaces ignored: {@code "10 0c 00 04 ..."}. */
    void sendHex(String hex) {
        sendBytes(ByteBufUtil.decodeHexDump(hex.replaceAll("\\s", "")));
    }

    /** The next packet, within 5 seconds. */
    MqttPacket receive() {
        return receive(Duration.ofSeconds(5));
    }

    public MqttPacket receive(Duration timeout) {
        Object m;
        try {
            m = received.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (m == null) {
            throw new AssertionError("nothing received within " + timeout);
        }
        if (m == CLOSED) {
            received.add(CLOSED);
            throw new AssertionError("connection closed by the broker");
        }
        if (m instanceof DecodeFailure f) {
            throw new AssertionError("broker sent malformed bytes: " + f);
        }
        return (MqttPacket) m;
    }

    /** The next packet, which must be of {@code type}. */
    public <T extends MqttPacket> T expect(Class<T> type) {
        MqttPacket p = receive();
        if (!type.isInstance(p)) {
            throw new AssertionError("expected " + type.getSimpleName() + " but received " + p);
        }
        return type.cast(p);
    }

    /** Nothing arrives for {@code quiet} (the connection may stay open). */
    public void expectNothing(Duration quiet) {
        try {
            Object m = received.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
            if (m != null && m != CLOSED) {
                throw new AssertionError("expected nothing but received " + m);
            }
            if (m == CLOSED) {
                received.add(CLOSED);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True when the broker closes the connection within {@code timeout}, skipping packets before it. */
    public boolean awaitClosed(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        try {
            while (System.nanoTime() < deadline) {
                Object m =
                        received.poll(Math.max(1, (deadline - System.nanoTime()) / 1_000_000), TimeUnit.MILLISECONDS);
                if (m == CLOSED) {
                    received.add(CLOSED);
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return closed;
    }

    public SubackPacket subscribe(int packetId, String filter, QoS qos) {
        send(new SubscribePacket(packetId, List.of(TopicSubscription.of(filter, qos)), MqttProperties.EMPTY));
        return expect(SubackPacket.class);
    }

    public void publish(String topic, QoS qos, int packetId, String payload) {
        send(new PublishPacket(topic, qos, false, false, packetId, payload.getBytes(), MqttProperties.EMPTY));
    }

    /** Drops the TCP connection without DISCONNECT. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
