package io.berth.broker.protocol;

/**
 * Milestones of a connection, fired from the head of its pipeline by {@link MqttConnectionHandler} for
 * the transport's limits to follow (the per-address limits, the bytes held before CONNECT).
 */
public enum ConnectionEvent {
    /** The whole CONNECT was decoded; the login starts. */
    CONNECT_RECEIVED,
    /** The login succeeded. */
    LOGGED_IN,
    /** The client sent something malformed or forbidden after logging in. */
    FAILED
}
