package io.berth.broker.session;

import io.berth.broker.store.SessionStore;
import io.berth.broker.store.StoreCommand;

/**
 * A queue position reserved by a subscriber's shard, to be committed by the router together with the
 * rest of the publish.
 *
 * @param incarnation the session it was reserved in; a session replaced meanwhile drops it again
 */
record Prepared(String clientId, long incarnation, SessionStore store, StoreCommand.Enqueue enqueue) {}
