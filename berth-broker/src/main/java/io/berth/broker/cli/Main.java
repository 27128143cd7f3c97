package io.berth.broker.cli;

import io.berth.broker.store.rocksdb.RocksSessionStore;
import io.netty.util.ResourceLeakDetector;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code berth}: the entry point of the command line. */
@Command(
        name = "berth",
        mixinStandardHelpOptions = true,
        version = "Berth 0.1.0",
        description = "An MQTT 3.1.1 and 5.0 broker that keeps what it acknowledged.",
        subcommands = {ServeCommand.class, AdminCommand.class, PasswdCommand.class})
public final class Main implements Runnable {

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    public static void main(String[] args) {
        int code;
        if (args.length > 0 && args[0].equals("serve")) {
            // in parallel with parsing the command line and the configuration (a start after a crash waits
            // for nothing else as long)
            RocksSessionStore.preloadNativeLibrary();
            quietLeakDetector();
            // only the command that runs: picocli builds the model of every command it is given by
            // reflection, which costs a start more than parsing its own options (the usage and the errors
            // read the same: "berth serve")
            code = new CommandLine(new ServeCommand())
                    .setCommandName("berth serve")
                    .execute(Arrays.copyOfRange(args, 1, args.length));
        } else {
            code = new CommandLine(new Main()).execute(args);
        }
        if (code != 0) {
            System.exit(code);
        }
    }

    /**
     * Netty's default leak detector tracks one buffer allocation in 128 and records where it was made,
     * which filling a Throwable's stack trace on an event loop costs (1.8 % of the loops' CPU samples while
     * queueing messages for offline sessions). A broker process runs without it unless
     * {@code -Dio.netty.leakDetection.level} asks for a level (the tests run {@code paranoid}).
     */
    static void quietLeakDetector() {
        if (System.getProperty("io.netty.leakDetection.level") == null) {
            ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        }
    }
}
