package io.berth.bench.peer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Reads figures of a broker process and of the machine from /proc and from the JDK's {@code jcmd}. */
public final class Probes {
    private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");
    /** CPU ticks of the whole machine at the previous {@link #loadAverage}: all of them, and the stolen ones. */
    private static long @Nullable [] lastTicks;

    private Probes() {}

    /** Resident set size of {@code pid} in bytes, or -1 when unknown. */
    public static long rss(long pid) throws IOException {
        if (pid < 0) {
            return -1;
        }
        Matcher m = RSS.matcher(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
        return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
    }

    /** Clock ticks per second of /proc/PID/stat (USER_HZ, 100 on Linux). */
    private static final double TICKS_PER_SECOND = 100;

    /** CPU time (user + system) that process {@code pid} used so far, in seconds, or NaN when unknown. */
    public static double cpuSeconds(long pid) {
        if (pid < 0) {
            return Double.NaN;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // fields after the command name (which may hold spaces), counted from field 3 (state)
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** Runs a full GC in JVM {@code pid}, then returns its heap in use (bytes) as GC.heap_info says. */
    public static long heapUsedAfterGc(long pid) throws IOException, InterruptedException {
        jcmd(pid, "GC.run");
        Matcher m = HEAP_USED.matcher(jcmd(pid, "GC.heap_info"));
        return m.find() ? Long.parseLong(m.group(1)) * 1024 : -1;
    }

    /** Output of {@code jcmd pid command}, from the JDK that runs this benchmark. */
    public static String jcmd(long pid, String... command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        List<String> cmd = new java.util.ArrayList<>(List.of(jcmd.toString(), Long.toString(pid)));
        cmd.addAll(List.of(command));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("jcmd " + String.join(" ", command) + " failed: " + out);
        }
        return out;
    }

    /**
     * The machine's load averages (1, 5, 15 min) from /proc/loadavg, followed by the share of the machine's
     * CPU time that its hypervisor gave to others ("steal", from /proc/stat) since the previous call: on a
     * shared virtual machine that, more than the load, is what makes two runs of the same build differ.
     * Threading: the bench's own thread.
     */
    public static String loadAverage() {
        String load;
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            load = f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            load = "unknown";
        }
        long[] now = cpuTicks();
        long[] before = lastTicks;
        if (now != null) {
            lastTicks = now;
        }
        return now == null || before == null ? load : load + ", " + steal(before, now);
    }

    /** "steal N %": the stolen share of the ticks between two readings of {@link #cpuTicks}. */
    static String steal(long[] before, long[] after) {
        long total = after[0] - before[0];
        long stolen = after[1] - before[1];
        return total <= 0 ? "steal n/a" : String.format(Locale.ROOT, "steal %d %%", Math.round(100.0 * stolen / total));
    }

    /** All and stolen CPU ticks of the machine, from the first line of /proc/stat; null when unreadable. */
    static long @Nullable [] cpuTicks() {
        try {
            return parseCpuLine(Files.readAllLines(Path.of("/proc/stat")).get(0));
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Parses {@code cpu user nice system idle iowait irq softirq steal [guest guest_nice]}: the first eight
     * counters add up to the machine's time (guest time is counted in user already).
     */
    static long[] parseCpuLine(String line) {
        String[] f = line.trim().split("\\s+");
        if (!f[0].equals("cpu") || f.length < 9) {
            throw new IllegalArgumentException("not the cpu line of /proc/stat: " + line);
        }
        long total = 0;
        for (int i = 1; i <= 8; i++) {
            total += Long.parseLong(f[i]);
        }
        return new long[] {total, Long.parseLong(f[8])};
    }
}
