package io.berth.broker.session;

/**
 * An operator's request that the node serving a session was asked to carry out, and did not confirm in
 * time: it may be down, cut off from the majority, or behind. Whether it was carried out is not known;
 * the message says what the operator can do.
 */
public final class NotConfirmedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public NotConfirmedException(String message) {
        super(message, null, false, false);
    }
}
