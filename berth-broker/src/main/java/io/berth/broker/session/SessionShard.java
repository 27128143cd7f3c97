package io.berth.broker.session;

import io.berth.broker.store.RecoveredSession;
import io.berth.broker.store.SessionStore;
import io.berth.broker.store.StoreCommand;
import io.berth.broker.store.StoredMessage;
import io.berth.codec.DisconnectPacket;
import io.berth.codec.PubackPacket;
import io.berth.codec.PubcompPacket;
import io.berth.codec.PublishPacket;
import io.berth.codec.PubrecPacket;
import io.berth.codec.PubrelPacket;
import io.berth.codec.QoS;
import io.berth.codec.SubscribePacket;
import io.berth.codec.UnsubscribePacket;
import io.netty.util.concurrent.DefaultEventExecutor;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * One single-writer partition of the sessions. Every public method hands a task to the shard's thread
 * and returns at once; the work itself is done by {@link SessionLifecycle} and {@link ClientRequests}
 * on that thread.
 *
 * <p>Threading: {@link #sessions} and every {@link Session} in it are owned by {@link #executor}'s
 * single thread.
 */
public final class SessionShard {
  final int index;
  final EventExecutor executor;
  final BrokerContext context;
  final Map<String, Session> sessions = new HashMap<>();
  private final SessionLifecycle lifecycle;
  private final ClientRequests requests;
  private long incarnations;

  SessionShard(int index, BrokerContext context, Sessions owner) {
    this.index = index;
    this.context = context;
    this.executor = new DefaultEventExecutor(new DefaultThreadFactory("berth-shard-" + index, true));
    this.lifecycle = new SessionLifecycle(this, owner);
    this.requests = new ClientRequests(this, owner);
  }

  // ---- entry points: any thread ----

  public void connect(ConnectRequest request) {
    executor.execute(() -> lifecycle.connect(request));
  }

  public void publish(ClientConnection conn, PublishPacket packet) {
    executor.execute(() -> requests.publish(conn, packet));
  }

  public void puback(ClientConnection conn, PubackPacket packet) {
    executor.execute(() -> withSession(conn, s -> s.outbound.onPuback(packet.packetId())));
  }

  public void pubrec(ClientConnection conn, PubrecPacket packet) {
    executor.execute(() -> withSession(conn,
        s -> s.outbound.onPubrec(packet.packetId(), packet.reasonCode())));
  }

  public void pubrel(ClientConnection conn, PubrelPacket packet) {
    executor.execute(() -> requests.pubrel(conn, packet));
  }

  public void pubcomp(ClientConnection conn, PubcompPacket packet) {
    executor.execute(() -> withSession(conn, s -> s.outbound.onPubcomp(packet.packetId())));
  }

  public void subscribe(ClientConnection conn, SubscribePacket packet) {
    executor.execute(() -> requests.subscribe(conn, packet));
  }

  public void unsubscribe(ClientConnection conn, UnsubscribePacket packet) {
    executor.execute(() -> requests.unsubscribe(conn, packet));
  }

  public void disconnect(ClientConnection conn, DisconnectPacket packet) {
    executor.execute(() -> lifecycle.disconnect(conn, packet));
  }

  public void connectionLost(ClientConnection conn) {
    executor.execute(() -> lifecycle.connectionLost(conn));
  }

  /** Reserves queue positions for a message (called by the router on the publisher's shard). */
  CompletableFuture<List<Prepared>> prepare(StoredMessage message, List<Delivery> deliveries) {
    CompletableFuture<List<Prepared>> result = new CompletableFuture<>();
    executor.execute(() -> result.complete(reserve(message, deliveries)));
    return result;
  }

  /** The reserved positions were committed (or failed with {@code error}). */
  void committed(List<Prepared> prepared, Throwable error) {
    executor.execute(() -> {
      for (Prepared p : prepared) {
        Session s = sessions.get(p.clientId());
        if (s == null || s.incarnation != p.incarnation()) {
          // the session ended or was replaced meanwhile: take the entry out again
          if (error == null) {
            p.store().submit(new StoreCommand.Dequeue(p.clientId(), p.enqueue().entry().seq(),
                p.enqueue().message().id()));
          }
          continue;
        }
        s.outbound.onCommitted(p.enqueue(), error);
      }
    });
  }

  /** Puts a session read from the store back; runs before the broker accepts connections. */
  CompletableFuture<Void> restore(List<RecoveredSession> recovered) {
    return CompletableFuture.runAsync(() -> {
      for (RecoveredSession r : recovered) {
        lifecycle.restore(r);
      }
    }, executor);
  }

  /** Stops the shard's thread; pending tasks run first. */
  void shutdown() {
    executor.shutdownGracefully(0, 5, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
  }

  // ---- on the shard's thread ----

  long nextIncarnation() {
    return ((long) index << 48) | ++incarnations;
  }

  private List<Prepared> reserve(StoredMessage message, List<Delivery> deliveries) {
    List<Prepared> out = new ArrayList<>(deliveries.size());
    for (Delivery d : deliveries) {
      Session s = sessions.get(d.clientId());
      if (s == null) {
        continue;
      }
      if (d.qos() == QoS.AT_MOST_ONCE) {
        boolean online = s.connection != null && s.attached;
        if (online) {
          requests.sendQos0(s, message, d);
          continue;
        }
        if (!context.config().queueQos0Offline()) {
          continue;
        }
      }
      out.add(new Prepared(s.clientId, s.incarnation, s.store, s.outbound.reserve(message, d)));
    }
    return out;
  }

  private void withSession(ClientConnection conn, java.util.function.Consumer<Session> action) {
    Session s = sessions.get(conn.clientId());
    if (s != null && s.isConnectedTo(conn)) {
      action.accept(s);
    }
  }

  SessionStore storeFor(long expiryIntervalSeconds) {
    return expiryIntervalSeconds == 0 ? context.volatileStore() : context.durableStore();
  }
}
