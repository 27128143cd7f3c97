package io.berth.broker.cluster;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP proxy on 127.0.0.1 in front of one node's Raft port, which can drop what it is sent: while
 * dropping, it accepts connections and reads their bytes but forwards nothing either way (a network that
 * loses every packet, not one that refuses). Dropping closes the connections it had, so that a healed
 * network starts on fresh connections rather than in the middle of a frame.
 *
 * <p>Threading: one accepting thread, two pumping threads per connection; {@link #drop} and {@link #heal}
 * from any thread.
 */
final class DroppingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int target;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean dropping;

    DroppingProxy(int target) {
        this.target = target;
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread accepting = new Thread(this::accept, "proxy-" + server.getLocalPort());
        accepting.setDaemon(true);
        accepting.start();
    }

    int port() {
        return server.getLocalPort();
    }

    /** From now on nothing passes, in either direction. */
    void drop() {
        dropping = true;
        closeAll();
    }

    /** Traffic passes again, on new connections. */
    void heal() {
        dropping = false;
        closeAll();
    }

    private void closeAll() {
        for (Socket s : open) {
            quietly(s);
        }
        open.clear();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket in = server.accept();
                open.add(in);
                if (dropping) {
                    pump(in, null);
                    continue;
                }
                Socket out;
                try {
                    out = new Socket(InetAddress.getLoopbackAddress(), target);
                } catch (IOException e) {
                    // the node is not up yet: refuse, as it would, rather than hold a dead connection
                    quietly(in);
                    continue;
                }
                open.add(out);
                pump(in, out);
                pump(out, in);
            } catch (IOException e) {
                // the server closed, or the target is down: the caller sees a closed connection
            }
        }
    }

    /** Copies what {@code from} sends to {@code to} (nowhere when null or while dropping). */
    private void pump(Socket from, Socket to) {
        Thread t = new Thread(
                () -> {
                    byte[] buf = new byte[16384];
                    try (InputStream in = from.getInputStream()) {
                        OutputStream out = to == null ? null : to.getOutputStream();
                        int n;
                        while ((n = in.read(buf)) >= 0) {
                            if (out != null && !dropping) {
                                out.write(buf, 0, n);
                                out.flush();
                            }
                        }
                    } catch (IOException e) {
                        // closed on either side
                    } finally {
                        quietly(from);
                        if (to != null) {
                            quietly(to);
                        }
                    }
                },
                "proxy-pump-" + server.getLocalPort());
        t.setDaemon(true);
        t.start();
    }

    private static void quietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // closed already
        }
    }

    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException e) {
            // closed already
        }
        closeAll();
    }
}
