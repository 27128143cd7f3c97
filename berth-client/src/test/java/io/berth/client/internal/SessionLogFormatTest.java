package io.berth.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.client.Message;
import io.berth.client.store.SessionChange;
import io.berth.codec.QoS;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

class SessionLogFormatTest {
    @Test
    void utf8Length_matchesTheEncodedLength_forOneTwoThreeAndFourByteCharacters() {
        for (String s : new String[] {
            "", "ascii/topic", "\u00e9t\u00e9", "\u20ac/\u4e2d", "\ud83d\ude00/x", "a\u00e9\u20ac\ud83d\ude00"
        }) {
            assertThat(SessionLogFormat.utf8Length(s)).as(s).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
        }
    }

    @Test
    void records_writtenIntoABufferTooSmall_growItAndReadBackEqual() {
        SessionChange added = new SessionChange.MessageAdded(
                7,
                Message.builder("t/\u00e9/\u20ac/\ud83d\ude00")
                        .payload("\u00e9t\u00e9")
                        .qos(QoS.EXACTLY_ONCE)
                        .userProperty("\ud83d\ude00", "\u20ac")
                        .build(),
                1234);
        SessionChange assigned = new SessionChange.PacketIdAssigned(7, 65_535);

        ByteBuffer out = ByteBuffer.allocateDirect(4);
        out = SessionLogFormat.writeRecord(added, out);
        out = SessionLogFormat.writeRecord(assigned, out);
        out.flip();

        SessionChange.MessageAdded read = (SessionChange.MessageAdded) SessionLogFormat.readRecord(out);
        assertThat(read.seq()).isEqualTo(7);
        assertThat(read.addedAtMillis()).isEqualTo(1234);
        assertThat(read.message().topic()).isEqualTo("t/\u00e9/\u20ac/\ud83d\ude00");
        assertThat(read.message().payloadAsString()).isEqualTo("\u00e9t\u00e9");
        assertThat(read.message().properties().userProperty("\ud83d\ude00")).isEqualTo("\u20ac");
        assertThat(SessionLogFormat.readRecord(out)).isEqualTo(assigned);
        assertThat(out.hasRemaining()).isFalse();
    }

    @Test
    void messageAdded_isWrittenByteForByteAsDocumented() {
        SessionChange added = new SessionChange.MessageAdded(
                1, new Message("a/\u00e9", new byte[] {0x7f}, QoS.AT_LEAST_ONCE, true), 2);
        byte[] body = {
            9, // type: MessageAdded with properties
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            1, // seq
            0,
            0,
            0,
            0,
            0,
            0,
            0,
            2, // time handed over, epoch ms
            1 | 4, // flags: QoS 1, retain
            0,
            4,
            'a',
            '/',
            (byte) 0xc3,
            (byte) 0xa9, // topic: length, UTF-8
            0,
            0,
            0,
            1,
            0x7f, // payload: length, bytes
            0, // properties: none present
            0,
            0 // user properties: none
        };
        CRC32C crc = new CRC32C();
        crc.update(body);

        ByteBuffer out = SessionLogFormat.writeRecord(added, ByteBuffer.allocateDirect(64));
        out.flip();
        byte[] written = new byte[out.remaining()];
        out.get(written);

        ByteBuffer expected = ByteBuffer.allocate(SessionLogFormat.RECORD_OVERHEAD + body.length);
        expected.putInt(body.length).putInt((int) crc.getValue()).put(body);
        assertThat(written).isEqualTo(expected.array());
    }
}
