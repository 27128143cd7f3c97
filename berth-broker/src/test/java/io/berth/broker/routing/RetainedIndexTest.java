package io.berth.broker.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.broker.config.RetainedLimits;
import io.berth.broker.store.StoredMessage;
import io.berth.codec.MqttProperties;
import io.berth.codec.QoS;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetainedIndexTest {
    private static final RetainedLimits LARGE = new RetainedLimits(1000, 1 << 20, 1000, 1 << 20);
    private long ids;

    private StoredMessage msg(String topic, String client, int payloadBytes) {
        return new StoredMessage(
                ++ids, topic, new byte[payloadBytes], QoS.AT_LEAST_ONCE, true, MqttProperties.EMPTY, 0, client);
    }

    private static List<String> topics(RetainedIndex index, String filter) {
        return index.matching(filter, 1).stream()
                .map(StoredMessage::topic)
                .sorted()
                .toList();
    }

    @Test
    void matching_walksTheTopicTree_forEveryKindOfFilter() {
        RetainedIndex index = new RetainedIndex(LARGE);
        for (String t : List.of("a", "a/b", "a/b/c", "a/x/c", "b/b", "$SYS/x", "a//c", "/a")) {
            assertThat(index.put(msg(t, "c", 1))).isNull();
        }
        assertThat(topics(index, "a/b")).containsExactly("a/b");
        assertThat(topics(index, "a/#")).containsExactly("a", "a//c", "a/b", "a/b/c", "a/x/c");
        assertThat(topics(index, "a/+/c")).containsExactly("a//c", "a/b/c", "a/x/c");
        assertThat(topics(index, "+/b")).containsExactly("a/b", "b/b");
        // [MQTT-4.7.2-1] wildcards in the first level do not match '$' topics
        assertThat(topics(index, "#")).doesNotContain("$SYS/x").hasSize(7);
        assertThat(topics(index, "+/x")).isEmpty();
        assertThat(topics(index, "$SYS/#")).containsExactly("$SYS/x");
        assertThat(topics(index, "+/a")).containsExactly("/a");
        assertThat(topics(index, "nothing/#")).isEmpty();
    }

    @Test
    void remove_clearsAndPrunes_counts() {
        RetainedIndex index = new RetainedIndex(LARGE);
        index.put(msg("a/b/c", "c", 10));
        index.put(msg("a/b", "c", 10));
        assertThat(index.size()).isEqualTo(2);
        assertThat(index.bytes()).isEqualTo(10 + 5 + 10 + 3);
        index.remove("a/b/c");
        index.remove("nothing/here");
        assertThat(topics(index, "#")).containsExactly("a/b");
        index.remove("a/b");
        assertThat(index.size()).isZero();
        assertThat(index.bytes()).isZero();
        assertThat(topics(index, "#")).isEmpty();
    }

    @Test
    void limits_inAll_refuseNewTopics_butReplacingStaysPossible() {
        RetainedIndex index = new RetainedIndex(new RetainedLimits(2, 100, 10, 100));
        assertThat(index.put(msg("t/1", "a", 10))).isNull();
        assertThat(index.put(msg("t/2", "b", 10))).isNull();
        assertThat(index.put(msg("t/3", "c", 10))).isEqualTo(RetainedIndex.Refusal.MAX_MESSAGES);
        assertThat(topics(index, "#")).containsExactly("t/1", "t/2");
        // the same topic again replaces, within the limits
        assertThat(index.put(msg("t/1", "c", 20))).isNull();
        assertThat(index.put(msg("t/2", "c", 80))).isEqualTo(RetainedIndex.Refusal.MAX_BYTES);
        index.remove("t/2");
        assertThat(index.put(msg("t/3", "c", 10))).isNull();
        assertThat(index.size()).isEqualTo(2);
    }

    @Test
    void limits_perClient_countWhatEachClientRetained() {
        RetainedIndex index = new RetainedIndex(new RetainedLimits(100, 10_000, 2, 50));
        assertThat(index.put(msg("a/1", "flood", 10))).isNull();
        assertThat(index.put(msg("a/2", "flood", 10))).isNull();
        assertThat(index.put(msg("a/3", "flood", 10))).isEqualTo(RetainedIndex.Refusal.MAX_MESSAGES_PER_CLIENT);
        assertThat(index.put(msg("a/3", "other", 10))).isNull();
        assertThat(index.put(msg("a/1", "flood", 10))).as("replacing its own").isNull();
        assertThat(index.put(msg("b/1", "other", 60))).isEqualTo(RetainedIndex.Refusal.MAX_BYTES_PER_CLIENT);
        // another client taking over a topic frees the first one's share
        assertThat(index.put(msg("a/2", "other", 10))).isNull();
        assertThat(index.put(msg("a/4", "flood", 10))).isNull();
    }

    @Test
    void restore_ignoresLimits() {
        RetainedIndex index = new RetainedIndex(new RetainedLimits(1, 10, 1, 10));
        index.restore(msg("a", "c", 100));
        index.restore(msg("b", "c", 100));
        assertThat(index.size()).isEqualTo(2);
        assertThat(index.put(msg("c", "d", 1))).isEqualTo(RetainedIndex.Refusal.MAX_MESSAGES);
    }

    @Test
    void durableStore_payloadIsDroppedOnceCommitted_andReadBackWhenMatched() {
        java.util.Map<String, StoredMessage> store = new java.util.HashMap<>();
        List<String> loads = new java.util.ArrayList<>();
        RetainedIndex index = new RetainedIndex(LARGE, topic -> {
            loads.add(topic);
            return store.get(topic);
        });
        StoredMessage m = msg("a/b", "c", 7);
        assertThat(index.put(m)).isNull();
        // not committed yet: served from memory, whatever the store holds
        assertThat(index.matching("a/#", 1)).containsExactly(m);
        assertThat(loads).isEmpty();
        store.put("a/b", m);
        index.committed(m);
        assertThat(index.matching("a/#", 1)).containsExactly(m);
        assertThat(loads).containsExactly("a/b");
        assertThat(index.bytes()).as("the size is still counted").isEqualTo(7 + 3);
        // cleared in the store meanwhile (a race with a delete): skipped
        store.remove("a/b");
        assertThat(index.matching("a/b", 1)).isEmpty();
        // a message read back at start is kept without its payload at once
        StoredMessage r = msg("r", "c", 5);
        store.put("r", r);
        index.restore(r);
        assertThat(index.matching("r", 1)).containsExactly(r);
        assertThat(loads).endsWith("r");
        // committing an older message does not drop a newer one still on its way
        StoredMessage newer = msg("a/b", "c", 9);
        index.put(newer);
        index.committed(m);
        loads.clear();
        assertThat(index.matching("a/b", 1)).containsExactly(newer);
        assertThat(loads).isEmpty();
    }
}
