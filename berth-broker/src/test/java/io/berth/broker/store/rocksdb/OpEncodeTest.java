package io.berth.broker.store.rocksdb;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.broker.store.QueueEntry;
import io.berth.broker.store.StoreCommand;
import io.berth.broker.store.StoreCommand.Dequeue;
import io.berth.broker.store.StoreCommand.Enqueue;
import io.berth.broker.store.StoredMessage;
import io.berth.codec.MqttProperties;
import io.berth.codec.QoS;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The encoding of a tick's commands: what one list encodes once and shares between its ops. */
class OpEncodeTest {

    @Test
    void aMessageEnqueuedAgainLaterInTheList_isEncodedOnce_andEqualToItsOwnEncoding() {
        List<StoreCommand> commands = new ArrayList<>();
        for (long id = 1; id <= 5; id++) {
            commands.add(enqueue("a", id, id));
            commands.add(enqueue("b", id, id));
        }
        commands.add(enqueue("c", 9, 1)); // message 1 again, four others in between

        List<Op> ops = Op.encode(commands);

        Op.Enqueue first = (Op.Enqueue) ops.get(0);
        Op.Enqueue again = (Op.Enqueue) ops.get(10);
        assertThat(again.message()).isSameAs(first.message());
        assertThat(((Op.Enqueue) ops.get(1)).message()).isSameAs(first.message());
        assertThat(first.message()).isEqualTo(Values.message(message(1)));
        assertThat(((Op.Enqueue) ops.get(2)).message()).isEqualTo(Values.message(message(2)));
    }

    @Test
    void aMessageFartherBackThanTheMemoKeeps_isEncodedAgain_toTheSameBytes() {
        List<StoreCommand> commands = new ArrayList<>();
        for (long id = 1; id <= Op.Memo.KEPT + 1; id++) {
            commands.add(enqueue("a", id, id));
        }
        commands.add(enqueue("b", 1, 1));

        List<Op> ops = Op.encode(commands);

        byte[] first = ((Op.Enqueue) ops.get(0)).message();
        byte[] later = ((Op.Enqueue) ops.get(ops.size() - 1)).message();
        assertThat(later).isNotSameAs(first).isEqualTo(first);
    }

    @Test
    void theOpsOfOneClientInARow_shareItsKeyPrefix_andAnotherClientGetsItsOwn() {
        List<Op> ops = Op.encode(List.of(
                enqueue("sub", 1, 1), new Dequeue("sub", 0, 7, 3), enqueue("other", 1, 1), enqueue("sub", 2, 2)));

        byte[] sub = ((Op.Enqueue) ops.get(0)).prefix();
        assertThat(((Op.Dequeue) ops.get(1)).prefix()).isSameAs(sub);
        assertThat(((Op.Enqueue) ops.get(2)).prefix()).isEqualTo(Keys.client("other"));
        assertThat(((Op.Enqueue) ops.get(3)).prefix()).isEqualTo(sub).isEqualTo(Keys.client("sub"));
    }

    private static StoredMessage message(long id) {
        return new StoredMessage(
                id,
                "t/" + id,
                ("m" + id).getBytes(StandardCharsets.UTF_8),
                QoS.AT_LEAST_ONCE,
                false,
                MqttProperties.EMPTY,
                1_000L,
                "pub");
    }

    private static Enqueue enqueue(String clientId, long seq, long messageId) {
        return new Enqueue(
                clientId, new QueueEntry(seq, messageId, QoS.AT_LEAST_ONCE, false, List.of()), message(messageId));
    }
}
