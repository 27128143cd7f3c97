package io.berth.broker.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.berth.broker.metrics.BrokerMetrics;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@code /overview} and {@code /events} from a {@link BrokerMetrics} driven by hand. */
class ConsoleResourceTest {
    private final BrokerMetrics metrics = new BrokerMetrics();
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor();
    private final ConsoleResource console = new ConsoleResource(metrics, loop);

    @AfterEach
    void stop() {
        console.close();
        loop.shutdownNow();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> get(String path, String query) {
        return (Map<String, Object>) console.handle("GET", path, query);
    }

    @Test
    @SuppressWarnings("unchecked")
    void events_watermarkAndDropsInOrder_afterGivesOnlyTheNewOnes() {
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("event", "queue-watermark");
        fields.put("state", "high");
        fields.put("clientId", "dev-a");
        metrics.events().watermark(fields, System.currentTimeMillis());
        metrics.dropped("queue-full", 3);
        metrics.dropped("queue-full", 2);

        Map<String, Object> all = get("/events", null);
        List<Map<String, Object>> events = (List<Map<String, Object>>) all.get("events");
        assertThat(events.get(0)).containsEntry("state", "high").containsEntry("clientId", "dev-a");
        // drops are summed per reason into at most one event a second: one or two events here, 5 in all
        List<Map<String, Object>> drops = events.subList(1, events.size());
        assertThat(drops)
                .hasSizeBetween(1, 2)
                .allSatisfy(d -> assertThat(d).containsEntry("event", "dropped").containsEntry("reason", "queue-full"));
        assertThat(drops.stream().mapToLong(d -> (long) d.get("messages")).sum())
                .isEqualTo(5);
        long next = (long) all.get("next");
        assertThat((List<?>) get("/events", "after=" + (next - 1)).get("events"))
                .isEmpty();
        assertThatThrownBy(() -> get("/events", "since=1")).isInstanceOf(AdminError.class);
    }

    @Test
    @SuppressWarnings("unchecked")
    void overview_hasTheNumbersNow_andOneHistoryPointPerSample() {
        metrics.connectionOpened();
        metrics.queued(7, 700);
        metrics.dropped("max-age", 2);
        console.sample();
        metrics.received();
        console.sample();
        Map<String, Object> o = get("/overview", null);
        Map<String, Object> now = (Map<String, Object>) o.get("now");
        assertThat(now)
                .containsEntry("connections", 1L)
                .containsEntry("queuedMessages", 7L)
                .containsEntry("queuedBytes", 700L)
                .containsEntry("receivedTotal", 1L);
        assertThat((Map<String, Object>) now.get("dropsByReason")).containsEntry("max-age", 2L);
        List<Map<String, Object>> history = (List<Map<String, Object>>) o.get("history");
        assertThat(history).hasSize(2);
        assertThat((double) history.get(0).get("dropsPerSecond")).isPositive();
        assertThat((double) history.get(1).get("inPerSecond")).isPositive();
        assertThat(o).containsEntry("intervalSeconds", ConsoleResource.INTERVAL_SECONDS);
    }
}
