package io.berth.broker;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Lost, duplicated and out-of-order messages of a crash run. Payloads are {@code name:seq}, one name per
 * publisher; {@code acked} holds the sequence numbers each publisher saw acknowledged.
 */
record CrashReport(long lost, Map<String, Long> duplicates, long orderViolations) {
    static CrashReport of(List<String> received, Map<String, List<Long>> acked) {
        Map<String, Long> duplicates = new HashMap<>();
        Map<String, Long> highest = new HashMap<>();
        Map<String, Set<Long>> seen = new HashMap<>();
        long violations = 0;
        for (String r : received) {
            String name = r.substring(0, r.indexOf(':'));
            long seq = Long.parseLong(r.substring(r.indexOf(':') + 1));
            if (!seen.computeIfAbsent(name, n -> new HashSet<>()).add(seq)) {
                duplicates.merge(name, 1L, Long::sum);
                continue;
            }
            // first deliveries of one publisher must come in its order
            if (seq < highest.getOrDefault(name, -1L)) {
                violations++;
            }
            highest.merge(name, seq, Math::max);
        }
        long lost = 0;
        for (Map.Entry<String, List<Long>> e : acked.entrySet()) {
            Set<Long> got = seen.getOrDefault(e.getKey(), Set.of());
            lost += e.getValue().stream().filter(s -> !got.contains(s)).count();
            duplicates.putIfAbsent(e.getKey(), 0L);
        }
        return new CrashReport(lost, duplicates, violations);
    }
}
