package io.berth.codec;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCounted;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Valid packets, mutated (bit flips, byte changes, insertions, deletions, truncation, changed lengths)
 * and fed in random chunks to a fresh decoder: nothing may escape, at most one failure may come out and
 * only last, and every packet the decoder accepts must survive encode/decode unchanged.
 *
 * <p>Most packets go straight into {@link MqttDecoder#decode} with a heap cumulation buffer; one in
 * twenty goes through an {@link EmbeddedChannel}, whose input buffers must all be released. Paranoid
 * leak tracking records every access of a tracked buffer, which costs far too much for a million
 * packets, so the fast runs use untracked buffers and a smaller run uses tracked pooled buffers.
 * Each packet comes from its own seed, derived from a fixed one; a failure prints the command line that
 * replays just that packet ({@code -Dberth.fuzz.seed=<seed> -Dberth.fuzz.iterations=1}).
 *
 * <p>The checks run once per packet or more, a million times: each tests its condition directly and
 * builds an AssertJ assertion (and its message) only when the condition does not hold.
 */
class MutationTest {
    private static final long SEED = Long.getLong("berth.fuzz.seed", 0x5EED_BE27L);
    private static final int ITERATIONS = Integer.getInteger("berth.fuzz.iterations", 1_000_000);
    private static final int CHANNEL_EVERY = 20;
    private static final int TRACKED_ITERATIONS = 2_000;
    /** Buffers without leak tracking for the fast path: paranoid tracking records every single access. */
    private static final ByteBufAllocator UNTRACKED = new UnpooledByteBufAllocator(false, true);

    private static final int[] INTERESTING = {0x00, 0x01, 0x02, 0x03, 0x7F, 0x80, 0xC0, 0xFF};

    /** A packet to mutate, with the valid CONNECT a server decoder needs before it (or nothing). */
    private record Base(boolean server, MqttVersion version, byte[] prefix, byte[] packet) {}

    private final List<Base> corpus = corpus();

    /** The valid CONNECT of each version, as a server decoder needs it before any other packet. */
    private static final Map<MqttVersion, byte[]> CONNECTS = connects();

    @Test
    void mutatedPackets_neverEscapeTheDecoder() {
        run(ITERATIONS, CHANNEL_EVERY, UNTRACKED);
    }

    @Test
    void mutatedPackets_inTrackedBuffersThroughAChannel_areAllReleased() {
        run(TRACKED_ITERATIONS, 1, PooledByteBufAllocator.DEFAULT);
    }

    private void run(int iterations, int channelEvery, ByteBufAllocator inputs) {
        int accepted = 0;
        int failed = 0;
        Map<ReasonCode, Integer> reasons = new EnumMap<>(ReasonCode.class);
        SplittableRandom seeds = new SplittableRandom(SEED);
        for (int i = 0; i < iterations; i++) {
            long seed = iterations == 1 ? SEED : seeds.nextLong();
            SplittableRandom r = new SplittableRandom(seed);
            try {
                List<Object> out = runOne(r, r.nextInt(channelEvery) == 0 ? inputs : null);
                for (Object o : out) {
                    if (o instanceof DecodeFailure f) {
                        failed++;
                        reasons.merge(f.reasonCode(), 1, Integer::sum);
                    } else {
                        accepted++;
                    }
                }
            } catch (Throwable t) {
                throw new AssertionError(
                        "mutated packet " + i + " failed; reproduce it alone with -Dberth.fuzz.seed=" + seed
                                + " -Dberth.fuzz.iterations=1",
                        t);
            }
        }
        if (iterations < 1_000) {
            return; // reproducing one case
        }
        assertThat(failed).as("failures").isGreaterThan(iterations / 4);
        assertThat(accepted).as("packets").isGreaterThan(iterations / 4);
        assertThat(reasons)
                .as("failure reasons")
                .containsKeys(ReasonCode.MALFORMED_PACKET, ReasonCode.PROTOCOL_ERROR, ReasonCode.PACKET_TOO_LARGE);
        if (iterations >= ITERATIONS) {
            System.out.printf(
                    "%d mutated packets: %d decoded, %d failures %s%n", iterations, accepted, failed, reasons);
        }
    }

    /** One mutated packet; through a channel with input buffers from {@code channelInputs} unless null. */
    private List<Object> runOne(SplittableRandom r, ByteBufAllocator channelInputs) {
        Base base = corpus.get(r.nextInt(corpus.size()));
        byte[] mutated = mutate(base.packet(), r);
        byte[] all = Wire.concat(base.prefix(), mutated, r.nextInt(4) == 0 ? base.packet() : new byte[0]);
        List<byte[]> chunks = split(all, r);
        MqttDecoder decoder = base.server()
                ? MqttDecoder.forServer(r.nextInt(8) == 0 ? 2 + r.nextInt(200) : Wire.MAX)
                : MqttDecoder.forClient(base.version(), Wire.MAX);
        List<Object> out = channelInputs != null ? viaChannel(decoder, chunks, channelInputs) : direct(decoder, chunks);
        check(out, base, decoder);
        return out;
    }

    private static void check(List<Object> out, Base base, MqttDecoder decoder) {
        for (int i = 0; i < out.size(); i++) {
            Object o = out.get(i);
            if (o instanceof DecodeFailure f) {
                if (i != out.size() - 1) {
                    assertThat(i).as("a failure is the last output").isEqualTo(out.size() - 1);
                }
                if (f.reasonCode() == ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR) {
                    assertThat(f.reasonCode())
                            .as(f.description())
                            .isNotEqualTo(ReasonCode.IMPLEMENTATION_SPECIFIC_ERROR);
                }
            } else if (o instanceof MqttPacket p) {
                MqttVersion v = p instanceof ConnectPacket c ? c.version() : decoder.version();
                assertStable(p, v, base.server());
            } else {
                assertThat(o).isInstanceOfAny(MqttPacket.class, DecodeFailure.class);
            }
        }
        if (base.server()
                && base.prefix().length > 0
                && decoder.maxPacketSize() == Wire.MAX
                && !(out.get(0) instanceof ConnectPacket)) {
            assertThat(out.get(0)).isInstanceOf(ConnectPacket.class);
        }
    }

    /** What the decoder accepted, the encoder writes, and decoding that gives the same bytes again. */
    private static void assertStable(MqttPacket p, MqttVersion v, boolean server) {
        byte[] once = encode(p, v);
        MqttDecoder decoder = server ? MqttDecoder.forServer(Wire.MAX) : MqttDecoder.forClient(v, Wire.MAX);
        byte[] prefix = server && p.type() != PacketType.CONNECT ? CONNECTS.get(v) : new byte[0];
        List<Object> again = direct(decoder, List.of(Wire.concat(prefix, once)));
        Object last = again.get(again.size() - 1);
        if (!(last instanceof MqttPacket decoded)) {
            assertThat(last).as("re-decoded %s", p).isInstanceOf(MqttPacket.class);
            return;
        }
        byte[] twice = encode(decoded, v);
        if (!Arrays.equals(twice, once)) {
            assertThat(twice).isEqualTo(once);
        }
    }

    private static byte[] encode(MqttPacket p, MqttVersion v) {
        ByteBuf buf = MqttEncoder.encode(UNTRACKED, p, v);
        try {
            return ByteBufUtil.getBytes(buf);
        } finally {
            buf.release();
        }
    }

    /** Feeds chunks like {@code ByteToMessageDecoder} does, without a channel. */
    private static List<Object> direct(MqttDecoder decoder, List<byte[]> chunks) {
        List<Object> out = new ArrayList<>();
        ByteBuf cumulation = UNTRACKED.heapBuffer();
        try {
            for (byte[] chunk : chunks) {
                cumulation.writeBytes(chunk);
                callDecode(decoder, cumulation, out);
                cumulation.discardReadBytes();
            }
            callDecode(decoder, cumulation, out); // the channel closes
        } finally {
            cumulation.release();
        }
        return out;
    }

    private static void callDecode(MqttDecoder decoder, ByteBuf in, List<Object> out) {
        while (in.isReadable()) {
            int before = out.size();
            int readable = in.readableBytes();
            decoder.decode(null, in, out);
            if (out.size() == before && readable == in.readableBytes()) {
                return;
            }
            if (out.size() != before && readable == in.readableBytes()) {
                throw new AssertionError("decoded a message without reading: " + out.get(out.size() - 1));
            }
        }
    }

    private static List<Object> viaChannel(MqttDecoder decoder, List<byte[]> chunks, ByteBufAllocator alloc) {
        EmbeddedChannel channel = new EmbeddedChannel(decoder);
        List<ByteBuf> inputs = new ArrayList<>();
        List<Object> out = new ArrayList<>();
        for (byte[] chunk : chunks) {
            ByteBuf buf = alloc.buffer(chunk.length).writeBytes(chunk);
            inputs.add(buf);
            channel.writeInbound(buf);
            drain(channel, out);
        }
        channel.finish();
        drain(channel, out);
        for (ByteBuf input : inputs) {
            if (input.refCnt() != 0) {
                assertThat(input.refCnt()).as("input buffer released").isZero();
            }
        }
        for (Object o : out) {
            if (o instanceof ReferenceCounted) {
                assertThat(out).noneMatch(x -> x instanceof ReferenceCounted);
            }
        }
        return out;
    }

    private static void drain(EmbeddedChannel channel, List<Object> out) {
        Object o;
        while ((o = channel.readInbound()) != null) {
            out.add(o);
        }
    }

    private static byte[] mutate(byte[] packet, SplittableRandom r) {
        byte[] b = packet;
        int mutations = 1 + (r.nextInt(4) == 0 ? r.nextInt(3) : 0);
        for (int m = 0; m < mutations; m++) {
            b = mutateOnce(b, r);
        }
        return b;
    }

    private static byte[] mutateOnce(byte[] b, SplittableRandom r) {
        if (b.length == 0) {
            return new byte[] {(byte) r.nextInt(256)};
        }
        int at = r.nextInt(b.length);
        byte[] c = b.clone();
        switch (r.nextInt(10)) {
            case 0 -> c[at] ^= (byte) (1 << r.nextInt(8));
            case 1 -> c[at] = (byte) r.nextInt(256);
            case 2 -> c[at] = (byte) INTERESTING[r.nextInt(INTERESTING.length)];
            case 3 -> c = splice(b, at, 0, new byte[] {(byte) r.nextInt(256)});
            case 4 -> c = splice(b, at, 1, new byte[0]);
            case 5 -> c = Arrays.copyOf(b, at);
            case 6 -> c = changeRemainingLength(b, r);
            case 7 -> {
                int value = r.nextBoolean() ? r.nextInt(8) : r.nextInt(65_536);
                c[at] = (byte) (value >> 8);
                if (at + 1 < c.length) {
                    c[at + 1] = (byte) value;
                }
            }
            case 8 -> {
                int length = 1 + r.nextInt(Math.min(16, b.length - at));
                c = splice(b, at, 0, Arrays.copyOfRange(b, at, at + length));
            }
            default -> {
                byte[] garbage = new byte[1 + r.nextInt(8)];
                for (int i = 0; i < garbage.length; i++) {
                    garbage[i] = (byte) r.nextInt(256);
                }
                c = Wire.concat(b, garbage);
            }
        }
        return c;
    }

    /** Rewrites the remaining length: off by a little, non-minimal, five bytes long, or random. */
    private static byte[] changeRemainingLength(byte[] b, SplittableRandom r) {
        int value = 0;
        int i = 1;
        for (int shift = 0; ; shift += 7) {
            if (i >= b.length || i > 4) {
                return b;
            }
            int x = b[i++] & 0xFF;
            value |= (x & 0x7F) << shift;
            if ((x & 0x80) == 0) {
                break;
            }
        }
        byte[] length = switch (r.nextInt(4)) {
            case 0 -> varInt(Math.max(0, value + r.nextInt(7) - 3), 0);
            case 1 -> varInt(value, 4);
            case 2 -> new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x01};
            default -> varInt(r.nextInt(1 << 21), 0);
        };
        return splice(b, 1, i - 1, length);
    }

    /** A variable byte integer, padded with continuation bytes to {@code minBytes}. */
    private static byte[] varInt(int value, int minBytes) {
        byte[] out = new byte[5];
        int n = 0;
        int v = value;
        do {
            int digit = v & 0x7F;
            v >>>= 7;
            out[n++] = (byte) (v > 0 || n < minBytes ? digit | 0x80 : digit);
        } while (v > 0 || n < minBytes);
        return Arrays.copyOf(out, n);
    }

    private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        return Wire.concat(Arrays.copyOf(b, at), insert, Arrays.copyOfRange(b, at + remove, b.length));
    }

    private static List<byte[]> split(byte[] all, SplittableRandom r) {
        List<byte[]> chunks = new ArrayList<>();
        int mode = r.nextInt(16);
        if (mode < 8 || all.length < 2) {
            chunks.add(all);
        } else if (mode == 15) {
            for (byte x : all) {
                chunks.add(new byte[] {x});
            }
        } else {
            int start = 0;
            while (start < all.length) {
                int end = Math.min(all.length, start + 1 + r.nextInt(Math.max(1, all.length / 3)));
                chunks.add(Arrays.copyOfRange(all, start, end));
                start = end;
            }
        }
        return chunks;
    }

    private static Map<MqttVersion, byte[]> connects() {
        Map<MqttVersion, byte[]> connects = new EnumMap<>(MqttVersion.class);
        for (MqttVersion v : MqttVersion.values()) {
            connects.put(v, encode(Samples.connect(v), v));
        }
        return connects;
    }

    private static List<Base> corpus() {
        List<Base> bases = new ArrayList<>();
        for (MqttVersion v : MqttVersion.values()) {
            byte[] connect = Wire.encode(Samples.connect(v), v);
            for (MqttPacket p : Samples.fromClient(v)) {
                boolean isConnect = p.type() == PacketType.CONNECT;
                bases.add(new Base(true, v, isConnect ? new byte[0] : connect, Wire.encode(p, v)));
            }
            for (MqttPacket p : Samples.fromServer(v)) {
                bases.add(new Base(false, v, new byte[0], Wire.encode(p, v)));
            }
        }
        return bases;
    }
}
