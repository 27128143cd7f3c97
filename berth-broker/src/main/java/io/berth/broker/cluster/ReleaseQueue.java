package io.berth.broker.cluster;

import io.berth.broker.session.Sessions;
import java.util.ArrayList;
import java.util.List;

/**
 * Sessions that another node claimed, to be let go here. Claims may be applied while the broker starts,
 * before its {@link Sessions} exist (a node catching up after a restart): those wait here and are
 * released when the sessions are attached.
 *
 * <p>Threading: guarded by its own lock; claims come from the store's committer thread, the attachment
 * from the thread that starts the broker.
 */
final class ReleaseQueue {
    private Sessions sessions;
    private final List<String> early = new ArrayList<>();

    synchronized void release(String clientId) {
        if (sessions == null) {
            early.add(clientId);
        } else {
            sessions.release(clientId);
        }
    }

    synchronized void attach(Sessions attached) {
        sessions = attached;
        for (String clientId : early) {
            attached.release(clientId);
        }
        early.clear();
    }
}
