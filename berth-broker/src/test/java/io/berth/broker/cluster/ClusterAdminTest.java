package io.berth.broker.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.berth.broker.Berth;
import io.berth.broker.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code GET /cluster}, {@code berth admin cluster} and the cluster gauges on three nodes in this JVM. */
class ClusterAdminTest extends ClusterFixture {
    private static final String TOKEN = "cluster-token";

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> get(Berth node, String path, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.adminPort() + path));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode status(Berth node) throws Exception {
        HttpResponse<String> r = get(node, "/cluster", TOKEN);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return new ObjectMapper().readTree(r.body());
    }

    private static JsonNode member(JsonNode status, String id) {
        for (JsonNode m : status.get("members")) {
            if (m.get("id").asText().equals(id)) {
                return m;
            }
        }
        throw new AssertionError("no member " + id + " in " + status);
    }

    private int leader() {
        Awaitility.await()
                .atMost(Duration.ofSeconds(30))
                .until(() -> cluster.node(0).cluster().groupStatus().leaderId() != null);
        return Integer.parseInt(
                        cluster.node(0).cluster().groupStatus().leaderId().substring(1))
                - 1;
    }

    @Test
    void getCluster_onTheLeaderAndAFollower_showsMembersIndicesAndLag() throws Exception {
        cluster = new TestCluster(dir, 3)
                .adjust(b -> b.adminPort(0).adminToken(TOKEN))
                .startAll();
        int leader = leader();
        int follower = (leader + 1) % 3;
        String leaderId = "n" + (leader + 1);
        // an entry of this term committed on every node: the followers are level with the leader
        cluster.node(follower).cluster().claim("admin-probe").get();
        // judged on one status: the leader may append (and commit) its next entry between two of them
        AtomicReference<JsonNode> level = new AtomicReference<>();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode s = status(cluster.node(leader));
            for (JsonNode m : s.get("members")) {
                if (!m.get("role").asText().equals("leader")
                        && (m.get("lag").asLong(-1) != 0
                                || m.get("matchIndex").asLong(-1)
                                        != s.get("commitIndex").asLong())) {
                    return false;
                }
            }
            level.set(s);
            return true;
        });

        JsonNode onLeader = level.get();
        assertThat(onLeader.get("nodeId").asText()).isEqualTo(leaderId);
        assertThat(onLeader.get("role").asText()).isEqualTo("leader");
        assertThat(onLeader.get("leader").asText()).isEqualTo(leaderId);
        assertThat(onLeader.get("term").asLong()).isPositive();
        assertThat(onLeader.get("commitIndex").asLong()).isPositive();
        assertThat(onLeader.get("cutOff").asBoolean()).isFalse();
        assertThat(onLeader.get("members")).hasSize(3);
        JsonNode f = member(onLeader, "n" + (follower + 1));
        assertThat(f.get("role").asText()).isEqualTo("follower");
        assertThat(f.get("alive").asBoolean()).isTrue();
        assertThat(f.get("address").asText())
                .isEqualTo(cluster.members().get(follower).address().toString());
        assertThat(f.get("matchIndex").asLong())
                .isEqualTo(onLeader.get("commitIndex").asLong());

        JsonNode onFollower = status(cluster.node(follower));
        assertThat(onFollower.get("role").asText()).isEqualTo("follower");
        assertThat(onFollower.get("leader").asText()).isEqualTo(leaderId);
        assertThat(member(onFollower, leaderId).get("role").asText()).isEqualTo("leader");
        // a follower does not know the others' progress: it says so rather than guess
        assertThat(member(onFollower, "n" + (follower + 1)).get("lag").isNull()).isTrue();

        // a follower that stops is seen as not alive by the leader, its lag growing with new entries
        int stopped = (leader + 2) % 3;
        cluster.stop(stopped);
        cluster.node(follower).cluster().claim("admin-probe-2").get();
        Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
            JsonNode m = member(status(cluster.node(leader)), "n" + (stopped + 1));
            return !m.get("alive").asBoolean() && m.get("lag").asLong() > 0;
        });
    }

    @Test
    void getCluster_needsTheToken_andTheCliPrintsIt_andTheGaugesAreScraped() throws Exception {
        cluster = new TestCluster(dir, 3)
                .adjust(b -> b.adminPort(0).adminToken(TOKEN))
                .startAll();
        int leader = leader();
        Berth node = cluster.node(leader);
        assertThat(get(node, "/cluster", null).statusCode()).isEqualTo(401);
        assertThat(get(node, "/cluster", "wrong").statusCode()).isEqualTo(401);

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Main());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        String url = "http://127.0.0.1:" + node.adminPort();
        assertThat(cl.execute("admin", "cluster", "--url", url, "--token", TOKEN))
                .as(err.toString())
                .isEqualTo(0);
        assertThat(out.toString())
                .contains("node:        n" + (leader + 1) + " (leader)", "MEMBER", "LAG", "n1", "n2", "n3");

        String metrics = get(node, "/metrics", TOKEN).body();
        assertThat(metrics)
                .containsPattern("berth_cluster_leader\\{group=\"[^\"]+\",node=\"n" + (leader + 1) + "\"} 1\\.0")
                .contains("berth_cluster_term{", "berth_cluster_commit_index{", "berth_cluster_applied_index{")
                .contains("berth_cluster_member_lag{");
    }
}
