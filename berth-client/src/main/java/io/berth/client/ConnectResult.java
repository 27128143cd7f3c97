package io.berth.client;

/**
 * The outcome of an accepted connection.
 *
 * @param sessionPresent the broker resumed an existing session (CONNACK Session Present)
 * @param assignedClientId the client identifier the broker assigned (5.0), or the configured one
 * @param receiveMaximum how many QoS 1 and 2 messages the broker accepts unacknowledged
 */
public record ConnectResult(boolean sessionPresent, String assignedClientId, int receiveMaximum) {}
