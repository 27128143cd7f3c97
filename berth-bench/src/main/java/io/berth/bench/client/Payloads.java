package io.berth.bench.client;

/**
 * The benchmark payload: stream id (4 bytes), sequence number (8 bytes) and send time in
 * {@link System#nanoTime()} of the load generator (8 bytes), big-endian, then zeros up to the
 * configured size. Every scenario checks deliveries with the first two and times them with the third.
 */
public final class Payloads {
    /** Bytes of the header; smaller payloads are raised to this size. */
    public static final int HEADER = 20;

    private Payloads() {}

    public static byte[] encode(int stream, long seq, long sentNanos, int size) {
        byte[] b = new byte[Math.max(size, HEADER)];
        putInt(b, 0, stream);
        putLong(b, 4, seq);
        putLong(b, 12, sentNanos);
        return b;
    }

    public static int stream(byte[] b) {
        return (int) get(b, 0, 4);
    }

    public static long seq(byte[] b) {
        return get(b, 4, 8);
    }

    public static long sentNanos(byte[] b) {
        return get(b, 12, 8);
    }

    private static void putInt(byte[] b, int at, int v) {
        for (int i = 3; i >= 0; i--) {
            b[at + i] = (byte) v;
            v >>>= 8;
        }
    }

    private static void putLong(byte[] b, int at, long v) {
        for (int i = 7; i >= 0; i--) {
            b[at + i] = (byte) v;
            v >>>= 8;
        }
    }

    private static long get(byte[] b, int at, int n) {
        long v = 0;
        for (int i = 0; i < n; i++) {
            v = (v << 8) | (b[at + i] & 0xFF);
        }
        return v;
    }
}
