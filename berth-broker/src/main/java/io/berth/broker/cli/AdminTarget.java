package io.berth.broker.cli;

import io.berth.broker.admin.AdminToken;
import io.berth.broker.config.BrokerConfig;
import io.berth.broker.config.ConfigFile;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * Where the admin API is and how to talk to it: the options shared by every {@code berth admin}
 * subcommand (a picocli mixin), and how they resolve to an address and a bearer token. The token is the
 * first found of: {@code --token}, {@code $BERTH_ADMIN_TOKEN}, {@code --token-file}, the token or token
 * file of {@code --config}, the token the broker generated in its data folder.
 */
final class AdminTarget {
    @Option(names = "--url", description = "Admin API address (default http://127.0.0.1:8088, or from --config)")
    @Nullable
    String url;

    @Option(
            names = "--token",
            description = "Bearer token (default: $BERTH_ADMIN_TOKEN, --token-file, the token of --config, or "
                    + "admin-token in the data folder)")
    @Nullable
    String token;

    @Option(names = "--token-file", description = "File holding the bearer token")
    @Nullable
    Path tokenFile;

    @Option(
            names = "--config",
            description = "The broker's berth.yml: admin-bind, admin-port, admin-token(-file), data")
    @Nullable
    Path config;

    @Option(
            names = "--data",
            description = "The broker's data folder, where it keeps a generated token (default ./data, or data of "
                    + "--config)")
    @Nullable
    Path data;

    @Option(names = "--json", description = "Print the API's JSON answer instead of a table")
    boolean json;

    AdminClient client() {
        String u = url;
        String t = token != null ? token : System.getenv("BERTH_ADMIN_TOKEN");
        if (t == null && tokenFile != null) {
            t = readToken(tokenFile);
        }
        BrokerConfig c = config != null ? ConfigFile.read(config) : BrokerConfig.defaults();
        if (config != null) {
            if (c.adminPort() < 0) {
                throw new IllegalArgumentException(config + ": admin-port is -1: the admin API is off");
            }
            if (u == null) {
                String host =
                        c.adminBind().equals("0.0.0.0") || c.adminBind().equals("::") ? "127.0.0.1" : c.adminBind();
                u = "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + c.adminPort();
            }
        }
        if (t == null) {
            if (!c.adminToken().isEmpty()) {
                t = c.adminToken();
            } else if (!c.adminTokenFile().isEmpty()) {
                t = readToken(Path.of(c.adminTokenFile()));
            }
        }
        if (t == null) {
            Path file = AdminToken.defaultFile(data != null ? data : c.dataDir());
            t = readTokenIfPresent(file);
            if (t == null) {
                throw new IllegalArgumentException("no admin token: " + file.toAbsolutePath()
                        + " does not exist (give --data with the broker's data folder, --config, --token-file or "
                        + "$BERTH_ADMIN_TOKEN)");
            }
        }
        return new AdminClient(u != null ? u : "http://127.0.0.1:8088", t);
    }

    private static String readToken(Path file) {
        String t = readTokenIfPresent(file);
        if (t == null) {
            throw new IllegalArgumentException("token file " + file + " does not exist");
        }
        return t;
    }

    private static @Nullable String readTokenIfPresent(Path file) {
        try {
            return AdminToken.read(file);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }
}
