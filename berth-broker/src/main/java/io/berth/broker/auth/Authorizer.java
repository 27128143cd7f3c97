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
}
