package io.berth.broker.cluster;

import io.berth.broker.routing.RetainedIndex;
import io.berth.broker.session.Sessions;
import io.berth.broker.store.StoreCommand;
import io.berth.broker.store.StoredMessage;
import java.util.ArrayList;
import java.util.List;

/**
 * What this node keeps in memory of the replicated state, kept in step with entries of other nodes:
 * sessions another node claimed are let go here, and retained messages set or cleared on another node
 * change this node's retained index (their payloads are read from this node's replica when delivered).
 * Entries may be applied while the broker starts, before its sessions and index exist (a node catching up
 * after a restart, between its recovery and its first connection): those changes wait here and are made
 * when the broker attaches.
 *
 * <p>Threading: guarded by its own lock; changes come from the store's committer thread (in log order),
 * the attachment from the thread that starts the broker.
 */
final class LocalView implements SessionStateMachine.Listener {
    private Sessions sessions;
    private RetainedIndex retained;
    private final List<Runnable> early = new ArrayList<>();

    @Override
    public synchronized void claimed(String clientId) {
        if (sessions == null) {
            early.add(() -> sessions.release(clientId));
        } else {
            sessions.release(clientId);
        }
    }

    @Override
    public synchronized void retained(StoreCommand command) {
        if (retained == null) {
            early.add(() -> retain(command));
        } else {
            retain(command);
        }
    }

    private void retain(StoreCommand command) {
        if (command instanceof StoreCommand.PutRetained put) {
            StoredMessage m = put.message();
            retained.restore(m);
        } else if (command instanceof StoreCommand.DeleteRetained delete) {
            retained.remove(delete.topic());
        }
    }

    synchronized void attach(Sessions attachedSessions, RetainedIndex attachedRetained) {
        sessions = attachedSessions;
        retained = attachedRetained;
        for (Runnable r : early) {
            r.run();
        }
        early.clear();
    }
}
