package io.berth.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.client.Message;
import io.berth.client.store.SessionChange;
import io.berth.codec.QoS;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
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
}
