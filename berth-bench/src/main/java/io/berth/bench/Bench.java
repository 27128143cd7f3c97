package io.berth.bench;

import io.berth.bench.peer.Peer;
import io.berth.bench.peer.Probes;
import io.berth.bench.scenario.Context;
import io.berth.bench.scenario.Folders;
import io.berth.bench.scenario.Result;
import io.berth.bench.scenario.Scenario;
import io.berth.bench.scenario.Settings;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs scenarios against peers: each scenario on each peer in turn, every time on a freshly started
 * broker with an empty data folder, stopped afterwards. The load generator is one event loop thread.
 *
 * <p>Threading: {@link #run} on one thread.
 */
public final class Bench {
    private final Settings settings;
    private final Path workDir;
    private final PrintStream log;

    public Bench(Settings settings, Path workDir, PrintStream log) {
        this.settings = settings;
        this.workDir = workDir;
        this.log = log;
    }

    public List<Result> run(List<Scenario> scenarios, List<Peer> peers) {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(
                1, new DefaultThreadFactory("bench-client", true), NioIoHandler.newFactory());
        Context ctx = new Context(settings, group);
        List<Result> results = new ArrayList<>();
        try {
            for (Scenario scenario : scenarios) {
                for (Peer peer : peers) {
                    Result r = runOne(scenario, peer, ctx);
                    ctx.remember(r);
                    results.add(r);
                    log.println(r.line());
                }
            }
        } finally {
            group.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS)
                    .syncUninterruptibly();
        }
        return results;
    }

    private Result runOne(Scenario scenario, Peer peer, Context ctx) {
        Path data = workDir.resolve(scenario.name() + "-" + peer.name());
        try {
            clear(workDir, data.getFileName().toString());
            peer.start(data);
            return scenario.run(peer, ctx);
        } catch (Exception e) {
            log.println(scenario.name() + " on " + peer.name() + " failed: " + e);
            return Result.failed(scenario.name(), peer.name(), "failed: " + rootMessage(e), Probes.loadAverage());
        } finally {
            try {
                peer.stop();
            } catch (Exception e) {
                log.println("stopping " + peer.name() + " failed: " + e);
            }
        }
    }

    /**
     * Deletes what an earlier run left in {@code workDir} under {@code name} (the data folder, a cluster's
     * node folders {@code name-n1...}, the broker logs), so that every scenario starts on an empty data
     * folder even when {@code --work} is reused: a Mosquitto started on its predecessor's database gave
     * the new subscribers the messages queued for them hours before.
     */
    static void clear(Path workDir, String name) throws java.io.IOException {
        if (!java.nio.file.Files.isDirectory(workDir)) {
            return;
        }
        try (java.util.stream.Stream<Path> entries = java.nio.file.Files.list(workDir)) {
            for (Path p : entries.filter(p -> {
                        String f = p.getFileName().toString();
                        return f.equals(name) || f.startsWith(name + "-");
                    })
                    .toList()) {
                Folders.deleteTree(p);
            }
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        String m = String.valueOf(t.getMessage());
        return t.getClass().getSimpleName() + ": " + (m.length() > 200 ? m.substring(0, 200) : m);
    }
}
