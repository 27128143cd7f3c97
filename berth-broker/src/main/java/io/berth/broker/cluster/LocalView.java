package io.berth.broker.cluster;

import io.berth.broker.routing.RetainedIndex;
import io.berth.broker.session.Sessions;
import io.berth.broker.store.SessionRecord;
import io.berth.broker.store.StoreCommand;
import io.berth.broker.store.StoredMessage;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;
import org.jspecify.annotations.Nullable;

/**
 * What this node keeps in memory of the replicated state, kept in step with entries of other nodes:
 * sessions another node claimed are let go here, retained messages set or cleared on another node
 * change this node's retained index, and messages forwarded to a session this node owns are taken into
 * its queue (ADR 13) (their payloads are read from this node's replica when delivered).
 * Entries may be applied while the broker starts, before its sessions and index exist (a node catching up
 * after a restart, between its recovery and its first connection): those changes wait here and are made
 * when the broker attaches.
 *
 * <p>Threading: guarded by its own lock; changes come from the store's committer thread (in log order),
 * the attachment from the thread that starts the broker.
 */
final class LocalView implements SessionStateMachine.Listener {
    private @Nullable Sessions sessions;
    private @Nullable RetainedIndex retained;
    /** Client ids (String) and retained changes (StoreCommand) applied before the attachment, in order. */
    private final List<Object> early = new ArrayList<>();
    /** Sessions whose inboxes got messages before the attachment. */
    private final Set<String> earlyForwarded = new LinkedHashSet<>();

    /** Carries out an operator's request on this node's sessions ({@link OperatorRequests#carryOut}). */
    private final BiConsumer<Sessions, LogEntry> operators;

    LocalView(BiConsumer<Sessions, LogEntry> operators) {
        this.operators = operators;
    }

    @Override
    public synchronized void claimed(String clientId) {
        Sessions s = sessions;
        if (s == null) {
            early.add(clientId);
        } else {
            s.release(clientId);
        }
    }

    @Override
    public synchronized void retained(StoreCommand command) {
        RetainedIndex r = retained;
        if (r == null) {
            early.add(command);
        } else {
            retain(r, command);
        }
    }

    @Override
    public synchronized void forwarded(String clientId) {
        Sessions s = sessions;
        if (s == null) {
            earlyForwarded.add(clientId); // the restore may have read the inbox before this entry
        } else {
            s.forwarded(clientId);
        }
    }

    @Override
    public synchronized void operator(LogEntry request) {
        Sessions s = sessions;
        if (s != null) { // before the attachment this node serves no session: the node that asked hears nothing
            operators.accept(s, request);
        }
    }

    @Override
    public synchronized void relayed(StoredMessage message) {
        Sessions s = sessions;
        if (s != null) { // before the attachment this node serves no session that ends with its connection
            s.relayed(message);
        }
    }

    @Override
    public synchronized void relayedShared(StoreCommand.Forward forward) {
        Sessions s = sessions;
        if (s != null) {
            s.relayedShared(forward);
        }
    }

    @Override
    public synchronized void volatileGone(List<SessionRecord> records, boolean unlessServed) {
        Sessions s = sessions;
        if (s != null) { // adoptions and claims of this node wait for the attachment
            s.volatileGone(records, unlessServed);
        }
    }

    private static void retain(RetainedIndex index, StoreCommand command) {
        if (command instanceof StoreCommand.PutRetained put) {
            index.restore(put.message());
        } else if (command instanceof StoreCommand.DeleteRetained delete) {
            index.remove(delete.topic());
        }
    }

    synchronized void attach(Sessions attachedSessions, RetainedIndex attachedRetained) {
        sessions = attachedSessions;
        retained = attachedRetained;
        for (Object o : early) {
            if (o instanceof String clientId) {
                attachedSessions.release(clientId);
            } else {
                retain(attachedRetained, (StoreCommand) o);
            }
        }
        early.clear();
        earlyForwarded.forEach(attachedSessions::forwarded);
        earlyForwarded.clear();
    }
}
