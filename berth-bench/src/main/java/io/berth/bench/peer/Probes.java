package io.berth.bench.peer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads memory figures of a broker process from /proc and from the JDK's {@code jcmd}. */
public final class Probes {
    private static final Pattern RSS = Pattern.compile("VmRSS:\\s+(\\d+) kB");
    private static final Pattern HEAP_USED = Pattern.compile("used (\\d+)K");

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

    /** The machine's 1-minute load average, as /proc/loadavg says. */
    public static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
