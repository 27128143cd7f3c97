package io.berth.bench.scenario;

import io.berth.bench.peer.Peer;

/** One named, bounded scenario. */
public interface Scenario {
    /** The name used on the command line, e.g. {@code online-qos1}. */
    String name();

    /** What it measures, one sentence for the report. */
    String description();

    /** The figure compared between peers, and whether more is better. */
    String headline();

    boolean higherIsBetter();

    /** Runs on a started peer (fresh data); may stop and restart it; leaves it running or stopped. */
    Result run(Peer peer, Context context) throws Exception;
}
