package io.berth.bench.report;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * Sums up a JFR recording of a broker under load as markdown, with the JDK 17 consumer API (no
 * {@code jfr view} needed): CPU by thread, where Java code runs, where threads wait in native code
 * (syscalls such as fsync behind RocksDB's write), GC pauses and lock contention.
 * {@code java -cp berth-bench.jar io.berth.bench.report.ProfileSummary FILE.jfr [TITLE]}.
 */
public final class ProfileSummary {
    private static final int TOP = 8;

    private ProfileSummary() {}

    public static void main(String[] args) throws IOException {
        System.out.print(summarize(Path.of(args[0]), args.length > 1 ? args[1] : "Profile"));
    }

    static String summarize(Path file, String title) throws IOException {
        Map<String, double[]> cpu = new HashMap<>();
        Map<String, Integer> hot = new HashMap<>();
        Map<String, Integer> nativeWait = new HashMap<>();
        Map<String, Integer> locks = new HashMap<>();
        Map<String, Integer> berth = new HashMap<>();
        Duration gcTotal = Duration.ZERO;
        Duration gcMax = Duration.ZERO;
        int gcs = 0;
        int cpuSamples = 0;
        for (RecordedEvent e : RecordingFile.readAllEvents(file)) {
            switch (e.getEventType().getName()) {
                case "jdk.ThreadCPULoad" -> {
                    RecordedThread t = e.getThread("eventThread");
                    String name = t == null ? "?" : t.getJavaName();
                    double[] v = cpu.computeIfAbsent(name, n -> new double[2]);
                    v[0] += e.getFloat("user") + e.getFloat("system");
                    v[1]++;
                }
                case "jdk.CPULoad" -> cpuSamples++;
                case "jdk.ExecutionSample" -> {
                    count(hot, top(e.getStackTrace(), false));
                    countBerth(berth, e, "on CPU");
                }
                case "jdk.NativeMethodSample" -> {
                    String where = top(e.getStackTrace(), true);
                    count(nativeWait, where);
                    if (!where.startsWith("ch.EPoll.wait")) {
                        countBerth(berth, e, "in " + top(e.getStackTrace(), false));
                    }
                }
                case "jdk.JavaMonitorEnter" ->
                    count(locks, e.getClass("monitorClass").getName() + " at " + top(e.getStackTrace(), false));
                case "jdk.GarbageCollection" -> {
                    Duration d = e.getDuration("sumOfPauses");
                    gcTotal = gcTotal.plus(d);
                    gcMax = d.compareTo(gcMax) > 0 ? d : gcMax;
                    gcs++;
                }
                default -> {}
            }
        }
        StringBuilder md = new StringBuilder("### ").append(title).append("\n\n");
        md.append("CPU by thread (mean share of the machine while recorded):\n\n| thread | CPU |\n|---|---|\n");
        cpu.entrySet().stream()
                .sorted((a, b) -> Double.compare(b.getValue()[0] / b.getValue()[1], a.getValue()[0] / a.getValue()[1]))
                .limit(TOP)
                .forEach(en -> md.append("| ")
                        .append(en.getKey())
                        .append(" | ")
                        .append(String.format("%.1f%%", 100 * en.getValue()[0] / en.getValue()[1]))
                        .append(" |\n"));
        table(
                md,
                "Busy samples of Berth's threads (and main, which recovers at start) by the innermost Berth method (Java on CPU, or a native call"
                        + " such as RocksDB's write with its fsync; idle epoll waits left out)",
                berth);
        table(md, "Java methods on CPU (top frame of execution samples)", hot);
        table(md, "Native methods threads sit in (samples; epoll waits are idle I/O threads)", nativeWait);
        if (!locks.isEmpty()) {
            table(md, "Contended monitors", locks);
        }
        md.append(String.format(
                "%nGC: %d collections, pauses %d ms in total, longest %d ms.%n%n",
                gcs, gcTotal.toMillis(), gcMax.toMillis()));
        return md.toString();
    }

    private static void table(StringBuilder md, String title, Map<String, Integer> counts) {
        int total = counts.values().stream().mapToInt(Integer::intValue).sum();
        md.append('\n').append(title).append(", ").append(total).append(" samples:\n\n| where | share |\n|---|---|\n");
        Map<String, Integer> sorted = counts.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(TOP)
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a, LinkedHashMap::new));
        sorted.forEach((k, v) -> md.append("| `")
                .append(k)
                .append("` | ")
                .append(String.format("%.1f%%", 100.0 * v / Math.max(1, total)))
                .append(" |\n"));
    }

    /** Counts a sample of a {@code berth-*} thread (or main, which opens the store) under its innermost Berth frame. */
    private static void countBerth(Map<String, Integer> m, RecordedEvent e, String what) {
        RecordedThread t = e.getThread("sampledThread");
        if (t == null
                || t.getJavaName() == null
                || e.getStackTrace() == null
                || !(t.getJavaName().startsWith("berth-") || t.getJavaName().equals("main"))) {
            return;
        }
        for (RecordedFrame f : e.getStackTrace().getFrames()) {
            if (f.getMethod().getType().getName().startsWith("io.berth.")) {
                String thread = t.getJavaName().replaceAll("-\\d+(-\\d+)*$", "");
                count(m, name(f) + " (" + thread + ", " + what + ")");
                return;
            }
        }
    }

    private static void count(Map<String, Integer> m, String key) {
        m.merge(key, 1, Integer::sum);
    }

    /** The top frame, or for native samples the top frame with the Java caller below it. */
    private static String top(RecordedStackTrace st, boolean withCaller) {
        if (st == null || st.getFrames().isEmpty()) {
            return "?";
        }
        List<RecordedFrame> f = st.getFrames();
        String s = name(f.get(0));
        if (withCaller) {
            for (int i = 1; i < f.size(); i++) {
                String type = f.get(i).getMethod().getType().getName();
                if (!type.startsWith("org.rocksdb") && !type.startsWith("sun.nio") && !type.startsWith("java.")) {
                    return s + " ← " + name(f.get(i));
                }
            }
        }
        return s;
    }

    private static String name(RecordedFrame fr) {
        String type = fr.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.', type.lastIndexOf('.') - 1) + 1) + "."
                + fr.getMethod().getName();
    }
}
