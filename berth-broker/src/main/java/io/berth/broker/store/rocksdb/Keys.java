package io.berth.broker.store.rocksdb;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Key layouts. A client's keys all start with its <em>client prefix</em>: the byte count of its UTF-8
 * client id as an unsigned 16-bit big-endian integer, then those bytes. The prefix is prefix-free (two
 * different ids never have one prefix start with the other), so one client's keys can be range-deleted
 * without touching another's, whatever bytes the ids contain. Sequence numbers and message ids are
 * 8-byte big-endian, so keys sort in numeric order. See {@code docs/storage-format.md}.
 */
final class Keys {
    /** Meta key of the format version. */
    static final byte[] FORMAT_VERSION = "format-version".getBytes(StandardCharsets.US_ASCII);

    /** Meta key of the highest message id ever stored. */
    static final byte[] MAX_MESSAGE_ID = "max-message-id".getBytes(StandardCharsets.US_ASCII);

    private Keys() {}

    /** A key of the meta family. */
    static byte[] meta(String name) {
        return name.getBytes(StandardCharsets.UTF_8);
    }

    /** The client prefix: u16 length + UTF-8 id. Also the whole key in sessions and counters. */
    static byte[] client(String clientId) {
        byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
        if (id.length > 0xFFFF) {
            throw new IllegalArgumentException("client id longer than 65535 bytes");
        }
        byte[] key = new byte[2 + id.length];
        key[0] = (byte) (id.length >>> 8);
        key[1] = (byte) id.length;
        System.arraycopy(id, 0, key, 2, id.length);
        return key;
    }

    /** The client id at the start of any client-prefixed key. */
    static String clientId(byte[] key) {
        int n = prefixLength(key) - 2;
        return new String(key, 2, n, StandardCharsets.UTF_8);
    }

    /** Length of the client prefix at the start of {@code key}. */
    static int prefixLength(byte[] key) {
        if (key.length < 2) {
            throw new IllegalArgumentException("key shorter than a client prefix");
        }
        int n = ((key[0] & 0xFF) << 8) | (key[1] & 0xFF);
        if (key.length < 2 + n) {
            throw new IllegalArgumentException("key shorter than its client prefix says");
        }
        return 2 + n;
    }

    /** True when {@code key} starts with {@code prefix}. */
    static boolean startsWith(byte[] key, byte[] prefix) {
        return key.length >= prefix.length && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
    }

    /** The smallest key greater than every key that starts with {@code prefix}. */
    static byte[] prefixEnd(byte[] prefix) {
        byte[] end = prefix.clone();
        for (int i = end.length - 1; i >= 0; i--) {
            if (end[i] != (byte) 0xFF) {
                end[i]++;
                return Arrays.copyOf(end, i + 1);
            }
        }
        throw new IllegalArgumentException("prefix has no successor");
    }

    /** Client prefix + 8-byte big-endian number: queue and inflight keys. */
    static byte[] withSeq(byte[] prefix, long seq) {
        byte[] key = Arrays.copyOf(prefix, prefix.length + 8);
        putLong(key, prefix.length, seq);
        return key;
    }

    /** The number after the client prefix of a queue or inflight key. */
    static long seq(byte[] key) {
        int at = prefixLength(key);
        if (key.length != at + 8) {
            throw new IllegalArgumentException("not a sequence key: " + key.length + " bytes");
        }
        return getLong(key, at);
    }

    /** Client prefix + UTF-8 filter: subscription keys. */
    static byte[] subscription(byte[] prefix, String filter) {
        byte[] f = filter.getBytes(StandardCharsets.UTF_8);
        byte[] key = Arrays.copyOf(prefix, prefix.length + f.length);
        System.arraycopy(f, 0, key, prefix.length, f.length);
        return key;
    }

    static String filter(byte[] key) {
        int at = prefixLength(key);
        return new String(key, at, key.length - at, StandardCharsets.UTF_8);
    }

    /** Client prefix + u16 packet id: inbound keys. */
    static byte[] inbound(byte[] prefix, int packetId) {
        if (packetId < 1 || packetId > 0xFFFF) {
            throw new IllegalArgumentException("packet id out of range: " + packetId);
        }
        byte[] key = Arrays.copyOf(prefix, prefix.length + 2);
        key[prefix.length] = (byte) (packetId >>> 8);
        key[prefix.length + 1] = (byte) packetId;
        return key;
    }

    static int packetId(byte[] key) {
        int at = prefixLength(key);
        if (key.length != at + 2) {
            throw new IllegalArgumentException("not an inbound key: " + key.length + " bytes");
        }
        return ((key[at] & 0xFF) << 8) | (key[at + 1] & 0xFF);
    }

    /** 8-byte big-endian message id: messages and refs keys. */
    static byte[] message(long id) {
        byte[] key = new byte[8];
        putLong(key, 0, id);
        return key;
    }

    static long messageId(byte[] key) {
        if (key.length != 8) {
            throw new IllegalArgumentException("not a message key: " + key.length + " bytes");
        }
        return getLong(key, 0);
    }

    /** UTF-8 topic: retained keys. */
    static byte[] topic(String topic) {
        return topic.getBytes(StandardCharsets.UTF_8);
    }

    static void putLong(byte[] b, int at, long v) {
        for (int i = 7; i >= 0; i--) {
            b[at + i] = (byte) v;
            v >>>= 8;
        }
    }

    static long getLong(byte[] b, int at) {
        long v = 0;
        for (int i = 0; i < 8; i++) {
            v = (v << 8) | (b[at + i] & 0xFF);
        }
        return v;
    }

    /** A key for error messages: printable ASCII as is, other bytes as {@code \xNN}. */
    static String printable(byte[] key) {
        StringBuilder sb = new StringBuilder();
        for (byte b : key) {
            int c = b & 0xFF;
            if (c >= 0x20 && c < 0x7F && c != '\\') {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return sb.toString();
    }
}
