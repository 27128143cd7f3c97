package io.berth.bench.artemis;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;

/**
 * Runs ActiveMQ Artemis embedded, as a benchmark peer: {@code ArtemisMain HOME PORT}. One MQTT acceptor on
 * 127.0.0.1:PORT, the persistent journal under {@code HOME} with {@code journal-sync-transactional} and
 * {@code journal-sync-non-transactional} on (so a QoS 1/2 publish is acknowledged only after the journal
 * holding it was synced), security off (every client allowed), JMX off, audit logging off (as in Artemis's
 * own distribution). Prints
 * {@code Artemis listening on 127.0.0.1:PORT; journal TYPE} when ready and stops cleanly on SIGTERM.
 */
public final class ArtemisMain {
    private ArtemisMain() {}

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        EmbeddedActiveMQ artemis = start(home, port);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                artemis.stop();
                            } catch (Exception e) {
                                e.printStackTrace();
                            } finally {
                                stopped.countDown();
                            }
                        },
                        "artemis-shutdown"));
        System.out.println("Artemis listening on 127.0.0.1:" + port + "; journal "
                + artemis.getActiveMQServer().getConfiguration().getJournalType());
        System.out.flush();
        stopped.await();
    }

    /** Starts Artemis on {@code home} (created when missing) with MQTT on 127.0.0.1:{@code port}. */
    public static EmbeddedActiveMQ start(Path home, int port) throws Exception {
        // Artemis's audit loggers write a line per message at INFO; its own distribution turns them off.
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.activemq.audit", "off");
        Files.createDirectories(home);
        EmbeddedActiveMQ artemis = new EmbeddedActiveMQ();
        artemis.setConfiguration(configuration(home, port));
        return artemis.start();
    }

    static Configuration configuration(Path home, int port) throws Exception {
        ConfigurationImpl c = new ConfigurationImpl();
        c.setName("berth-bench-artemis");
        c.setPersistenceEnabled(true);
        c.setJournalDirectory(home.resolve("journal").toString());
        c.setBindingsDirectory(home.resolve("bindings").toString());
        c.setPagingDirectory(home.resolve("paging").toString());
        c.setLargeMessagesDirectory(home.resolve("large-messages").toString());
        // Acknowledge only what the journal synced: a PUBACK/PUBREC waits for the fsync, as Berth's does.
        c.setJournalSyncTransactional(true);
        c.setJournalSyncNonTransactional(true);
        c.setJournalDatasync(true);
        // The journal type is Artemis's default: ASYNCIO (libaio) where the library is installed, else NIO.
        c.setSecurityEnabled(false);
        c.setJMXManagementEnabled(false);
        // The shared benchmark disk must not make it refuse producers (its default blocks them at 90 % full).
        c.setMaxDiskUsage(-1);
        c.addAcceptorConfiguration("mqtt", "tcp://127.0.0.1:" + port + "?protocols=MQTT");
        return c;
    }
}
