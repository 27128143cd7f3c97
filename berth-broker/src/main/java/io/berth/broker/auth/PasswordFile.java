package io.berth.broker.auth;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The users of a password file: one {@code username:hash} line each (see {@link PasswordHasher}),
 * optionally followed by {@code :scram} with the SCRAM-SHA-256 keys ({@link ScramCredentials}); empty
 * lines and lines starting with {@code #} are ignored. A username may not contain {@code :}.
 *
 * <p>Threading: immutable; {@link #write} replaces the file atomically (write a temporary file, then
 * rename), so that a broker reloading it never reads half a file.
 */
public final class PasswordFile {
    private final Map<String, String> hashes;
    private final Map<String, ScramCredentials> scram;

    private PasswordFile(Map<String, String> hashes, Map<String, ScramCredentials> scram) {
        this.hashes = Collections.unmodifiableMap(hashes);
        this.scram = Collections.unmodifiableMap(scram);
    }

    public static PasswordFile empty() {
        return new PasswordFile(new TreeMap<>(), new TreeMap<>());
    }

    /** Reads {@code file}; a malformed line is an error naming the file and the line. */
    public static PasswordFile read(Path file) throws IOException {
        Map<String, String> hashes = new TreeMap<>();
        Map<String, ScramCredentials> scram = new TreeMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split(":", -1);
            if (fields.length < 2
                    || fields.length > 3
                    || fields[0].isEmpty()
                    || !PasswordHasher.wellFormed(fields[1])) {
                throw new IOException(file + ": line " + (i + 1) + ": expected username:$pbkdf2-sha512$...");
            }
            hashes.put(fields[0], fields[1]);
            if (fields.length == 3) {
                try {
                    scram.put(fields[0], ScramCredentials.parse(fields[2]));
                } catch (IllegalArgumentException e) {
                    throw new IOException(file + ": line " + (i + 1) + ": SCRAM keys: " + e.getMessage());
                }
            }
        }
        return new PasswordFile(hashes, scram);
    }

    /** The stored hash of {@code user}, or null. */
    public @Nullable String hashOf(String user) {
        return hashes.get(user);
    }

    /** The SCRAM-SHA-256 keys of {@code user}, or null. */
    public @Nullable ScramCredentials scramOf(String user) {
        return scram.get(user);
    }

    public List<String> users() {
        return new ArrayList<>(hashes.keySet());
    }

    public PasswordFile with(String user, String hash) {
        return with(user, hash, null);
    }

    /** A copy with {@code user}'s hash and SCRAM keys (null: none) replaced. */
    public PasswordFile with(String user, String hash, @Nullable ScramCredentials keys) {
        checkName(user);
        Map<String, String> copy = new TreeMap<>(hashes);
        copy.put(user, hash);
        Map<String, ScramCredentials> scramCopy = new TreeMap<>(scram);
        if (keys == null) {
            scramCopy.remove(user);
        } else {
            scramCopy.put(user, keys);
        }
        return new PasswordFile(copy, scramCopy);
    }

    /**
     * Refuses a name that this file could not store and read back unchanged: empty, with {@code :}, with a
     * control character (a line break would split the line), or with leading or trailing white space
     * (stripped when the file is read).
     */
    public static void checkName(String user) {
        if (user.isEmpty() || user.indexOf(':') >= 0) {
            throw new IllegalArgumentException("a username must not be empty nor contain ':'");
        }
        if (!user.strip().equals(user)) {
            throw new IllegalArgumentException("a username must not start or end with white space");
        }
        for (int i = 0; i < user.length(); i++) {
            if (LogText.isControl(user.charAt(i))) {
                throw new IllegalArgumentException(
                        "a username must not contain control characters (such as a line " + "break or tab)");
            }
        }
    }

    public PasswordFile without(String user) {
        Map<String, String> copy = new TreeMap<>(hashes);
        copy.remove(user);
        Map<String, ScramCredentials> scramCopy = new TreeMap<>(scram);
        scramCopy.remove(user);
        return new PasswordFile(copy, scramCopy);
    }

    /** Writes the file atomically, readable by its owner only where the file system allows it. */
    public void write(Path file) throws IOException {
        StringBuilder sb = new StringBuilder("# Berth password file: managed by 'berth passwd'\n");
        hashes.forEach((u, h) -> {
            sb.append(u).append(':').append(h);
            ScramCredentials keys = scram.get(u);
            if (keys != null) {
                sb.append(':').append(keys.format());
            }
            sb.append('\n');
        });
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, ".passwd", ".tmp");
        try {
            Files.writeString(tmp, sb, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
