/**
 * Routing: the subscription tree, the retained-message index and the {@link Router} that hands a
 * published message to the shards of its subscribers.
 *
 * <p>Threading: {@link TopicTree} and {@link RetainedIndex} are shared read-mostly structures built on
 * concurrent maps: any shard thread may read or change them; each subscriber's entries are changed only
 * by the shard that owns that subscriber's session.
 */
@NullMarked
package io.berth.broker.routing;

import org.jspecify.annotations.NullMarked;
