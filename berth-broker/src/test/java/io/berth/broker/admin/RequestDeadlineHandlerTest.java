package io.berth.broker.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The whole-request deadline on an {@link EmbeddedChannel} with controlled time. */
class RequestDeadlineHandlerTest {
    private static final long DEADLINE = RequestDeadlineHandler.REQUEST_SECONDS * 1000;

    private static void trickle(EmbeddedChannel ch, String s) {
        ch.writeInbound(Unpooled.copiedBuffer(s, StandardCharsets.US_ASCII));
        ch.readInbound();
    }

    @Test
    void requestTrickledByteByByte_closedAtTheDeadlineFromItsFirstByte() {
        RequestDeadlineHandler h = new RequestDeadlineHandler(DEADLINE);
        EmbeddedChannel ch = new EmbeddedChannel(h);
        for (int i = 0; i < 9; i++) {
            trickle(ch, "G");
            ch.advanceTimeBy(1, TimeUnit.SECONDS);
            ch.runScheduledPendingTasks();
            assertThat(ch.isOpen()).as("after %d s", i + 1).isTrue();
        }
        trickle(ch, "E");
        ch.advanceTimeBy(1, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void wholeRequest_cancelsTheDeadline_nextRequestGetsItsOwn() {
        RequestDeadlineHandler h = new RequestDeadlineHandler(DEADLINE);
        EmbeddedChannel ch = new EmbeddedChannel(h);
        trickle(ch, "GET / HTTP/1.1\r\n\r\n");
        h.requestRead();
        ch.advanceTimeBy(DEADLINE * 3, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).as("answering takes as long as it takes").isTrue();
        h.answered();
        trickle(ch, "GE");
        ch.advanceTimeBy(DEADLINE, TimeUnit.MILLISECONDS);
        ch.runScheduledPendingTasks();
        assertThat(ch.isOpen()).isFalse();
    }

    @Test
    void idleConnection_closedOnTheIdleEvent() {
        EmbeddedChannel ch = new EmbeddedChannel(new RequestDeadlineHandler(DEADLINE));
        ch.pipeline().fireUserEventTriggered(IdleStateEvent.ALL_IDLE_STATE_EVENT);
        assertThat(ch.isOpen()).isFalse();
    }
}
