package io.berth.broker.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The config file keys of {@link SecurityConfig}: listeners, password and ACL files, anonymous access
 * and abuse limits. Paths are taken as written (relative ones from the working directory).
 *
 * <p>Threading: stateless.
 */
final class SecurityKeys {
    private SecurityKeys() {}

    /** Applies {@code key}; false when it is not a security key. */
    static boolean apply(BrokerConfig.Builder b, String key, JsonNode v) {
        SecurityConfig s = b.security();
        AbuseLimits a = s.abuse();
        switch (key) {
            case "listeners" -> s = s.withListeners(listeners(v));
            case "password-file" -> s = s.withPasswordFile(Path.of(ConfigValues.text(v)));
            case "acl-file" -> s = s.withAclFile(Path.of(ConfigValues.text(v)));
            case "allow-anonymous" -> s = s.withAllowAnonymous(ConfigValues.bool(v));
            case "reload-check-ms" -> s = s.withReloadCheckMillis(ConfigValues.number(v));
            case "max-connections-per-address" ->
                s = s.withAbuse(a.withMaxConnectionsPerAddress(ConfigValues.integer(v)));
            case "failed-connect-rate-per-address", "connect-rate-per-address" ->
                s = s.withAbuse(a.withFailedConnectsPerSecondPerAddress(ConfigValues.integer(v)));
            case "logins-in-flight-per-address" ->
                s = s.withAbuse(a.withLoginsInFlightPerAddress(ConfigValues.integer(v)));
            case "max-connect-size" -> s = s.withAbuse(a.withMaxConnectSize(Math.toIntExact(ConfigValues.bytes(v))));
            case "max-unauthenticated-bytes" -> s = s.withAbuse(a.withMaxUnauthenticatedBytes(ConfigValues.bytes(v)));
            case "login-backoff-max-ms" -> s = s.withAbuse(a.withLoginBackoffMaxMillis(ConfigValues.number(v)));
            case "max-client-id-length" -> s = s.withAbuse(a.withMaxClientIdLength(ConfigValues.integer(v)));
            case "max-subscriptions-per-session" ->
                s = s.withAbuse(a.withMaxSubscriptionsPerSession(ConfigValues.integer(v)));
            case "max-sessions-per-principal" ->
                s = s.withAbuse(a.withMaxSessionsPerPrincipal(ConfigValues.integer(v)));
            case "max-topic-levels" -> s = s.withAbuse(a.withMaxTopicLevels(ConfigValues.integer(v)));
            default -> {
                return false;
            }
        }
        b.security(s);
        return true;
    }

    private static List<ListenerConfig> listeners(JsonNode v) {
        if (!v.isArray()) {
            throw new IllegalArgumentException("expected a list of listeners");
        }
        List<ListenerConfig> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            try {
                out.add(listener(v.get(i)));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("listener " + (i + 1) + ": " + e.getMessage());
            }
        }
        return out;
    }

    private static ListenerConfig listener(JsonNode v) {
        if (!v.isObject()) {
            throw new IllegalArgumentException("expected a mapping with type, bind, port, ...");
        }
        ListenerConfig.Transport type = ListenerConfig.Transport.TCP;
        String bind = "127.0.0.1";
        Integer port = null;
        Path cert = null;
        Path key = null;
        Path ca = null;
        boolean require = false;
        boolean asUsername = false;
        String path = "/mqtt";
        List<String> ciphers = null;
        List<String> origins = null;
        Iterator<Map.Entry<String, JsonNode>> fields = v.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            JsonNode x = f.getValue();
            try {
                switch (f.getKey()) {
                    case "type" -> type = ListenerConfig.Transport.parse(ConfigValues.text(x));
                    case "bind" -> bind = ConfigValues.text(x);
                    case "port" -> port = ConfigValues.integer(x);
                    case "cert" -> cert = Path.of(ConfigValues.text(x));
                    case "key" -> key = Path.of(ConfigValues.text(x));
                    case "client-ca" -> ca = Path.of(ConfigValues.text(x));
                    case "require-client-certificate" -> require = ConfigValues.bool(x);
                    case "certificate-as-username" -> asUsername = ConfigValues.bool(x);
                    case "path" -> path = ConfigValues.text(x);
                    case "ciphers" -> ciphers = texts(x);
                    case "allowed-origins" -> origins = texts(x);
                    default -> throw new IllegalArgumentException("unknown option");
                }
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(f.getKey() + ": " + e.getMessage());
            }
        }
        if (port == null) {
            throw new IllegalArgumentException("port is missing");
        }
        return new ListenerConfig(type, bind, port, cert, key, ca, require, asUsername, path, ciphers, origins);
    }

    /** A list of strings, or one string with comma-separated items. */
    private static List<String> texts(JsonNode v) {
        List<String> out = new ArrayList<>();
        if (v.isArray()) {
            v.forEach(item -> out.add(ConfigValues.text(item)));
        } else {
            for (String item : ConfigValues.text(v).split(",")) {
                if (!item.isBlank()) {
                    out.add(item.strip());
                }
            }
        }
        return out;
    }
}
