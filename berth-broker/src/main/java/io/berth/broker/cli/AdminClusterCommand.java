package io.berth.broker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import picocli.CommandLine.Command;

/**
 * {@code berth admin cluster}: {@code GET /cluster}, this node's view of the session group, as a summary
 * and a table of the members (the follower columns are filled in on the leader only, which alone knows
 * them).
 */
@Command(
        name = "cluster",
        mixinStandardHelpOptions = true,
        description = "The cluster as this node sees it: members, leader, term, commit index and lag.")
final class AdminClusterCommand extends AdminRequest {
    @Override
    JsonNode send(AdminClient client) {
        return client.get("/cluster");
    }

    @Override
    void print(JsonNode c, PrintWriter out) {
        out.printf(
                "node:        %s (%s)%s%n",
                c.get("nodeId").asText(),
                c.get("role").asText(),
                c.get("cutOff").asBoolean() ? ", CUT OFF from the majority: its clients are sent away" : "");
        out.printf(
                "leader:      %s, term %d%n", text(c, "leader"), c.get("term").asLong());
        out.printf(
                "log:         commit index %d, applied index %d, snapshot index %s%n",
                c.get("commitIndex").asLong(), c.get("appliedIndex").asLong(), text(c, "snapshotIndex"));
        out.printf("group:       %s%n", c.get("group").asText());
        Table t = new Table("MEMBER", "ADDRESS", "ROLE", "ALIVE", "LAST CONTACT MS", "MATCH INDEX", "LAG");
        for (JsonNode m : c.get("members")) {
            t.row(
                    m.get("id").asText(),
                    m.get("address").asText(),
                    m.get("role").asText(),
                    text(m, "alive"),
                    text(m, "lastContactMillis"),
                    text(m, "matchIndex"),
                    text(m, "lag"));
        }
        out.println();
        t.print(out);
    }
}
