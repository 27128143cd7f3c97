package io.berth.bench.jmh;

import io.berth.broker.routing.TopicTree;
import io.berth.broker.store.Subscription;
import io.berth.codec.QoS;
import io.berth.codec.RetainHandling;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Topic matching in {@link TopicTree}: {@code subscriptions} clients, each on an exact filter
 * {@code site/<i>/sensor/<j>/temp}, one in ten also on {@code site/<i>/sensor/+/temp} and one in a hundred on
 * {@code site/<i>/#}. One match of a topic that hits a few of them.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class TopicTreeBenchmark {
    @Param({"1000", "100000"})
    public int subscriptions;

    private TopicTree tree;
    private String topic;
    private final Counter counter = new Counter();

    @Setup
    public void setUp() {
        tree = new TopicTree();
        for (int k = 0; k < subscriptions; k++) {
            int site = k / 10;
            String client = "c" + k;
            tree.subscribe(client, sub("site/" + site + "/sensor/" + (k % 10) + "/temp"));
            if (k % 10 == 0) {
                tree.subscribe(client, sub("site/" + site + "/sensor/+/temp"));
            }
            if (k % 100 == 0) {
                tree.subscribe(client, sub("site/" + site + "/#"));
            }
        }
        topic = "site/" + (subscriptions / 20) + "/sensor/3/temp";
    }

    private static Subscription sub(String filter) {
        return new Subscription(filter, QoS.AT_LEAST_ONCE, false, false, RetainHandling.SEND_ON_SUBSCRIBE, 0);
    }

    @Benchmark
    public void match(Blackhole bh) {
        counter.n = 0;
        tree.match(topic, counter);
        bh.consume(counter.n);
    }

    private static final class Counter implements TopicTree.MatchVisitor {
        int n;

        @Override
        public void subscriber(String clientId, Subscription subscription) {
            n++;
        }

        @Override
        public void sharedGroup(TopicTree.SharedGroup group) {
            n++;
        }
    }
}
