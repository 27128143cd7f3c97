package io.berth.broker.session;

import java.util.List;

/**
 * What a subscriber shard reserved for one message.
 *
 * @param rejected true when a queue refused the message under the reject policy
 */
record Reservation(List<Prepared> prepared, boolean rejected) {
  Reservation {
    prepared = List.copyOf(prepared);
  }
}
