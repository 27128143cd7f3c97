package io.berth.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.broker.config.BrokerConfig;
import io.berth.broker.config.Durability;
import io.berth.broker.config.SecurityConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A warning at start for each secret file other local users can read. */
class ExposedFilesTest {
    @TempDir
    Path dir;

    private Path file(String name, String mode) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, "everyone\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
        return p;
    }

    @Test
    void readableAclAndDataFolder_areNamed_privateOnesAreNot() throws Exception {
        Path acl = file("berth.acl", "rw-r--r--");
        Path passwords = file("passwd", "rw-------");
        Path data = dir.resolve("data");
        Files.createDirectories(data);
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-x---"));
        BrokerConfig config = BrokerConfig.builder()
                .dataDir(data)
                .durability(Durability.FSYNC)
                .security(SecurityConfig.DEFAULT.withAclFile(acl).withPasswordFile(passwords))
                .build();
        assertThat(ExposedFiles.warn(config))
                .hasSize(2)
                .anyMatch(w -> w.contains("ACL file " + acl) && w.contains("every local user"))
                .anyMatch(w -> w.contains("data folder " + data) && w.contains("its group"));
    }

    @Test
    void brokerStart_makesItsDataFolderPrivate_soNothingToWarnAbout() throws Exception {
        Path data = dir.resolve("store");
        try (Berth berth = Berth.builder().port(0).dataDir(data).build().start()) {
            assertThat(ExposedFiles.warn(berth.config())).isEmpty();
        }
    }
}
