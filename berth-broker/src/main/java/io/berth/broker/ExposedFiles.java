package io.berth.broker;

import io.berth.broker.config.BrokerConfig;
import io.berth.broker.config.Durability;
import io.berth.broker.config.ListenerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns at start about secrets that other local users can read: the data folder (queued and retained
 * payloads), the password file, the ACL file and TLS private keys. Mosquitto 2 warns the same way.
 *
 * <p>Threading: stateless.
 */
final class ExposedFiles {
    private static final Logger LOG = LoggerFactory.getLogger(ExposedFiles.class);

    private ExposedFiles() {}

    /** The warnings for {@code config}'s files, also logged; empty when all are private. */
    static List<String> warn(BrokerConfig config) {
        List<String> warnings = new ArrayList<>();
        if (config.durability() != Durability.MEMORY) {
            check(warnings, "data folder", config.dataDir());
        }
        check(warnings, "password file", config.security().passwordFile());
        check(warnings, "ACL file", config.security().aclFile());
        for (ListenerConfig l : config.listeners()) {
            check(warnings, "TLS key", l.keyFile());
        }
        warnings.forEach(LOG::warn);
        return warnings;
    }

    private static void check(List<String> warnings, String what, @Nullable Path file) {
        if (file == null || !Files.exists(file)) {
            return;
        }
        Set<PosixFilePermission> mode;
        try {
            mode = Files.getPosixFilePermissions(file);
        } catch (UnsupportedOperationException | IOException e) {
            return;
        }
        boolean group = mode.contains(PosixFilePermission.GROUP_READ);
        boolean others = mode.contains(PosixFilePermission.OTHERS_READ);
        if (group || others) {
            warnings.add(String.format(
                    "the %s %s is readable by %s: run 'chmod %s %s'",
                    what,
                    file,
                    others ? "every local user" : "its group",
                    Files.isDirectory(file) ? "700" : "600",
                    file));
        }
    }
}
