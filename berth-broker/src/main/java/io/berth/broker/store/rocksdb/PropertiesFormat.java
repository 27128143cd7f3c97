package io.berth.broker.store.rocksdb;

import io.berth.codec.MqttProperties;
import io.berth.codec.UserProperty;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Stores {@link MqttProperties}: a varint count of the properties present, then each property as its
 * MQTT 5 identifier byte (MQTT 5 §2.2.2.2) followed by its value in the store's primitives:
 *
 * <ul>
 *   <li>byte properties (0x01, 0x17, 0x19, 0x24, 0x25, 0x28, 0x29, 0x2A): u8
 *   <li>two-byte integers (0x13, 0x21, 0x22, 0x23): u16
 *   <li>four-byte integers (0x02, 0x11, 0x18, 0x27): u32
 *   <li>subscription identifier (0x0B, one entry per identifier): varint
 *   <li>strings (0x03, 0x08, 0x12, 0x15, 0x1A, 0x1C, 0x1F): varint length + UTF-8
 *   <li>binary data (0x09, 0x16): varint length + bytes
 *   <li>user property (0x26, one entry per pair, in order): string name, string value
 * </ul>
 *
 * Properties are written in identifier order; a reader rejects an unknown identifier.
 */
final class PropertiesFormat {
    private PropertiesFormat() {}

    static void write(ByteWriter w, MqttProperties p) {
        if (p.isEmpty()) {
            w.varint(0);
            return;
        }
        List<Runnable> out = new ArrayList<>();
        u8(out, w, 0x01, p.payloadFormatIndicator());
        u32(out, w, 0x02, p.messageExpiryInterval());
        str(out, w, 0x03, p.contentType());
        str(out, w, 0x08, p.responseTopic());
        bin(out, w, 0x09, p.correlationData());
        for (Integer id : p.subscriptionIdentifiers()) {
            out.add(() -> w.u8(0x0B).varint(id));
        }
        u32(out, w, 0x11, p.sessionExpiryInterval());
        str(out, w, 0x12, p.assignedClientIdentifier());
        u16(out, w, 0x13, p.serverKeepAlive());
        str(out, w, 0x15, p.authenticationMethod());
        bin(out, w, 0x16, p.authenticationData());
        u8(out, w, 0x17, p.requestProblemInformation());
        u32(out, w, 0x18, p.willDelayInterval());
        u8(out, w, 0x19, p.requestResponseInformation());
        str(out, w, 0x1A, p.responseInformation());
        str(out, w, 0x1C, p.serverReference());
        str(out, w, 0x1F, p.reasonString());
        u16(out, w, 0x21, p.receiveMaximum());
        u16(out, w, 0x22, p.topicAliasMaximum());
        u16(out, w, 0x23, p.topicAlias());
        u8(out, w, 0x24, p.maximumQos());
        u8(out, w, 0x25, p.retainAvailable());
        for (UserProperty u : p.userProperties()) {
            out.add(() -> w.u8(0x26).string(u.name()).string(u.value()));
        }
        u32(out, w, 0x27, p.maximumPacketSize());
        u8(out, w, 0x28, p.wildcardSubscriptionAvailable());
        u8(out, w, 0x29, p.subscriptionIdentifierAvailable());
        u8(out, w, 0x2A, p.sharedSubscriptionAvailable());
        w.varint(out.size());
        out.forEach(Runnable::run);
    }

    private static void u8(List<Runnable> out, ByteWriter w, int id, @Nullable Integer v) {
        if (v != null) {
            if (v < 0 || v > 0xFF) {
                throw new IllegalArgumentException("property 0x" + Integer.toHexString(id) + " out of range: " + v);
            }
            out.add(() -> w.u8(id).u8(v));
        }
    }

    private static void u16(List<Runnable> out, ByteWriter w, int id, @Nullable Integer v) {
        if (v != null) {
            if (v < 0 || v > 0xFFFF) {
                throw new IllegalArgumentException("property 0x" + Integer.toHexString(id) + " out of range: " + v);
            }
            out.add(() -> w.u8(id).u16(v));
        }
    }

    private static void u32(List<Runnable> out, ByteWriter w, int id, @Nullable Long v) {
        if (v != null) {
            if (v < 0 || v > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("property 0x" + Integer.toHexString(id) + " out of range: " + v);
            }
            out.add(() -> w.u8(id).u32(v));
        }
    }

    private static void str(List<Runnable> out, ByteWriter w, int id, @Nullable String v) {
        if (v != null) {
            out.add(() -> w.u8(id).string(v));
        }
    }

    private static void bin(List<Runnable> out, ByteWriter w, int id, byte @Nullable [] v) {
        if (v != null) {
            out.add(() -> w.u8(id).bytes(v));
        }
    }

    static MqttProperties read(ByteReader r) {
        int count = r.varint32();
        if (count == 0) {
            return MqttProperties.EMPTY;
        }
        MqttProperties.Builder b = MqttProperties.builder();
        List<Integer> subscriptionIds = new ArrayList<>();
        List<UserProperty> userProperties = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int id = r.u8();
            switch (id) {
                case 0x01 -> b.payloadFormatIndicator(r.u8());
                case 0x02 -> b.messageExpiryInterval(r.u32());
                case 0x03 -> b.contentType(r.string());
                case 0x08 -> b.responseTopic(r.string());
                case 0x09 -> b.correlationData(r.bytes());
                case 0x0B -> subscriptionIds.add(r.varint32());
                case 0x11 -> b.sessionExpiryInterval(r.u32());
                case 0x12 -> b.assignedClientIdentifier(r.string());
                case 0x13 -> b.serverKeepAlive(r.u16());
                case 0x15 -> b.authenticationMethod(r.string());
                case 0x16 -> b.authenticationData(r.bytes());
                case 0x17 -> b.requestProblemInformation(r.u8());
                case 0x18 -> b.willDelayInterval(r.u32());
                case 0x19 -> b.requestResponseInformation(r.u8());
                case 0x1A -> b.responseInformation(r.string());
                case 0x1C -> b.serverReference(r.string());
                case 0x1F -> b.reasonString(r.string());
                case 0x21 -> b.receiveMaximum(r.u16());
                case 0x22 -> b.topicAliasMaximum(r.u16());
                case 0x23 -> b.topicAlias(r.u16());
                case 0x24 -> b.maximumQos(r.u8());
                case 0x25 -> b.retainAvailable(r.u8());
                case 0x26 -> userProperties.add(new UserProperty(r.string(), r.string()));
                case 0x27 -> b.maximumPacketSize(r.u32());
                case 0x28 -> b.wildcardSubscriptionAvailable(r.u8());
                case 0x29 -> b.subscriptionIdentifierAvailable(r.u8());
                case 0x2A -> b.sharedSubscriptionAvailable(r.u8());
                default ->
                    throw new IllegalArgumentException("unknown property identifier 0x" + Integer.toHexString(id));
            }
        }
        return b.subscriptionIdentifiers(subscriptionIds)
                .userProperties(userProperties)
                .build();
    }
}
