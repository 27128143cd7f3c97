package io.berth.broker.cli;

import io.berth.broker.auth.PasswordFile;
import io.berth.broker.auth.PasswordHasher;
import io.berth.broker.auth.ScramCredentials;
import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code berth passwd add|remove|list FILE [USER]}: manages a password file. The password is read from
 * the console (twice, not echoed) or, without a console, from the first line of standard input; never
 * from the command line, where other users could see it.
 */
@Command(
        name = "passwd",
        mixinStandardHelpOptions = true,
        description = "Manage a password file: add or change a user, remove one, list them.",
        subcommands = {PasswdCommand.Add.class, PasswdCommand.Remove.class, PasswdCommand.List.class})
final class PasswdCommand implements Runnable {
    @Override
    public void run() {
        picocli.CommandLine.usage(this, System.out);
    }

    static PasswordFile open(Path file) throws IOException {
        return Files.exists(file) ? PasswordFile.read(file) : PasswordFile.empty();
    }

    @Command(name = "add", description = "Add a user or change its password (read from the console or stdin).")
    static final class Add implements Callable<Integer> {
        @Parameters(index = "0", description = "password file (created if missing)")
        Path file;

        @Parameters(index = "1", description = "username")
        String user;

        @Option(
                names = "--scram-iterations",
                description = "PBKDF2 iterations of the SCRAM-SHA-256 keys that "
                        + "clients repeat at each SCRAM login (default ${DEFAULT-VALUE}); 0 stores no SCRAM keys")
        int scramIterations = ScramCredentials.DEFAULT_ITERATIONS;

        @Override
        public Integer call() throws IOException {
            if (scramIterations < 0 || (scramIterations > 0 && scramIterations < 4096)) {
                System.err.println("berth: --scram-iterations must be 0 or at least 4096 (RFC 7677)");
                return 2;
            }
            char[] password = readPassword();
            if (password == null || password.length == 0) {
                System.err.println("berth: no password given");
                return 1;
            }
            try {
                ScramCredentials scram =
                        scramIterations == 0 ? null : ScramCredentials.derive(password, scramIterations);
                open(file).with(user, PasswordHasher.hash(password), scram).write(file);
            } catch (IllegalArgumentException e) {
                System.err.println("berth: " + e.getMessage());
                return 1;
            } finally {
                Arrays.fill(password, '\0');
            }
            System.out.println("user '" + user + "' saved in " + file);
            return 0;
        }

        private static char @Nullable [] readPassword() throws IOException {
            Console console = System.console();
            if (console != null) {
                char[] first = console.readPassword("Password: ");
                char[] second = console.readPassword("Repeat: ");
                if (first == null || !Arrays.equals(first, second)) {
                    System.err.println("berth: the passwords differ");
                    return null;
                }
                Arrays.fill(second, '\0');
                return first;
            }
            String line = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            return line == null ? null : line.toCharArray();
        }
    }

    @Command(name = "remove", description = "Remove a user.")
    static final class Remove implements Callable<Integer> {
        @Parameters(index = "0", description = "password file")
        Path file;

        @Parameters(index = "1", description = "username")
        String user;

        @Override
        public Integer call() throws IOException {
            PasswordFile f = open(file);
            if (f.hashOf(user) == null) {
                System.err.println("berth: no user '" + user + "' in " + file);
                return 1;
            }
            f.without(user).write(file);
            System.out.println("user '" + user + "' removed from " + file);
            return 0;
        }
    }

    @Command(name = "list", description = "List the users.")
    static final class List implements Callable<Integer> {
        @Parameters(index = "0", description = "password file")
        Path file;

        @Override
        public Integer call() throws IOException {
            open(file).users().forEach(System.out::println);
            return 0;
        }
    }
}
