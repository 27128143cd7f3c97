package io.berth.broker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code berth admin ...}: the admin HTTP API from the command line. Tables for people, {@code --json}
 * (the API's answer as it is) for scripts. Exit code 0 on success, 1 when the broker refused the request
 * (unknown session, bad filter, bad token), 2 when it could not be reached or the options are wrong.
 * Here are the subcommands, one per API request; {@link AdminTarget} holds the options they share (where
 * the API is, the token), {@link AdminRequest} how each one runs and prints.
 */
@Command(
        name = "admin",
        mixinStandardHelpOptions = true,
        description = "Inspect and control a running broker through its admin API.",
        subcommands = {
            AdminCommand.Sessions.class,
            AdminCommand.Show.class,
            AdminCommand.Peek.class,
            AdminCommand.Purge.class,
            AdminCommand.Kick.class,
            AdminCommand.Delete.class,
            AdminClusterCommand.class
        })
final class AdminCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(
            name = "sessions",
            mixinStandardHelpOptions = true,
            description = "List sessions, biggest backlog first unless --sort says otherwise.")
    static final class Sessions extends AdminRequest {
        @Option(names = "--state", description = "online | offline | all (default all)")
        @Nullable
        String state;

        @Option(names = "--min-backlog", description = "Only sessions with at least this many queued messages")
        @Nullable
        Long minBacklog;

        @Option(names = "--min-bytes", description = "Only sessions with at least this many queued bytes")
        @Nullable
        Long minBytes;

        @Option(names = "--prefix", description = "Only client ids starting with this")
        @Nullable
        String prefix;

        @Option(names = "--sort", description = "backlog | bytes | last-seen | expiry | client-id (default backlog)")
        @Nullable
        String sort;

        @Option(names = "--order", description = "asc | desc")
        @Nullable
        String order;

        @Option(names = "--limit", description = "At most this many (default 100)")
        @Nullable
        Integer limit;

        @Override
        JsonNode send(AdminClient client) {
            Map<String, Object> q = new LinkedHashMap<>();
            q.put("state", state);
            q.put("min-backlog", minBacklog);
            q.put("min-bytes", minBytes);
            q.put("prefix", prefix);
            q.put("sort", sort);
            q.put("order", order);
            q.put("limit", limit);
            StringBuilder path = new StringBuilder("/sessions");
            char sep = '?';
            for (Map.Entry<String, Object> e : q.entrySet()) {
                if (e.getValue() != null) {
                    path.append(sep)
                            .append(e.getKey())
                            .append('=')
                            .append(AdminClient.param(e.getValue().toString()));
                    sep = '&';
                }
            }
            return client.get(path.toString());
        }

        @Override
        void print(JsonNode answer, PrintWriter out) {
            // a cluster node says which node serves each session
            boolean clustered = false;
            for (JsonNode s : answer.get("sessions")) {
                clustered |= s.has("node");
            }
            Table t = clustered
                    ? new Table(
                            "CLIENT ID",
                            "NODE",
                            "STATE",
                            "PROTOCOL",
                            "QUEUED",
                            "BYTES",
                            "INFLIGHT",
                            "LAST SEEN",
                            "EXPIRES")
                    : new Table(
                            "CLIENT ID", "STATE", "PROTOCOL", "QUEUED", "BYTES", "INFLIGHT", "LAST SEEN", "EXPIRES");
            for (JsonNode s : answer.get("sessions")) {
                List<Object> row = new ArrayList<>();
                row.add(s.get("clientId").asText());
                if (clustered) {
                    row.add(text(s, "node"));
                }
                row.add(s.get("online").asBoolean() ? "online" : "offline");
                row.add(s.get("protocol").asText());
                row.add(s.get("queuedMessages").asLong());
                row.add(s.get("queuedBytes").asLong());
                row.add(s.get("inflight").asInt());
                row.add(text(s, "lastSeen"));
                row.add(text(s, "expiresAt"));
                t.row(row.toArray());
            }
            t.print(out);
            out.printf(
                    "%d of %d matching, %d sessions in all%n",
                    answer.get("sessions").size(),
                    answer.get("matching").asLong(),
                    answer.get("total").asLong());
        }
    }

    @Command(
            name = "session",
            mixinStandardHelpOptions = true,
            description = "One session: state, queue, in flight, inbound QoS 2, subscriptions, will, limits.")
    static final class Show extends AdminRequest {
        @Parameters(index = "0", paramLabel = "CLIENT_ID")
        String clientId;

        @Override
        JsonNode send(AdminClient client) {
            return client.get("/sessions/" + AdminClient.segment(clientId));
        }

        @Override
        void print(JsonNode s, PrintWriter out) {
            out.printf("client id:   %s%n", s.get("clientId").asText());
            out.printf(
                    "state:       %s (%s)%n",
                    s.get("online").asBoolean() ? "online" : "offline",
                    s.get("protocol").asText());
            if (s.has("node")) {
                out.printf("node:        %s%n", s.get("node").asText());
            }
            out.printf(
                    "owner:       %s%n",
                    s.get("owner").asText().isEmpty() ? "-" : s.get("owner").asText());
            out.printf("last seen:   %s%n", text(s, "lastSeen"));
            out.printf(
                    "expiry:      %d s (expires %s)%n",
                    s.get("expiryIntervalSeconds").asLong(), text(s, "expiresAt"));
            out.printf(
                    "queued:      %d messages, %d bytes, %d in flight%n",
                    s.get("queuedMessages").asLong(),
                    s.get("queuedBytes").asLong(),
                    s.get("inflight").asInt());
            out.printf("inbound QoS 2 awaiting PUBREL: %s%n", s.get("inboundQos2"));
            JsonNode l = s.get("limits");
            out.printf(
                    "limits:      %d messages, %d bytes, max age %d s, overflow %s, watermark %d%%%n",
                    l.get("maxQueuedMessages").asLong(),
                    l.get("maxQueuedBytes").asLong(),
                    l.get("maxMessageAgeSeconds").asLong(),
                    l.get("overflow").asText(),
                    l.get("watermarkPercent").asInt());
            out.printf(
                    "will:        %s%n",
                    s.get("will").isNull() ? "-" : s.get("will").get("topic").asText());
            Table t = new Table("FILTER", "QOS", "NO LOCAL", "RETAIN AS PUBLISHED", "RETAIN HANDLING", "SUB ID");
            for (JsonNode sub : s.get("subscriptions")) {
                t.row(
                        sub.get("filter").asText(),
                        sub.get("qos").asInt(),
                        sub.get("noLocal").asBoolean(),
                        sub.get("retainAsPublished").asBoolean(),
                        sub.get("retainHandling").asText(),
                        sub.get("subscriptionId").asInt());
            }
            out.println();
            t.print(out);
        }
    }

    @Command(
            name = "peek",
            mixinStandardHelpOptions = true,
            description = "The first queued messages of a session (in flight ones first).")
    static final class Peek extends AdminRequest {
        @Parameters(index = "0", paramLabel = "CLIENT_ID")
        String clientId;

        @Option(
                names = {"-n", "--limit"},
                description = "How many (default 10, at most 1000)")
        @Nullable
        Integer limit;

        @Override
        JsonNode send(AdminClient client) {
            return client.get(
                    "/sessions/" + AdminClient.segment(clientId) + "/queue" + (limit == null ? "" : "?limit=" + limit));
        }

        @Override
        void print(JsonNode answer, PrintWriter out) {
            Table t = new Table("SEQ", "QOS", "TOPIC", "ARRIVED", "SIZE", "PAYLOAD");
            for (JsonNode m : answer.get("messages")) {
                String payload = m.get("payload").asText();
                if (m.get("encoding").asText().equals("base64")) {
                    payload = "base64:" + payload;
                }
                payload = payload.replaceAll("\\p{Cntrl}", "?");
                t.row(
                        m.get("seq").asLong(),
                        m.get("qos").asInt(),
                        m.get("topic").asText(),
                        m.get("arrived").asText(),
                        m.get("size").asInt(),
                        payload.length() > 60 ? payload.substring(0, 57) + "..." : payload);
            }
            t.print(out);
        }
    }

    @Command(
            name = "purge",
            mixinStandardHelpOptions = true,
            description = "Remove queued messages of a session without ending it (one commit). The selectors "
                    + "--topic, --older-than and --oldest combine; --all takes everything not in flight.")
    static final class Purge extends AdminRequest {
        @Parameters(index = "0", paramLabel = "CLIENT_ID")
        String clientId;

        @Option(names = "--all", description = "Every queued message")
        boolean all;

        @Option(names = "--topic", description = "Messages whose topic matches this filter (e.g. 'sensors/+/raw')")
        @Nullable
        String topic;

        @Option(
                names = "--older-than",
                description = "An ISO-8601 instant (2026-01-31T12:00:00Z) or duration (PT10M, P7D)")
        @Nullable
        String olderThan;

        @Option(names = "--oldest", description = "At most this many, oldest first")
        @Nullable
        Long oldest;

        @Override
        JsonNode send(AdminClient client) {
            Map<String, Object> body = new LinkedHashMap<>();
            if (all) {
                body.put("all", true);
            }
            if (topic != null) {
                body.put("topic", topic);
            }
            if (olderThan != null) {
                body.put("olderThan", olderThan);
            }
            if (oldest != null) {
                body.put("oldest", oldest);
            }
            if (body.isEmpty()) {
                throw new IllegalArgumentException("say what to purge: --all, --topic, --older-than or --oldest");
            }
            return client.post("/sessions/" + AdminClient.segment(clientId) + "/purge", body);
        }

        @Override
        void print(JsonNode answer, PrintWriter out) {
            out.printf(
                    "removed %d message(s) from the queue of '%s'%n",
                    answer.get("removed").asLong(), answer.get("clientId").asText());
        }
    }

    @Command(
            name = "kick",
            mixinStandardHelpOptions = true,
            description = "Close a client's connection (5.0: DISCONNECT 0x98); its session stays.")
    static final class Kick extends AdminRequest {
        @Parameters(index = "0", paramLabel = "CLIENT_ID")
        String clientId;

        @Override
        JsonNode send(AdminClient client) {
            return client.post("/sessions/" + AdminClient.segment(clientId) + "/disconnect", Map.of());
        }

        @Override
        void print(JsonNode answer, PrintWriter out) {
            out.printf("disconnected '%s'%n", answer.get("clientId").asText());
        }
    }

    @Command(
            name = "delete",
            mixinStandardHelpOptions = true,
            description = "End a session as if it expired: its queue and subscriptions go, a pending will is sent.")
    static final class Delete extends AdminRequest {
        @Parameters(index = "0", paramLabel = "CLIENT_ID")
        String clientId;

        @Override
        JsonNode send(AdminClient client) {
            return client.delete("/sessions/" + AdminClient.segment(clientId));
        }

        @Override
        void print(JsonNode answer, PrintWriter out) {
            out.printf("deleted the session of '%s'%n", answer.get("clientId").asText());
        }
    }
}
