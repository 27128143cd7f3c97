package io.berth.client.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.berth.client.Message;
import io.berth.client.store.ClientSessionStore;
import io.berth.client.store.SessionChange;
import io.berth.client.store.StoredSession;
import io.berth.codec.QoS;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What every {@link ClientSessionStore} must do; each implementation runs it. */
abstract class ClientSessionStoreContract {

  /** A new, empty store. */
  abstract ClientSessionStore newStore() throws Exception;

  /** The same store as a client restarting on it would see it. */
  abstract ClientSessionStore reopen(ClientSessionStore store) throws Exception;

  static Message message(String payload, QoS qos) {
    return Message.of("t/" + payload, payload, qos);
  }

  @Test
  void append_thenReopen_returnsLiveMessagesInSeqOrderWithTheirState() throws Exception {
    ClientSessionStore store = newStore();
    store.append(List.of(
        new SessionChange.MessageAdded(1, message("a", QoS.AT_LEAST_ONCE)),
        new SessionChange.MessageAdded(2, message("b", QoS.EXACTLY_ONCE)),
        new SessionChange.MessageAdded(3, message("c", QoS.EXACTLY_ONCE)),
        new SessionChange.PacketIdAssigned(1, 10),
        new SessionChange.PacketIdAssigned(2, 11),
        new SessionChange.MessageReleased(2))).join();
    store.append(new SessionChange.MessageRemoved(1)).join();

    StoredSession s = reopen(store).load();

    assertThat(s.messages()).extracting(m -> m.seq()).containsExactly(2L, 3L);
    assertThat(s.messages().get(0).packetId()).isEqualTo(11);
    assertThat(s.messages().get(0).released()).isTrue();
    assertThat(s.messages().get(1).packetId()).isZero();
    assertThat(s.messages().get(1).message().payloadAsString()).isEqualTo("c");
    assertThat(s.messages().get(1).message().qos()).isEqualTo(QoS.EXACTLY_ONCE);
  }

  @Test
  void inboundIds_keptUntilReleasedOrCleared() throws Exception {
    ClientSessionStore store = newStore();
    store.append(List.of(new SessionChange.InboundReceived(5), new SessionChange.InboundReceived(6),
        new SessionChange.InboundReceived(65_535), new SessionChange.InboundReleased(5))).join();

    ClientSessionStore again = reopen(store);
    assertThat(again.load().inboundPacketIds()).containsExactlyInAnyOrder(6, 65_535);

    again.append(new SessionChange.InboundCleared()).join();
    assertThat(reopen(again).load().inboundPacketIds()).isEmpty();
  }

  @Test
  void reset_forgetsThePacketIdButKeepsTheMessage() throws Exception {
    ClientSessionStore store = newStore();
    store.append(List.of(new SessionChange.MessageAdded(7, message("x", QoS.EXACTLY_ONCE)),
        new SessionChange.PacketIdAssigned(7, 99), new SessionChange.MessageReset(7))).join();

    StoredSession s = reopen(store).load();

    assertThat(s.messages()).hasSize(1);
    assertThat(s.messages().get(0).packetId()).isZero();
    assertThat(s.messages().get(0).released()).isFalse();
  }

  @Test
  void changesForUnknownMessages_areIgnored() throws Exception {
    ClientSessionStore store = newStore();
    store.append(List.of(new SessionChange.PacketIdAssigned(42, 1),
        new SessionChange.MessageRemoved(43))).join();

    assertThat(reopen(store).load()).isEqualTo(StoredSession.EMPTY);
  }
}
