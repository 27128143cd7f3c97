package io.berth.broker.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.broker.store.Subscription;
import io.berth.codec.QoS;
import io.berth.codec.RetainHandling;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The subscription tree, in particular a node's single subscriber and the map made at the second. */
class TopicTreeTest {
    private final TopicTree tree = new TopicTree();

    @Test
    void oneSubscriber_replacedThenRemoved_matchesItsLatestOptionsThenNothing() {
        tree.subscribe("a", sub("devices/1/cmd", QoS.AT_MOST_ONCE));
        tree.subscribe("a", sub("devices/1/cmd", QoS.AT_LEAST_ONCE));

        assertThat(tree.size()).isEqualTo(1);
        assertThat(match("devices/1/cmd")).containsExactly("a:AT_LEAST_ONCE");
        assertThat(tree.unsubscribe("b", "devices/1/cmd")).isFalse();
        assertThat(tree.unsubscribe("a", "devices/1/cmd")).isTrue();
        assertThat(tree.unsubscribe("a", "devices/1/cmd")).isFalse();
        assertThat(match("devices/1/cmd")).isEmpty();
        assertThat(tree.size()).isZero();
    }

    @Test
    void secondSubscriberOfAFilter_bothMatch_andEachLeavesAlone() {
        tree.subscribe("a", sub("t", QoS.AT_LEAST_ONCE));
        tree.subscribe("b", sub("t", QoS.EXACTLY_ONCE));
        tree.subscribe("c", sub("t", QoS.AT_MOST_ONCE));

        assertThat(match("t")).containsExactlyInAnyOrder("a:AT_LEAST_ONCE", "b:EXACTLY_ONCE", "c:AT_MOST_ONCE");
        tree.unsubscribe("a", "t");
        tree.unsubscribe("c", "t");
        assertThat(match("t")).containsExactly("b:EXACTLY_ONCE");
        tree.subscribe("a", sub("t", QoS.AT_LEAST_ONCE));
        assertThat(match("t")).containsExactlyInAnyOrder("a:AT_LEAST_ONCE", "b:EXACTLY_ONCE");
        assertThat(tree.size()).isEqualTo(2);
    }

    @Test
    void wildcardsAndSharedGroups_matchBesideSingleSubscribers() {
        tree.subscribe("a", sub("s/+/x", QoS.AT_LEAST_ONCE));
        tree.subscribe("b", sub("s/#", QoS.AT_LEAST_ONCE));
        tree.subscribe("c", sub("$share/g/s/1/x", QoS.AT_LEAST_ONCE));

        List<String> groups = new ArrayList<>();
        List<String> subscribers = new ArrayList<>();
        tree.match("s/1/x", new TopicTree.MatchVisitor() {
            @Override
            public void subscriber(String clientId, Subscription subscription) {
                subscribers.add(clientId);
            }

            @Override
            public void sharedGroup(TopicTree.SharedGroup group) {
                groups.add(group.sharedFilter());
            }
        });

        assertThat(subscribers).containsExactlyInAnyOrder("a", "b");
        assertThat(groups).containsExactly("$share/g/s/1/x");
        assertThat(tree.sharedGroup("$share/g/s/1/x")).isNotNull();
        assertThat(tree.sharedGroup("$share/h/s/1/x")).isNull();
        // [MQTT-4.7.2-1] a filter starting with a wildcard does not match a topic starting with $
        assertThat(match("$SYS/x")).isEmpty();
    }

    @Test
    void twoThreadsSubscribingToTheSameFilters_loseNoSubscriber() throws Exception {
        int filters = 200;
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (String client : List.of("left", "right")) {
                done.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < filters; i++) {
                        tree.subscribe(client, sub("f/" + i, QoS.AT_LEAST_ONCE));
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : done) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(tree.size()).isEqualTo(2 * filters);
        for (int i = 0; i < filters; i++) {
            assertThat(match("f/" + i)).containsExactlyInAnyOrder("left:AT_LEAST_ONCE", "right:AT_LEAST_ONCE");
        }
    }

    private List<String> match(String topic) {
        List<String> out = new ArrayList<>();
        tree.match(topic, new TopicTree.MatchVisitor() {
            @Override
            public void subscriber(String clientId, Subscription subscription) {
                out.add(clientId + ":" + subscription.qos());
            }

            @Override
            public void sharedGroup(TopicTree.SharedGroup group) {}
        });
        return out;
    }

    private static Subscription sub(String filter, QoS qos) {
        return new Subscription(filter, qos, false, false, RetainHandling.SEND_ON_SUBSCRIBE, 0);
    }
}
