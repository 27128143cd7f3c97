package io.berth.broker.cli;

import io.berth.broker.Berth;
import io.berth.broker.FatalErrors;
import io.berth.broker.admin.AdminToken;
import io.berth.broker.config.BrokerConfig;
import io.berth.broker.config.ConfigFile;
import io.berth.broker.config.Durability;
import io.berth.codec.transport.NettyTransport;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code berth serve}: runs the broker until SIGTERM or SIGINT. */
@Command(name = "serve", mixinStandardHelpOptions = true, description = "Run the broker.")
final class ServeCommand implements Callable<Integer> {

    @Option(names = "--config", description = "YAML file with any of the options below (command line wins)")
    @Nullable
    Path config;

    @Option(names = "--bind", description = "Address to listen on (default 127.0.0.1)")
    @Nullable
    String bind;

    @Option(names = "--port", description = "TCP port (default 1883; 0 picks a free port)")
    @Nullable
    Integer port;

    @Option(names = "--data", description = "Data folder (default ./data)")
    @Nullable
    Path data;

    @Option(names = "--durability", description = "fsync | os | memory (default fsync)")
    @Nullable
    String durability;

    @Option(names = "--admin-bind", description = "Address of the admin HTTP API (default 127.0.0.1)")
    @Nullable
    String adminBind;

    @Option(names = "--admin-port", description = "Port of the admin HTTP API (default 8088; 0 any free port; -1 off)")
    @Nullable
    Integer adminPort;

    @Option(
            names = "--admin-token-file",
            description = "File (mode 0600) holding the admin API's bearer token (default: admin-token in the data "
                    + "folder, generated at first start)")
    @Nullable
    String adminTokenFile;

    @Option(
            names = "--admin-token",
            description = "Bearer token the admin API requires; visible to other local users in the process list: "
                    + "prefer --admin-token-file or the config file")
    @Nullable
    String adminToken;

    @Override
    public Integer call() throws Exception {
        BrokerConfig.Builder b;
        try {
            b = config == null ? BrokerConfig.builder() : ConfigFile.read(config).toBuilder();
            if (bind != null) {
                b.bind(bind);
            }
            if (port != null) {
                b.port(port);
            }
            if (data != null) {
                b.dataDir(data);
            }
            if (durability != null) {
                b.durability(Durability.parse(durability));
            }
            if (adminBind != null) {
                b.adminBind(adminBind);
            }
            if (adminPort != null) {
                b.adminPort(adminPort);
            }
            if (adminToken != null) {
                b.adminToken(adminToken).adminTokenFile("");
            }
            if (adminTokenFile != null) {
                b.adminTokenFile(adminTokenFile).adminToken("");
            }
            if (adminToken != null && adminTokenFile != null) {
                throw new IllegalArgumentException("give --admin-token or --admin-token-file, not both");
            }
            if ((bind != null || port != null) && !b.security().listeners().isEmpty()) {
                throw new IllegalArgumentException("--bind and --port apply only without 'listeners' in " + config);
            }
        } catch (IllegalArgumentException e) {
            System.err.println("berth: " + e.getMessage());
            return 2;
        }
        // an error that ends any thread (the store's committer, a network loop) stops the process
        Thread.setDefaultUncaughtExceptionHandler(FatalErrors.HALT);
        BrokerConfig c;
        Berth berth;
        try {
            c = b.build();
            berth = Berth.builder().config(c).build().start();
        } catch (IllegalArgumentException | IllegalStateException e) {
            System.err.println("berth: " + e.getMessage());
            return 1;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            berth.close();
                            stopped.countDown();
                        },
                        "berth-shutdown"));
        StringBuilder where = new StringBuilder();
        for (int i = 0; i < c.listeners().size(); i++) {
            where.append(i == 0 ? "" : ", ")
                    .append(c.listeners()
                            .get(i)
                            .describe(berth.addresses().get(i).getPort()));
        }
        System.out.printf(
                "Berth listening on %s (MQTT 3.1, 3.1.1, 5.0; %s); %s; store: %s; data: %s; ready in %d ms%n",
                where,
                NettyTransport.get(),
                adminDescription(c, berth),
                berth.storeDescription(),
                c.dataDir().toAbsolutePath(),
                berth.recoveryMillis());
        System.out.flush();
        stopped.await();
        return 0;
    }

    /** The admin listener's part of the startup line. */
    static String adminDescription(BrokerConfig c, Berth berth) {
        if (berth.adminPort() < 0) {
            return "admin API off";
        }
        String host = c.adminBind().contains(":") ? "[" + c.adminBind() + "]" : c.adminBind();
        AdminToken token = berth.adminToken();
        if (token == null) {
            return "admin API off";
        }
        Path file = token.file();
        String where = switch (token.source()) {
            case CONFIGURED -> "admin-token of the configuration";
            case TOKEN_FILE -> String.valueOf(file == null ? null : file.toAbsolutePath());
            case DATA_FOLDER -> (file == null ? null : file.toAbsolutePath()) + (token.created() ? ", new" : "");
        };
        return "console, admin API and /metrics on http://" + host + ":" + berth.adminPort() + "/ (token: " + where
                + ")";
    }
}
