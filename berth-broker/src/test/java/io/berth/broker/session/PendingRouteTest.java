package io.berth.broker.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PendingRouteTest {
    private final List<String> outcomes = new ArrayList<>();
    private final PendingRoute route = new PendingRoute(
            (rejected, error) -> outcomes.add(rejected + " " + (error == null ? "" : error.getMessage())));

    @Test
    void partsCommitBeforeTheRouteIsBuilt_doneOnlyWhenReady() {
        route.expect();
        route.part(false, null);
        assertThat(outcomes).isEmpty();
        route.ready();
        assertThat(outcomes).containsExactly("false ");
    }

    @Test
    void lastPart_endsTheRouteOnceWithRefusalAndFirstError() {
        route.expect();
        route.expect();
        route.expect();
        route.ready();
        route.part(true, null);
        route.part(false, new IllegalStateException("first"));
        assertThat(outcomes).isEmpty();
        route.part(false, new IllegalStateException("second"));
        assertThat(outcomes).containsExactly("true first");
    }

    @Test
    void noParts_doneWhenReady() {
        route.ready();
        assertThat(outcomes).containsExactly("false ");
    }
}
