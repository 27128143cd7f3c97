package io.berth.broker.session;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class InboundExchangeTest {
    @Test
    void waiting_runInTheOrderTheyCame_whenTheCommitEnds() {
        InboundExchange e = new InboundExchange();
        List<String> ran = new ArrayList<>();
        e.whenSettled(() -> ran.add("resent PUBREC"));
        e.whenSettled(() -> ran.add("early PUBREL"));
        assertThat(ran).isEmpty();

        e.settle(null);

        assertThat(ran).containsExactly("resent PUBREC", "early PUBREL");
        assertThat(e.isSettled()).isTrue();
        assertThat(e.error()).isNull();
    }

    @Test
    void afterTheCommit_runsAtOnce_andAFailureIsKept() {
        InboundExchange e = new InboundExchange();
        IllegalStateException failure = new IllegalStateException("disk full");
        e.settle(failure);
        List<String> ran = new ArrayList<>();

        e.whenSettled(() -> ran.add("now"));

        assertThat(ran).containsExactly("now");
        assertThat(e.error()).isSameAs(failure);
    }

    @Test
    void recovered_isCommitted() {
        List<String> ran = new ArrayList<>();
        InboundExchange.COMMITTED.whenSettled(() -> ran.add("now"));
        assertThat(ran).containsExactly("now");
        assertThat(InboundExchange.COMMITTED.error()).isNull();
    }
}
