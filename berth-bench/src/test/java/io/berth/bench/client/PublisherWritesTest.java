package io.berth.bench.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.codec.MqttVersion;
import io.berth.codec.QoS;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How a windowed publisher writes to its socket when acknowledgements come in bursts, as a broker that
 * acknowledges per group commit sends them: against a stub broker on 127.0.0.1 that answers each full
 * window with one write of all its PUBACKs.
 */
class PublisherWritesTest {
    private static final int MESSAGES = 256;
    private static final int WINDOW = 16;

    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());

    @AfterEach
    void stop() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void each_writesOnePublishPerAcknowledgement() throws Exception {
        long flushes = publishAll(false);
        // the first window in one write, then one write per acknowledgement that frees a slot
        assertThat(flushes).isEqualTo(1 + MESSAGES - WINDOW);
    }

    @Test
    void batched_writesWhatOneReadOfAcknowledgementsLetsGo_once() throws Exception {
        long flushes = publishAll(true);
        // about one write per burst of acknowledgements (a burst split over two reads makes one more)
        assertThat(flushes).isBetween(1L + (MESSAGES - WINDOW) / WINDOW, 4L * MESSAGES / WINDOW);
    }

    /** Publishes every message through a stub broker that acknowledges whole windows; the client's flushes. */
    private long publishAll(boolean batched) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> broker = CompletableFuture.runAsync(() -> acknowledgeInWindows(server));
            Publisher publisher =
                    new Publisher(0, QoS.AT_LEAST_ONCE, WINDOW, 64, MESSAGES, 0, seq -> "t", new Histogram(3), batched);
            LoadClient client = LoadClient.connect(
                            group, "127.0.0.1", server.getLocalPort(), MqttVersion.V3_1_1, "p", true, publisher)
                    .get(10, TimeUnit.SECONDS);
            publisher.start(client).get(10, TimeUnit.SECONDS);
            broker.get(10, TimeUnit.SECONDS);
            assertThat(publisher.acked()).isEqualTo(MESSAGES);
            return client.eventLoop().submit(client::flushes).get(10, TimeUnit.SECONDS);
        }
    }

    /** Accepts one client, CONNACKs it, then answers every {@link #WINDOW} publishes with one write of their PUBACKs. */
    private static void acknowledgeInWindows(ServerSocket server) {
        try (Socket s = server.accept()) {
            DataInputStream in = new DataInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            readPacket(in); // CONNECT
            out.write(new byte[] {0x20, 0x02, 0x00, 0x00});
            out.flush();
            byte[] acks = new byte[4 * WINDOW];
            for (int window = 0; window < MESSAGES / WINDOW; window++) {
                for (int i = 0; i < WINDOW; i++) {
                    byte[] publish = readPacket(in);
                    int topicLength = ((publish[0] & 0xFF) << 8) | (publish[1] & 0xFF);
                    acks[4 * i] = 0x40;
                    acks[4 * i + 1] = 0x02;
                    acks[4 * i + 2] = publish[2 + topicLength];
                    acks[4 * i + 3] = publish[3 + topicLength];
                }
                out.write(acks);
                out.flush();
            }
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The body of the next packet (fixed header and remaining length read and dropped). */
    private static byte[] readPacket(DataInputStream in) throws IOException {
        in.readUnsignedByte();
        int length = 0;
        int shift = 0;
        int b;
        do {
            b = in.readUnsignedByte();
            length |= (b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) != 0);
        byte[] body = new byte[length];
        in.readFully(body);
        return body;
    }
}
