package io.berth.client;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A TCP proxy between a client and a broker that forwards whole MQTT packets and can cut every connection
 * through it: at once ({@link #cutAll()}), or at a chosen packet ({@link #cutAt}), which is then swallowed,
 * so that one side has sent it and the other never sees it.
 *
 * <p>Threading: one accept thread and two pump threads per connection; rules are set atomically.
 */
final class CuttableProxy implements AutoCloseable {
  /** Which way a packet travels. */
  enum Direction {
    TO_BROKER,
    TO_CLIENT
  }

  private record Rule(Direction direction, int packetType, int skip) {}

  private final ServerSocket server;
  private final int brokerPort;
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private final AtomicReference<Rule> rule = new AtomicReference<>();
  private final AtomicInteger seen = new AtomicInteger();
  private final AtomicInteger cuts = new AtomicInteger();
  private volatile boolean closed;

  CuttableProxy(int brokerPort) throws IOException {
    this.brokerPort = brokerPort;
    this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    Thread t = new Thread(this::acceptLoop, "proxy-accept");
    t.setDaemon(true);
    t.start();
  }

  int port() {
    return server.getLocalPort();
  }

  /** How many times a rule or {@link #cutAll()} cut the connections. */
  int cuts() {
    return cuts.get();
  }

  /**
   * Cuts all connections when a packet of {@code packetType} (1..15) travels in {@code direction}, after
   * letting {@code skip} such packets through; the packet that triggers the cut is not forwarded. One shot.
   */
  void cutAt(Direction direction, int packetType, int skip) {
    seen.set(0);
    rule.set(new Rule(direction, packetType, skip));
  }

  /** True while a {@link #cutAt} rule has not fired yet. */
  boolean armed() {
    return rule.get() != null;
  }

  /** Closes every connection through the proxy now. */
  void cutAll() {
    cuts.incrementAndGet();
    for (Socket s : sockets) {
      closeQuietly(s);
    }
    sockets.clear();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket client = server.accept();
        Socket broker = new Socket(InetAddress.getLoopbackAddress(), brokerPort);
        client.setTcpNoDelay(true);
        broker.setTcpNoDelay(true);
        sockets.add(client);
        sockets.add(broker);
        pump(client, broker, Direction.TO_BROKER);
        pump(broker, client, Direction.TO_CLIENT);
      } catch (IOException e) {
        if (!closed) {
          continue;
        }
        return;
      }
    }
  }

  private void pump(Socket from, Socket to, Direction direction) {
    Thread t = new Thread(() -> {
      try {
        DataInputStream in = new DataInputStream(from.getInputStream());
        OutputStream out = to.getOutputStream();
        while (true) {
          byte[] packet = readPacket(in);
          Rule r = rule.get();
          if (r != null && r.direction() == direction && ((packet[0] & 0xF0) >> 4) == r.packetType()
              && seen.getAndIncrement() >= r.skip() && rule.compareAndSet(r, null)) {
            cutAll();
            return;
          }
          out.write(packet);
          out.flush();
        }
      } catch (IOException e) {
        closeQuietly(from);
        closeQuietly(to);
      }
    }, "proxy-" + direction);
    t.setDaemon(true);
    t.start();
  }

  /** Reads one whole packet: fixed header byte, remaining length (1..4 bytes), body. */
  private static byte[] readPacket(DataInputStream in) throws IOException {
    int first = in.read();
    if (first < 0) {
      throw new EOFException();
    }
    byte[] header = new byte[5];
    header[0] = (byte) first;
    int length = 0;
    int n = 1;
    int shift = 0;
    int b;
    do {
      b = in.readUnsignedByte();
      header[n++] = (byte) b;
      length |= (b & 0x7F) << shift;
      shift += 7;
    } while ((b & 0x80) != 0 && n < 5);
    byte[] packet = new byte[n + length];
    System.arraycopy(header, 0, packet, 0, n);
    in.readFully(packet, n, length);
    return packet;
  }

  private static void closeQuietly(Socket s) {
    try {
      s.close();
    } catch (IOException ignored) {
      // already closed
    }
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    cutAll();
  }
}
