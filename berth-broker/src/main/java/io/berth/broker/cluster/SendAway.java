package io.berth.broker.cluster;

import io.berth.broker.session.Sessions;
import io.berth.codec.ReasonCode;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * A node cut off from the majority sends its clients away: 5.0 DISCONNECT 0x9C Use another server
 * (0x88 Server unavailable is not a DISCONNECT reason code), 3.1.1 a close; see ADR 12.
 *
 * <p>Threading: called on the {@link MajorityWatch}'s thread.
 */
final class SendAway implements MajorityWatch.Reaction {
    private final Supplier<@Nullable Sessions> sessions;

    /** @param sessions the broker's sessions once attached, else null */
    SendAway(Supplier<@Nullable Sessions> sessions) {
        this.sessions = sessions;
    }

    @Override
    public void cutOff() {
        Sessions s = sessions.get();
        if (s != null) {
            s.disconnectAll(ReasonCode.USE_ANOTHER_SERVER);
        }
    }

    @Override
    public void back() {}
}
