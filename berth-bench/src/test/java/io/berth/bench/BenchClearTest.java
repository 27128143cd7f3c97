package io.berth.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchClearTest {
    @TempDir
    Path work;

    @Test
    void aReusedWorkFolder_losesWhatAnEarlierRunLeftForTheScenarioAndPeer_andNothingElse() throws Exception {
        Files.createDirectories(work.resolve("online-qos1-mosquitto"));
        Files.writeString(work.resolve("online-qos1-mosquitto/mosquitto.db"), "old sessions");
        Files.writeString(work.resolve("online-qos1-mosquitto-broker.log"), "old log");
        Files.createDirectories(work.resolve("cluster-qos1-berth-fsync-n1/raft"));
        Files.createDirectories(work.resolve("online-qos1-2000-mosquitto"));
        Files.writeString(work.resolve("berth-fsync.jsa"), "archive");

        Bench.clear(work, "online-qos1-mosquitto");
        Bench.clear(work, "cluster-qos1-berth-fsync");

        assertThat(work.resolve("online-qos1-mosquitto")).doesNotExist();
        assertThat(work.resolve("online-qos1-mosquitto-broker.log")).doesNotExist();
        assertThat(work.resolve("cluster-qos1-berth-fsync-n1")).doesNotExist();
        assertThat(work.resolve("online-qos1-2000-mosquitto")).isDirectory();
        assertThat(work.resolve("berth-fsync.jsa")).exists();
    }
}
