package io.berth.client;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** A message handler that counts how often each payload arrived, for exactly-once checks. */
final class Received implements MessageHandler {
  private final Map<String, AtomicInteger> counts = new ConcurrentHashMap<>();

  @Override
  public void onMessage(Message message) {
    counts.computeIfAbsent(message.payloadAsString(), k -> new AtomicInteger()).incrementAndGet();
  }

  int count(String payload) {
    AtomicInteger n = counts.get(payload);
    return n == null ? 0 : n.get();
  }

  int distinct() {
    return counts.size();
  }

  /** Payloads that arrived more than once. */
  Map<String, Integer> duplicates() {
    Map<String, Integer> d = new java.util.TreeMap<>();
    counts.forEach((k, v) -> {
      if (v.get() > 1) {
        d.put(k, v.get());
      }
    });
    return d;
  }
}
