package io.berth.broker.auth;

/**
 * Decides which topics a client may use. {@code user} is the authenticated principal, empty for an
 * anonymous client.
 *
 * <p>Threading: implementations are called on session shard threads and must be thread-safe and fast
 * (no I/O).
 */
public interface Authorizer {
    /** Allows everything: the broker without an ACL file. */
    Authorizer ALLOW_ALL = new Authorizer() {
        @Override
        public boolean canPublish(String user, String clientId, String topic) {
            return true;
        }

        @Override
        public boolean canSubscribe(String user, String clientId, String filter) {
            return true;
        }

        @Override
        public boolean canReceive(String user, String clientId, String topic) {
            return true;
        }
    };

    boolean canPublish(String user, String clientId, String topic);

    boolean canSubscribe(String user, String clientId, String filter);

    boolean canReceive(String user, String clientId, String topic);

    /**
     * A client of {@code principal} asks for a new session (not a resumed one); false refuses it
     * ({@code max-sessions-per-principal}). When true, the session is counted until {@link #sessionEnded}.
     */
    default boolean sessionStarting(String principal) {
        return true;
    }

    /** A session of {@code principal} was recovered from the store: counted, never refused. */
    default void sessionRecovered(String principal) {}

    /** A session counted by {@link #sessionStarting} or {@link #sessionRecovered} ended. */
    default void sessionEnded(String principal) {}
}
