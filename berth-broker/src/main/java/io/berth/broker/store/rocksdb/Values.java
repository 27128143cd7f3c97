package io.berth.broker.store.rocksdb;

import io.berth.broker.store.InflightRecord;
import io.berth.broker.store.QueueEntry;
import io.berth.broker.store.SessionRecord;
import io.berth.broker.store.StoredMessage;
import io.berth.broker.store.Subscription;
import io.berth.codec.MqttVersion;
import io.berth.codec.QoS;
import io.berth.codec.RetainHandling;
import io.berth.codec.Will;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Value layouts. Every value starts with a one-byte layout version (1 for all values but queue entries,
 * which format version 2 writes with layout 2); readers reject any other. Flags bytes number their bits from 0 (least significant).
 *
 * <pre>
 * session      u8 1 | u8 protocol level | u32 expiry s | u64 disconnected-at ms | string owner
 *              | u8 will present (0/1) | [string topic | bytes payload | u8 qos | u8 flags(0=retain)
 *              | properties]
 * subscription u8 1 | u8 qos | u8 flags(0=no local, 1=retain as published) | u8 retain handling
 *              | varint subscription id
 * queue        u8 2 | u64 message id | u32 size bytes | u8 qos | u8 flags(0=retain, 1=inline)
 *              | varint n | n x varint subscription id | [message, when inline]
 *              (format 1 wrote u8 1 and no inline flag; such entries are still read)
 * inflight     u8 1 | u16 packet id | u8 flags(0=released)
 * message      u8 1 | u64 id | string topic | u8 qos | u8 flags(0=retain) | u64 arrival ms
 *              | string publisher | properties | bytes payload
 * </pre>
 *
 * Properties are as {@link PropertiesFormat} writes them. See {@code docs/storage-format.md}.
 */
final class Values {
    static final int LAYOUT = 1;

    /** The layout of queue entries written by format version 2; layout 1 (format 1) is still read. */
    static final int QUEUE_LAYOUT = 2;

    /** Queue entry flags bit 1: the message follows the entry (a message with one durable destination). */
    private static final int INLINE = 2;

    /** Offset of the queue entry's flags byte: layout, message id, size, QoS before it. */
    private static final int QUEUE_FLAGS_AT = 1 + 8 + 4 + 1;

    private Values() {}

    private static ByteReader open(byte[] v) {
        ByteReader r = new ByteReader(v);
        int layout = r.u8();
        if (layout != LAYOUT) {
            throw new IllegalArgumentException("unknown value layout " + layout);
        }
        return r;
    }

    static byte[] session(SessionRecord s) {
        ByteWriter w = new ByteWriter(64);
        w.u8(LAYOUT).u8(s.version().level()).u32(s.expiryIntervalSeconds()).u64(s.disconnectedAtMillis());
        w.string(s.owner());
        Will will = s.will();
        if (will == null) {
            w.u8(0);
        } else {
            w.u8(1)
                    .string(will.topic())
                    .bytes(will.payload())
                    .u8(will.qos().value())
                    .u8(will.retain() ? 1 : 0);
            PropertiesFormat.write(w, will.properties());
        }
        return w.toByteArray();
    }

    static SessionRecord readSession(String clientId, byte[] v) {
        ByteReader r = open(v);
        MqttVersion version = MqttVersion.fromLevel(r.u8());
        if (version == null) {
            throw new IllegalArgumentException("unknown protocol level");
        }
        long expiry = r.u32();
        long disconnectedAt = r.u64();
        String owner = r.string();
        Will will = null;
        int hasWill = r.u8();
        if (hasWill == 1) {
            String topic = r.string();
            byte[] payload = r.bytes();
            QoS qos = qos(r.u8());
            boolean retain = r.flag(r.u8(), 0);
            will = new Will(topic, payload, qos, retain, PropertiesFormat.read(r));
        } else if (hasWill != 0) {
            throw new IllegalArgumentException("bad will marker " + hasWill);
        }
        r.end();
        return new SessionRecord(clientId, version, expiry, disconnectedAt, will, owner);
    }

    static byte[] subscription(Subscription s) {
        int flags = (s.noLocal() ? 1 : 0) | (s.retainAsPublished() ? 2 : 0);
        return new ByteWriter(8)
                .u8(LAYOUT)
                .u8(s.qos().value())
                .u8(flags)
                .u8(s.retainHandling().value())
                .varint(s.subscriptionId())
                .toByteArray();
    }

    static Subscription readSubscription(String filter, byte[] v) {
        ByteReader r = open(v);
        QoS qos = qos(r.u8());
        int flags = r.u8();
        RetainHandling handling = RetainHandling.fromValue(r.u8());
        if (handling == null) {
            throw new IllegalArgumentException("bad retain handling");
        }
        int id = r.varint32();
        r.end();
        return new Subscription(filter, qos, r.flag(flags, 0), r.flag(flags, 1), handling, id);
    }

