package io.berth.broker.session;

import io.berth.broker.auth.Authorizer;
import io.berth.broker.config.BrokerConfig;
import io.berth.broker.metrics.BrokerMetrics;
import io.berth.broker.routing.RetainedIndex;
import io.berth.broker.routing.TopicTree;
import io.berth.broker.store.SessionStore;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * What every shard shares: configuration, the stores, the routing structures and the clock.
 *
 * @param durableStore where persistent sessions and retained messages are kept
 * @param volatileStore where sessions that end with their connection are kept
 * @param online client ids with a connection whose CONNACK went out, each with the principal owning
 *     its session (read by shared subscriptions to pick a member that may receive a message)
 * @param messageIds the source of message ids
 * @param clock wall-clock milliseconds
 * @param metrics where every shard counts what happens
 * @param authorizer the topic rights of each client (the ACL)
 * @param fatal what to do when a task of a shard throws (the broker's default stops the process)
 */
public record BrokerContext(
        BrokerConfig config,
        SessionStore durableStore,
        SessionStore volatileStore,
        TopicTree tree,
        RetainedIndex retained,
        Map<String, String> online,
        AtomicLong messageIds,
        LongSupplier clock,
        BrokerMetrics metrics,
        Authorizer authorizer,
        Thread.UncaughtExceptionHandler fatal) {}
