package io.berth.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Facts about the machine, for the report. */
final class Machine {
    private Machine() {}

    static String describe() {
        String cpu = grep("/proc/cpuinfo", "model name");
        String mem = grep("/proc/meminfo", "MemTotal");
        return String.format(
                "%s; %d cores visible to the JVM; %s; Linux %s; %s %s",
                cpu.isEmpty() ? "CPU unknown" : cpu.replaceAll("\\s+", " "),
                Runtime.getRuntime().availableProcessors(),
                mem.isEmpty() ? "memory unknown" : "memory " + mem.replaceAll("\\s+", " "),
                System.getProperty("os.version"),
                System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"));
    }

    private static String grep(String file, String key) {
        try {
            return Files.readAllLines(Path.of(file)).stream()
                    .filter(l -> l.startsWith(key))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim())
                    .findFirst()
                    .orElse("");
        } catch (IOException e) {
            return "";
        }
    }
}
