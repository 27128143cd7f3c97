package io.berth.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.client.store.ClientSessionStore;
import io.berth.client.store.FileDurability;
import io.berth.client.store.SessionChange;
import io.berth.codec.QoS;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The file store with {@link FileDurability#OS}: the same contract, without forcing the log. */
class FileClientSessionStoreOsTest extends ClientSessionStoreContract {
    @TempDir
    Path dir;

    private final List<ClientSessionStore> open = new ArrayList<>();

    @AfterEach
    void closeAll() throws IOException {
        for (ClientSessionStore s : open) {
            s.close();
        }
    }

    @Override
    ClientSessionStore newStore() throws IOException {
        ClientSessionStore s = ClientSessionStore.file(dir.resolve("session.log"), FileDurability.OS);
        open.add(s);
        return s;
    }

    @Override
    ClientSessionStore reopen(ClientSessionStore store) throws IOException {
        store.close();
        return newStore();
    }

    @Test
    void appendsComplete_withoutAnyForceOfTheLog() throws IOException {
        FailingFileChannel[] channel = new FailingFileChannel[1];
        FileClientSessionStore s = FileClientSessionStore.open(
                dir.resolve("session.log"),
                FileDurability.OS,
                c -> channel[0] = new FailingFileChannel(c),
                FileClientSessionStore.COMPACT_MIN_BYTES);
        open.add(s);
        channel[0].onForce = () -> {
            throw new IOException("no force expected");
        };

        s.append(new SessionChange.MessageAdded(1, message("written", QoS.AT_LEAST_ONCE)))
                .join();
        s.append(new SessionChange.PacketIdAssigned(1, 9)).join();

        channel[0].onForce = null;
        assertThat(reopen(s).load().messages())
                .extracting(m -> m.seq() + " " + m.packetId())
                .containsExactly("1 9");
    }
}
