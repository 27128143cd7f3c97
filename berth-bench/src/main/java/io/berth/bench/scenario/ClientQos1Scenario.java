package io.berth.bench.scenario;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import io.berth.bench.peer.Peer;
import io.berth.bench.peer.Probes;
import io.berth.client.Message;
import io.berth.client.MqttClient;
import io.berth.client.PublishFuture;
import io.berth.client.store.ClientSessionStore;
import io.berth.client.store.FileDurability;
import io.berth.codec.QoS;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import org.eclipse.paho.client.mqttv3.IMqttActionListener;
import org.eclipse.paho.client.mqttv3.IMqttToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MqttDefaultFilePersistence;
import org.jspecify.annotations.Nullable;

/**
 * Client libraries side by side: each publishes QoS 1 messages of the settings' payload size, with the
 * settings' window of unacknowledged publishes, to the peer (run it on Mosquitto, so that the broker is
 * not the bottleneck): berth-client with its file store (each message forced
 * to disk before {@code stored()} completes; then, as a second line, only written to the OS:
 * {@code FileDurability.OS}, which survives a crash of the process but not of the machine) and with its
 * memory store, the HiveMQ MQTT client (in memory),
 * Paho v3 with {@code MqttDefaultFilePersistence}. Reports the rate of finished messages, the CPU time
 * of this JVM (the client's) per message and the bytes it allocated per message, after an untimed warm-up of each library on its connection
 * ({@link Settings#warmupMessages()} messages, {@link #WARMUP_LIMIT} at most). Nobody subscribes. The
 * four fast libraries stay connected and take turns in {@link #ROUNDS} timed rounds of a share of the
 * messages each, round r starting with library r, and each one's figures are over all its rounds: this
 * machine's rate drifts by ±20 % within a minute, which one library after the other measured as a
 * difference between them. Paho, fifty times slower, is measured once, last.
 *
 * <p>The window is the same for every library: a publish leaves it when the broker acknowledged it (the
 * future of each library's publish). A berth-client message counts as finished only when it is
 * acknowledged <em>and</em> {@code stored()} completed (with the file store: forced to disk), and a run
 * ends only when every message it sent is both; a force may cover messages of several windows (ADR 0017).
 * Every library speaks MQTT 5 (the HiveMQ client and berth-client; both keep at most the broker's Receive
 * Maximum in flight), except Paho v3 (3.1.1, its in-flight limit set above the window). The bench follows
 * each publish with one callback per future the library gives, so that its own bookkeeping costs every
 * library the same.
 */
public final class ClientQos1Scenario implements Scenario {
    public static final String BERTH_FILE = "berth-client file";
    public static final String BERTH_FILE_OS = "berth-client file os";
    public static final String BERTH_MEMORY = "berth-client memory";
    public static final String HIVEMQ = "hivemq-client";
    public static final String PAHO_FILE = "paho-v3 file";
    /**
     * The warm-up of each library ({@link Settings#warmupMessages()} messages) ends after this long even if
     * it did not reach them: a library that forces every message to disk is slow.
     */
    static final Duration WARMUP_LIMIT = Duration.ofSeconds(10);
    /** Timed rounds of the fast libraries, taking turns; each publishes a share of the settings' messages. */
    static final int ROUNDS = 3;

    @Override
    public String name() {
        return "client-qos1";
    }

    @Override
    public String description() {
        return "client libraries publishing QoS 1 with a window of unacknowledged publishes to the same broker;"
                + " rate of messages acknowledged (berth-client: and stored), client CPU per message and the broker's CPU"
                + " meanwhile (% of one core: near 100 % a one-threaded broker caps the rate), after a warm-up of each library (the warm-up"
                + " messages, " + WARMUP_LIMIT.toSeconds() + " s at most)";
    }

    @Override
    public String headline() {
        return BERTH_FILE + " msg/s";
    }

    @Override
    public boolean higherIsBetter() {
        return true;
    }

    @Override
    public Result run(Peer peer, Context context) throws Exception {
        Path dir = Files.createTempDirectory("client-qos1");
        try {
            return runIn(dir, peer, context.settings());
        } finally {
            Folders.deleteTree(dir); // the session files and Paho's, tens of MB
        }
    }

