package io.berth.broker.store.rocksdb;

import java.nio.charset.StandardCharsets;

/** The column families of a Berth store; see {@code docs/storage-format.md} for their keys and values. */
enum Family {
  /** client prefix → session record. */
  SESSIONS("sessions", false),
  /** client prefix → queue counters (head hint, tail, count, bytes). */
  COUNTERS("counters", false),
  /** client prefix + filter → subscription options. */
  SUBSCRIPTIONS("subscriptions", false),
  /** client prefix + seq → queue entry (a message reference). */
  QUEUE("queue", true),
  /** client prefix + seq → outbound in-flight state. */
  INFLIGHT("inflight", true),
  /** client prefix + packet id → empty: inbound QoS 2 awaiting PUBREL. */
  INBOUND("inbound", true),
  /** message id → message, stored once. */
  MESSAGES("messages", true),
  /** message id → number of queue entries that refer to it. */
  REFS("refs", true),
  /** topic → retained message. */
  RETAINED("retained", false),
  /** format version and the message id high-water mark. */
  META("meta", false);

  private final byte[] rocksName;
  private final boolean deleteHeavy;

  Family(String name, boolean deleteHeavy) {
    this.rocksName = name.getBytes(StandardCharsets.US_ASCII);
    this.deleteHeavy = deleteHeavy;
  }

  byte[] rocksName() {
    return rocksName.clone();
  }

  String familyName() {
    return new String(rocksName, StandardCharsets.US_ASCII);
  }

  /** True when most keys written are soon deleted: compaction is triggered by tombstone density. */
  boolean deleteHeavy() {
    return deleteHeavy;
  }
}
