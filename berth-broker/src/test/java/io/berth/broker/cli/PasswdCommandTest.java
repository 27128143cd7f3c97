package io.berth.broker.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.broker.auth.PasswordFile;
import io.berth.broker.auth.PasswordHasher;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code berth passwd}: the password comes from stdin (no console in tests), never from the arguments. */
class PasswdCommandTest {
    private final InputStream stdin = System.in;
    private final PrintStream stdout = System.out;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    @TempDir
    Path dir;

    @AfterEach
    void restore() {
        System.setIn(stdin);
        System.setOut(stdout);
    }

    private int run(String input, String... args) {
        System.setIn(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)));
        out.reset();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        return new CommandLine(new Main()).execute(args);
    }

    @Test
    void addListRemove_manageTheFile() throws Exception {
        Path file = dir.resolve("passwd");
        assertThat(run("s3cret\n", "passwd", "add", file.toString(), "alice", "--scram-iterations", "4096"))
                .isZero();
        assertThat(run("other\n", "passwd", "add", file.toString(), "bob", "--scram-iterations", "0"))
                .isZero();
        PasswordFile f = PasswordFile.read(file);
        assertThat(PasswordHasher.verify("s3cret".getBytes(StandardCharsets.UTF_8), f.hashOf("alice")))
                .isTrue();
        assertThat(f.scramOf("alice").iterations()).isEqualTo(4096);
        assertThat(f.scramOf("bob")).isNull();
        assertThat(Files.readString(file)).doesNotContain("s3cret");

        assertThat(run("", "passwd", "list", file.toString())).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("alice\nbob\n");

        assertThat(run("", "passwd", "remove", file.toString(), "alice")).isZero();
        assertThat(PasswordFile.read(file).users()).containsExactly("bob");
        assertThat(run("", "passwd", "remove", file.toString(), "alice")).isEqualTo(1);
    }

    @Test
    void emptyPassword_isRefused() {
        Path file = dir.resolve("passwd");
        assertThat(run("\n", "passwd", "add", file.toString(), "alice")).isEqualTo(1);
        assertThat(file).doesNotExist();
    }

    @Test
    void namesWithControlCharactersOrOuterSpaces_areRefused_andTheFileStaysReadable() throws Exception {
        Path file = dir.resolve("passwd");
        assertThat(run("pw\n", "passwd", "add", file.toString(), "bad\rname")).isEqualTo(1);
        assertThat(run("pw\n", "passwd", "add", file.toString(), " alice")).isEqualTo(1);
        assertThat(run("pw\n", "passwd", "add", file.toString(), "alice", "--scram-iterations", "0"))
                .isZero();
        assertThat(run("", "passwd", "list", file.toString())).isZero();
    }
}