    private Result runIn(Path dir, Peer peer, Settings s) throws Exception {
        Map<String, Run> runs = new LinkedHashMap<>();
        List<AutoCloseable> open = new ArrayList<>();
        try {
            // the four fast libraries, each on a connection of its own, warmed up, then measured in
            // ROUNDS rounds that take turns (round r starts with library r): the machine's rate drifts by
            // ±20 % over a minute, and one library after the other measured that drift as a difference
            Map<String, Sender> senders = new LinkedHashMap<>();
            senders.put(BERTH_FILE, berth(peer.port(), ClientSessionStore.file(dir.resolve("berth.session")), open));
            senders.put(
                    BERTH_FILE_OS,
                    berth(
                            peer.port(),
                            ClientSessionStore.file(dir.resolve("berth-os.session"), FileDurability.OS),
                            open));
            senders.put(BERTH_MEMORY, berth(peer.port(), ClientSessionStore.inMemory(), open));
            senders.put(HIVEMQ, hivemq(peer.port(), open));
            for (Sender sender : senders.values()) {
                warm(s, sender);
            }
            List<Map.Entry<String, Sender>> order = new ArrayList<>(senders.entrySet());
            long share = Math.max(1, s.onlineMessages() / ROUNDS);
            for (int round = 0; round < ROUNDS; round++) {
                for (int i = 0; i < order.size(); i++) {
                    Map.Entry<String, Sender> library = order.get((round + i) % order.size());
                    runs.merge(library.getKey(), measure(s, share, library.getValue(), peer.pid()), Run::plus);
                }
            }
        } finally {
            for (AutoCloseable c : open) {
                c.close();
            }
        }
        // Paho persists a file per message, fifty times slower: measured once, on its own
        runs.put(PAHO_FILE, paho(peer.port(), peer.pid(), s, dir.resolve("paho")));
        Map<String, Double> figures = new LinkedHashMap<>();
        StringBuilder notes = new StringBuilder();
        for (Map.Entry<String, Run> e : runs.entrySet()) {
            String library = e.getKey();
            Run r = e.getValue();
            figures.put(library + " msg/s", r.finished() / r.seconds());
            figures.put(library + " CPU µs/msg", r.cpuSeconds() * 1e6 / Math.max(1, r.finished()));
            figures.put(library + " alloc B/msg", (double) r.allocatedBytes() / Math.max(1, r.finished()));
            // a broker near 100 % of a core (Mosquitto has one thread) caps every library's rate
            figures.put(library + " broker CPU %", r.brokerCpuSeconds() * 100 / r.seconds());
            if (r.finished() < r.wanted()) {
                notes.append(library)
                        .append(": time limit hit after ")
                        .append(r.finished())
                        .append(" messages; ");
            }
        }
        return new Result(
                name(),
                peer.name(),
                figures,
                "finished messages counted (berth-client: acknowledged and stored)",
                notes.length() == 0,
                notes.toString(),
                Probes.loadAverage());
    }

    private interface Sender {
        Sent send(byte[] payload) throws Exception;
    }

    /**
     * One publish: {@code acknowledged} completes when the broker acknowledged it (it leaves the window),
     * {@code stored} (berth-client only, else null) when the library's store holds it; it is finished when
     * both completed, and counts when both succeeded.
     */
    private record Sent(
            CompletableFuture<?> acknowledged, @Nullable CompletableFuture<?> stored) {
        static Sent acknowledged(CompletableFuture<?> f) {
            return new Sent(f, null);
        }

        static Sent acknowledgedAndStored(PublishFuture f) {
            return new Sent(f, f.stored());
        }
    }

    /**
     * The bench's bookkeeping of one publish, the same for every library: one callback per future the
     * library gives (no {@code allOf} for the library with two), so that the CPU per message counts the
     * library, not the bench's way of waiting for it.
     */
    private static final class Tracked extends AtomicInteger
            implements BiConsumer<@Nullable Object, @Nullable Throwable> {
        private final Semaphore window;
        private final AtomicLong finished;
        private final Semaphore finishedPermits;
        private volatile boolean failed;

        Tracked(Sent sent, Semaphore window, AtomicLong finished, Semaphore finishedPermits) {
            super(sent.stored() == null ? 1 : 2);
            this.window = window;
            this.finished = finished;
            this.finishedPermits = finishedPermits;
            sent.acknowledged().whenComplete((v, e) -> {
                window.release();
                accept(v, e);
            });
            CompletableFuture<?> stored = sent.stored();
            if (stored != null) {
                stored.whenComplete(this);
            }
        }

        @Override
        public void accept(@Nullable Object v, @Nullable Throwable e) {
            if (e != null) {
                failed = true;
            }
            if (decrementAndGet() == 0) {
                if (!failed) {
                    finished.incrementAndGet();
                }
                finishedPermits.release();
            }
        }
    }

    /**
     * Timed messages: wanted, finished, wall time, CPU time of this JVM, heap bytes allocated, CPU time of
     * the broker's process meanwhile.
     */
    private record Run(
            long wanted,
            long finished,
            double seconds,
            double cpuSeconds,
            long allocatedBytes,
            double brokerCpuSeconds) {
        Run plus(Run o) {
            return new Run(
                    wanted + o.wanted,
                    finished + o.finished,
                    seconds + o.seconds,
                    cpuSeconds + o.cpuSeconds,
                    allocatedBytes + o.allocatedBytes,
                    brokerCpuSeconds + o.brokerCpuSeconds);
        }
    }

