package io.berth.broker.cluster;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.SnapshotInfo;
import org.apache.ratis.statemachine.SnapshotRetentionPolicy;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.impl.FileListSnapshotInfo;
import org.jspecify.annotations.Nullable;

/**
 * The snapshots of the session group on this node: each one a RocksDB checkpoint of the replica in
 * {@code <data>/raft/<group>/sm/snapshot.<term>_<index>/}, taken once every entry up to {@code index}
 * was applied. Ratis purges the log behind the latest one, sends its files to a follower that needs
 * entries no longer in the log, and puts the files it received in this folder (replacing it whole).
 *
 * <p>Threading: {@link #init}, {@link #take} and {@link #refresh} on Ratis' state machine thread; {@link
 * #getLatestSnapshot} from any thread (a volatile field).
 */
final class ReplicaSnapshots implements StateMachineStorage {
    private static final Pattern NAME = Pattern.compile("snapshot\\.(\\d+)_(\\d+)");

    private @Nullable File dir;
    private volatile @Nullable FileListSnapshotInfo latest;

    /** Writes a checkpoint into a folder that does not exist yet. */
    interface Checkpointer {
        void write(Path target) throws IOException;
    }

    @Override
    public void init(RaftStorage storage) throws IOException {
        File d = storage.getStorageDir().getStateMachineDir();
        Files.createDirectories(d.toPath());
        dir = d;
        refresh();
    }

    private File dir() {
        File d = dir;
        if (d == null) {
            throw new IllegalStateException("snapshot storage used before init");
        }
        return d;
    }

    @Override
    public @Nullable SnapshotInfo getLatestSnapshot() {
        return latest;
    }

    /** The folder of the latest snapshot, or null. */
    @Nullable
    Path latestFolder() {
        FileListSnapshotInfo l = latest;
        return l == null ? null : folder(l.getTermIndex());
    }

    private Path folder(TermIndex at) {
        return dir().toPath().resolve("snapshot." + at.getTerm() + "_" + at.getIndex());
    }

    /** Looks at the folder again (after Ratis installed a snapshot received from the leader). */
    void refresh() throws IOException {
        TermIndex best = null;
        File[] entries = dir().listFiles();
        if (entries != null) {
            for (File f : entries) {
                Matcher m = NAME.matcher(f.getName());
                if (f.isDirectory() && m.matches()) {
                    TermIndex at = TermIndex.valueOf(Long.parseLong(m.group(1)), Long.parseLong(m.group(2)));
                    if (best == null || at.getIndex() > best.getIndex()) {
                        best = at;
                    }
                }
            }
        }
        latest = best == null ? null : new FileListSnapshotInfo(files(folder(best)), best);
    }

    private static List<FileInfo> files(Path folder) throws IOException {
        List<FileInfo> out = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(folder)) {
            for (Path p : (Iterable<Path>) walk::iterator) {
                if (Files.isRegularFile(p) && !p.getFileName().toString().endsWith(".md5")) {
                    out.add(new FileInfo(p.toAbsolutePath(), null));
                }
            }
        }
        return out;
    }

    /** Takes the snapshot of {@code at}: {@code writer} fills a fresh folder, which then gets its name. */
    void take(TermIndex at, Checkpointer writer) throws IOException {
        Path target = folder(at);
        if (Files.exists(target)) {
            return;
        }
        Path partial = dir().toPath().resolve("partial." + at.getTerm() + "_" + at.getIndex());
        Replica.deleteTree(partial);
        writer.write(partial);
        Files.move(partial, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        refresh();
    }

    @Override
    public void format() {}

    @Override
    public void cleanupOldSnapshots(SnapshotRetentionPolicy policy) throws IOException {
        int keep = Math.max(1, policy.getNumSnapshotsRetained());
        File[] entries = dir().listFiles();
        if (entries == null) {
            return;
        }
        List<File> snapshots = new ArrayList<>();
        for (File f : entries) {
            if (f.isDirectory() && NAME.matcher(f.getName()).matches()) {
                snapshots.add(f);
            }
        }
        snapshots.sort(Comparator.comparingLong((File f) -> {
                    Matcher m = NAME.matcher(f.getName());
                    return m.matches() ? Long.parseLong(m.group(2)) : 0;
                })
                .reversed());
        for (int i = keep; i < snapshots.size(); i++) {
            Replica.deleteTree(snapshots.get(i).toPath());
        }
    }

    @Override
    public @Nullable File getSnapshotDir() {
        return dir;
    }

    @Override
    public @Nullable File getTmpDir() {
        return null; // Ratis' own tmp folder of the group
    }
}