    /** A queue entry that refers to its message (stored in {@code messages} with a reference count). */
    static byte[] queueEntry(QueueEntry e, int sizeBytes) {
        ByteWriter w = new ByteWriter(16 + 4 * e.subscriptionIds().size());
        w.u8(QUEUE_LAYOUT).u64(e.messageId()).u32(sizeBytes).u8(e.qos().value()).u8(e.retain() ? 1 : 0);
        w.varint(e.subscriptionIds().size());
        for (int id : e.subscriptionIds()) {
            w.varint(id);
        }
        return w.toByteArray();
    }

    /** The queue entry {@code entry} (as {@link #queueEntry} wrote it) with {@code message} inline. */
    static byte[] inline(byte[] entry, byte[] message) {
        byte[] v = new byte[entry.length + message.length];
        System.arraycopy(entry, 0, v, 0, entry.length);
        System.arraycopy(message, 0, v, entry.length, message.length);
        v[QUEUE_FLAGS_AT] |= INLINE;
        return v;
    }

    private static ByteReader openQueue(byte[] v) {
        ByteReader r = new ByteReader(v);
        int layout = r.u8();
        if (layout != LAYOUT && layout != QUEUE_LAYOUT) {
            throw new IllegalArgumentException("unknown value layout " + layout);
        }
        return r;
    }

    /** True when a queue value holds its message. */
    static boolean queueInline(byte[] v) {
        return v.length > QUEUE_FLAGS_AT && v[0] == QUEUE_LAYOUT && (v[QUEUE_FLAGS_AT] & INLINE) != 0;
    }

    static QueueEntry readQueueEntry(long seq, byte[] v) {
        return readQueueEntry(seq, v, null);
    }

    /**
     * Reads a queue value; when the message is inline and {@code inline} is not null, it is decoded into
     * {@code inline[0]}.
     */
    static QueueEntry readQueueEntry(long seq, byte[] v, StoredMessage @Nullable [] inline) {
        ByteReader r = openQueue(v);
        long messageId = r.u64();
        r.u32();
        QoS qos = qos(r.u8());
        int flags = r.u8();
        boolean retain = r.flag(flags, 0);
        int n = r.varint32();
        List<Integer> ids = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            ids.add(r.varint32());
        }
        if (queueInline(v)) {
            StoredMessage m = readMessage(v, r.position());
            if (m.id() != messageId) {
                throw new IllegalArgumentException("inline message " + m.id() + " in an entry of " + messageId);
            }
            if (inline != null) {
                inline[0] = m;
            }
        } else {
            r.end();
        }
        return new QueueEntry(seq, messageId, qos, retain, ids);
    }

    /** The message id of a queue value, read at its fixed offset. */
    static long queueMessageId(byte[] v) {
        ByteReader r = openQueue(v);
        return r.u64();
    }

    /** The size in bytes of a queue value's message, read at its fixed offset. */
    static int queueSize(byte[] v) {
        ByteReader r = new ByteReader(v, 9);
        return (int) r.u32();
    }

    static byte[] inflight(InflightRecord f) {
        return new ByteWriter(4)
                .u8(LAYOUT)
                .u16(f.packetId())
                .u8(f.released() ? 1 : 0)
                .toByteArray();
    }

    static InflightRecord readInflight(long seq, byte[] v) {
        ByteReader r = open(v);
        int packetId = r.u16();
        boolean released = r.flag(r.u8(), 0);
        r.end();
        return new InflightRecord(seq, packetId, released);
    }

    static byte[] message(StoredMessage m) {
        ByteWriter w = new ByteWriter(48 + m.topic().length() + m.payload().length);
        w.u8(LAYOUT).u64(m.id()).string(m.topic()).u8(m.qos().value()).u8(m.retain() ? 1 : 0);
        w.u64(m.arrivalMillis()).string(m.publisherId());
        PropertiesFormat.write(w, m.properties());
        w.bytes(m.payload());
        return w.toByteArray();
    }

    static StoredMessage readMessage(byte[] v) {
        return readMessage(v, 0);
    }

    /** Reads a message value that starts at {@code offset} of {@code v} and runs to its end. */
    static StoredMessage readMessage(byte[] v, int offset) {
        ByteReader r = new ByteReader(v, offset);
        int layout = r.u8();
        if (layout != LAYOUT) {
            throw new IllegalArgumentException("unknown value layout " + layout);
        }
        long id = r.u64();
        String topic = r.string();
        QoS qos = qos(r.u8());
        boolean retain = r.flag(r.u8(), 0);
        long arrival = r.u64();
        String publisher = r.string();
        var properties = PropertiesFormat.read(r);
        byte[] payload = r.bytes();
        r.end();
        return new StoredMessage(id, topic, payload, qos, retain, properties, arrival, publisher);
    }

    static byte[] u64(long v) {
        return Keys.message(v);
    }

    static long readU64(byte[] v) {
        if (v.length != 8) {
            throw new IllegalArgumentException("expected 8 bytes, found " + v.length);
        }
        return Keys.getLong(v, 0);
    }

    private static QoS qos(int value) {
        QoS qos = QoS.fromValue(value);
        if (qos == null) {
            throw new IllegalArgumentException("bad QoS " + value);
        }
        return qos;
    }
}
