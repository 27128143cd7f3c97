package io.berth.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.broker.session.OwnerOutcome;
import io.berth.broker.session.Purge;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The log entries of an operator's requests and their answers, on bytes. */
class LogEntryTest {
    private static LogEntry roundTrip(LogEntry entry) {
        return LogEntry.decode(new DataInputStream(new ByteArrayInputStream(entry.encode())));
    }

    @Test
    void deleteAndDisconnect_roundTrip_withTheirClientId() {
        for (LogEntry.Kind kind : new LogEntry.Kind[] {LogEntry.Kind.DELETE, LogEntry.Kind.DISCONNECT}) {
            LogEntry back = roundTrip(LogEntry.operator(kind, "n2", 77, 5, "plant/7"));
            assertThat(back.kind()).isEqualTo(kind);
            assertThat(back.node()).isEqualTo("n2");
            assertThat(back.incarnation()).isEqualTo(77);
            assertThat(back.seq()).isEqualTo(5);
            assertThat(back.clientId()).isEqualTo("plant/7");
            assertThat(back.commands()).isEmpty();
        }
        assertThatThrownBy(() -> LogEntry.operator(LogEntry.Kind.CLAIM, "n2", 1, 1, "c"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void answer_roundTrip_namesTheNodeThatAskedAndCarriesOutcomeAndCount() {
        OperatorAnswer answer = new OperatorAnswer(77, 5, OwnerOutcome.DONE, 1234);
        LogEntry back = roundTrip(LogEntry.answer("n1", 9, 3, "n2", answer.encode()));
        assertThat(back.kind()).isEqualTo(LogEntry.Kind.ANSWER);
        assertThat(back.node()).isEqualTo("n1");
        assertThat(back.clientId()).as("the node that asked").isEqualTo("n2");
        assertThat(OperatorAnswer.decode(back.commands())).isEqualTo(answer);
    }

    @Test
    void purge_roundTrip_keepsItsSelection() {
        LogEntry back = roundTrip(LogEntry.purge("n3", 1, 2, "c", PurgeRequest.encode(new Purge("a/+", 10, 5))));
        assertThat(back.kind()).isEqualTo(LogEntry.Kind.PURGE);
        assertThat(PurgeRequest.decode(back.commands())).isEqualTo(new Purge("a/+", 10, 5));
    }

    @Test
    void answer_ofTheWrongSizeOrUnknownOutcome_isRefused() {
        byte[] good = new OperatorAnswer(1, 2, OwnerOutcome.NO_CONNECTION, 0).encode();
        assertThatThrownBy(() -> OperatorAnswer.decode(Arrays.copyOf(good, good.length - 1)))
                .isInstanceOf(IllegalArgumentException.class);
        byte[] unknown = good.clone();
        unknown[16] = 9; // the outcome byte, after u64 incarnation and u64 sequence number
        assertThatThrownBy(() -> OperatorAnswer.decode(unknown)).isInstanceOf(IllegalArgumentException.class);
    }
}
