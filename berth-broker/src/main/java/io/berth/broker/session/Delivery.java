package io.berth.broker.session;

import io.berth.codec.QoS;
import java.util.List;

/**
 * What one subscriber is to receive of one message: the result of matching its subscriptions.
 *
 * @param qos the QoS to deliver with
 * @param retain the RETAIN flag to deliver with
 * @param subscriptionIds the identifiers of the matching subscriptions
 */
record Delivery(String clientId, QoS qos, boolean retain, List<Integer> subscriptionIds) {}