    /**
     * Warms the library up on its connection (untimed: the JIT, pools and buffers of each library get the
     * same chance, whatever its place in the order).
     */
    private static void warm(Settings s, Sender sender) throws Exception {
        long warmDeadline = System.nanoTime() + WARMUP_LIMIT.toNanos();
        // a warm-up cut short by its limit leaves publishes in flight: they finish before the timed run
        drive(s, s.warmupMessages(), warmDeadline, warmDeadline + WARMUP_LIMIT.toNanos(), sender);
    }

    /** Times {@code messages} messages of a warmed-up library, within the settings' time limit. */
    private static Run measure(Settings s, long messages, Sender sender, long brokerPid) throws Exception {
        long pid = ProcessHandle.current().pid();
        double cpuBefore = Probes.cpuSeconds(pid);
        double brokerCpuBefore = Probes.cpuSeconds(brokerPid);
        long allocatedBefore = allocatedBytes();
        long start = System.nanoTime();
        long deadline = start + s.limit().toNanos();
        long finished = drive(s, messages, deadline, deadline, sender);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Run(
                messages,
                finished,
                seconds,
                Probes.cpuSeconds(pid) - cpuBefore,
                allocatedBytes() - allocatedBefore,
                Probes.cpuSeconds(brokerPid) - brokerCpuBefore);
    }

    /**
     * The bytes allocated on the heap so far by the threads of this JVM that are alive (every library keeps
     * its threads while it is measured), or 0 where the JVM does not count them. Unlike CPU time it does
     * not depend on what else runs on the machine.
     */
    private static long allocatedBytes() {
        if (!(ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean threads)
                || !threads.isThreadAllocatedMemorySupported()) {
            return 0;
        }
        long sum = 0;
        for (long bytes : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            sum += Math.max(0, bytes); // -1: the thread ended meanwhile
        }
        return sum;
    }

    /**
     * Publishes until {@code messages} are sent or the deadline, then waits until every one finished or
     * {@code waitDeadline}; returns how many finished (acknowledged and, where the library says so apart,
     * stored).
     */
    private static long drive(Settings s, long messages, long deadline, long waitDeadline, Sender sender)
            throws Exception {
        Semaphore window = new Semaphore(s.window());
        Semaphore finishedPermits = new Semaphore(0);
        AtomicLong finished = new AtomicLong();
        byte[] payload = new byte[s.payload()];
        int sent = 0;
        for (long i = 0; i < messages && System.nanoTime() < deadline; i++) {
            if (!window.tryAcquire(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                break;
            }
            new Tracked(sender.send(payload), window, finished, finishedPermits);
            sent++;
        }
        finishedPermits.tryAcquire(sent, Math.max(1, waitDeadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        return finished.get();
    }

    /** A connected berth-client on {@code store}, closed with {@code open}. */
    private static Sender berth(int port, ClientSessionStore store, List<AutoCloseable> open) throws Exception {
        MqttClient c = MqttClient.builder()
                .serverAddress("127.0.0.1", port)
                .clientId("bench-berth-client-" + open.size())
                .sessionStore(store)
                .build();
        open.add(c);
        c.connect().get(30, TimeUnit.SECONDS);
        return p -> Sent.acknowledgedAndStored(c.publish(Message.of("bench/client/berth", p, QoS.AT_LEAST_ONCE)));
    }

    /** A connected HiveMQ client, disconnected with {@code open}. */
    private static Sender hivemq(int port, List<AutoCloseable> open) throws Exception {
        Mqtt5AsyncClient c = com.hivemq.client.mqtt.MqttClient.builder()
                .useMqttVersion5()
                .identifier("bench-hivemq-client")
                .serverHost("127.0.0.1")
                .serverPort(port)
                .buildAsync();
        c.connect().get(30, TimeUnit.SECONDS);
        open.add(() -> c.disconnect().get(10, TimeUnit.SECONDS));
        return p -> Sent.acknowledged(c.publishWith()
                .topic("bench/client/hivemq")
                .qos(MqttQos.AT_LEAST_ONCE)
                .payload(p)
                .send());
    }

    private static Run paho(int port, long brokerPid, Settings s, Path dir) throws Exception {
        MqttAsyncClient c = new MqttAsyncClient(
                "tcp://127.0.0.1:" + port, "bench-paho", new MqttDefaultFilePersistence(dir.toString()));
        MqttConnectOptions o = new MqttConnectOptions();
        o.setMaxInflight(s.window() + 1);
        o.setCleanSession(true);
        c.connect(o).waitForCompletion(30_000);
        try {
            Sender sender = p -> {
                CompletableFuture<Void> done = new CompletableFuture<>();
                c.publish("bench/client/paho", p, 1, false, null, new IMqttActionListener() {
                    @Override
                    public void onSuccess(IMqttToken token) {
                        done.complete(null);
                    }

                    @Override
                    public void onFailure(IMqttToken token, Throwable e) {
                        done.completeExceptionally(e);
                    }
                });
                return Sent.acknowledged(done);
            };
            warm(s, sender);
            return measure(s, s.onlineMessages(), sender, brokerPid);
        } finally {
            c.disconnect().waitForCompletion(10_000);
            c.close();
        }
    }
}
