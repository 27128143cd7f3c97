package io.berth.broker.session;

/**
 * What became of an operator's delete or disconnect of a session, as the node that serves it answers
 * (this node, or on a cluster the session's owner, asked through the log).
 */
public enum OwnerOutcome {
    /** Carried out: the session is deleted, or its connection closed. */
    DONE,
    /** There is no such session. */
    NO_SESSION,
    /** A disconnect of a session that has no connection: nothing was done. */
    NO_CONNECTION;

    /** The code of this outcome in a log entry (one byte). */
    public byte code() {
        return (byte) ordinal();
    }

    /** @throws IllegalArgumentException for a code that names no outcome */
    public static OwnerOutcome fromCode(int code) {
        OwnerOutcome[] all = values();
        if (code < 0 || code >= all.length) {
            throw new IllegalArgumentException("unknown outcome code " + code);
        }
        return all[code];
    }
}
