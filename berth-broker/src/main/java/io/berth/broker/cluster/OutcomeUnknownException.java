package io.berth.broker.cluster;

/**
 * A submission of this node can no longer be told to have been applied or not: a snapshot from the
 * leader replaced the replica while it waited (ADR 12), and the snapshot may or may not hold its entry.
 * Nothing of it is acknowledged; a claim is made again ({@link ClusterNode#claim}), since claiming a
 * session this node may already own changes nothing.
 */
final class OutcomeUnknownException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    OutcomeUnknownException(String message) {
        super(message);
    }

    /** Whether {@code error} is one, or a {@link java.util.concurrent.CompletionException} of one. */
    static boolean isCause(Throwable error) {
        return error instanceof OutcomeUnknownException || error.getCause() instanceof OutcomeUnknownException;
    }
}
