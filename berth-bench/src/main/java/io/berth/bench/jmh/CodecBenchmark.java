package io.berth.bench.jmh;

import io.berth.codec.MqttDecoder;
import io.berth.codec.MqttEncoder;
import io.berth.codec.MqttProperties;
import io.berth.codec.MqttVersion;
import io.berth.codec.PublishPacket;
import io.berth.codec.QoS;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Encoding and decoding of QoS 1 PUBLISH packets, the broker's hot path. The decoder is driven through an
 * {@link EmbeddedChannel} (as on a connection), {@value #BATCH} packets per read; times are per packet.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodecBenchmark {
    static final int BATCH = 64;

    @Param({"V3_1_1", "V5"})
    public String version;

    @Param({"64", "1024"})
    public int payload;

    private MqttVersion v;
    private PublishPacket publish;
    private ByteBuf batch;
    private EmbeddedChannel client;

    @Setup
    public void setUp() {
        v = MqttVersion.valueOf(version);
        publish = new PublishPacket(
                "site/42/sensor/7/temp", QoS.AT_LEAST_ONCE, false, false, 1, new byte[payload], MqttProperties.EMPTY);
        batch = PooledByteBufAllocator.DEFAULT.directBuffer();
        for (int i = 0; i < BATCH; i++) {
            ByteBuf one = MqttEncoder.encode(PooledByteBufAllocator.DEFAULT, publish, v);
            batch.writeBytes(one);
            one.release();
        }
        client = new EmbeddedChannel(MqttDecoder.forClient(v, 1 << 20));
    }

    @TearDown
    public void tearDown() {
        batch.release();
        client.finishAndReleaseAll();
    }

    @Benchmark
    public void encode(Blackhole bh) {
        ByteBuf buf = MqttEncoder.encode(PooledByteBufAllocator.DEFAULT, publish, v);
        bh.consume(buf.readableBytes());
        buf.release();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void decode(Blackhole bh) {
        client.writeInbound(batch.retainedDuplicate());
        Object packet;
        while ((packet = client.readInbound()) != null) {
            bh.consume(packet);
        }
    }
}
