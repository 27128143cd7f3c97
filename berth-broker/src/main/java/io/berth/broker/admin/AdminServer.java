package io.berth.broker.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.berth.broker.config.BrokerConfig;
import io.berth.broker.metrics.BrokerMetrics;
import io.berth.broker.session.SessionAdmin;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The admin HTTP listener: checks the bearer token, hands {@code /sessions...} to
 * {@link SessionResource} and serves {@code /metrics}. Every answer is JSON, except {@code /metrics}
 * (Prometheus text format); every refusal is a 4xx with {@code {"error": ..., "message": ...}}.
 *
 * <p>Without a token the API serves only on a loopback address: {@link #start} refuses any other bind
 * address, so the API is never open to the network by accident.
 *
 * <p>Threading: {@link #start} and {@link #close} from the broker's start/close; requests run on a pool
 * of two daemon threads.
 */
public final class AdminServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AdminServer.class);
  /** Largest request body read: purge requests are a few dozen bytes. */
  static final int MAX_BODY = 64 * 1024;

  private final byte[] token;
  private final SessionResource sessions;
  private final BrokerMetrics metrics;
  private final ObjectMapper json = new ObjectMapper();
  private HttpServer server;
  private ExecutorService pool;

  public AdminServer(BrokerConfig config, SessionAdmin admin, BrokerMetrics metrics) {
    this.token = config.adminToken().getBytes(StandardCharsets.UTF_8);
    this.sessions = new SessionResource(admin);
    this.metrics = metrics;
  }

  /**
   * Binds {@code bind:port} and starts serving; returns the bound address.
   *
   * @throws IllegalStateException when the address is not loopback and no token is configured, or it
   *     cannot be bound
   */
  public static AdminServer start(BrokerConfig config, SessionAdmin admin, BrokerMetrics metrics) {
    AdminServer s = new AdminServer(config, admin, metrics);
    s.listen(config.adminBind(), config.adminPort());
    return s;
  }

  private void listen(String bind, int port) {
    InetAddress address;
    try {
      address = InetAddress.getByName(bind);
    } catch (UnknownHostException e) {
      throw new IllegalStateException("admin-bind: cannot resolve '" + bind + "'");
    }
    if (token.length == 0 && !address.isLoopbackAddress()) {
      throw new IllegalStateException("admin-bind " + bind + " is not a loopback address and no admin-token "
          + "is set: set admin-token, bind the admin API to 127.0.0.1, or turn it off with admin-port -1");
    }
    try {
      server = HttpServer.create(new InetSocketAddress(address, port), 16);
    } catch (IOException e) {
      throw new IllegalStateException("admin API cannot listen on " + bind + ":" + port + ": " + e.getMessage()
          + " (set admin-port to another port, 0 for any free one, or -1 for none)", e);
    }
    AtomicInteger n = new AtomicInteger();
    pool = Executors.newFixedThreadPool(2, r -> {
      Thread t = new Thread(r, "berth-admin-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    server.setExecutor(pool);
    server.createContext("/", this::handle);
    server.start();
  }

  /** The bound address. */
  public InetSocketAddress address() {
    return server.getAddress();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try {
      try {
        authorize(exchange);
        String path = exchange.getRequestURI().getRawPath();
        String method = exchange.getRequestMethod();
        if (path.equals("/metrics")) {
          requireMethod(method, "GET");
          send(exchange, 200, "text/plain; version=0.0.4; charset=utf-8",
              metrics.scrape().getBytes(StandardCharsets.UTF_8));
          return;
        }
        Object body = sessions.handle(method, path, exchange.getRequestURI().getRawQuery(),
            () -> readBody(exchange));
        sendJson(exchange, 200, body);
      } catch (AdminError e) {
        if (e.status == 401) {
          exchange.getResponseHeaders().set("WWW-Authenticate", "Bearer realm=\"berth\"");
        }
        if (e.allow != null) {
          exchange.getResponseHeaders().set("Allow", e.allow);
        }
        sendJson(exchange, e.status, error(e.code(), e.getMessage()));
      } catch (RuntimeException e) {
        LOG.warn("admin request {} {} failed", exchange.getRequestMethod(), exchange.getRequestURI(), e);
        sendJson(exchange, 500, error("error", String.valueOf(e.getMessage())));
      }
    } finally {
      exchange.close();
    }
  }

  private void authorize(HttpExchange exchange) {
    if (token.length == 0) {
      return;
    }
    String header = exchange.getRequestHeaders().getFirst("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      throw new AdminError(401, "an Authorization: Bearer <admin-token> header is required");
    }
    byte[] given = header.substring(7).trim().getBytes(StandardCharsets.UTF_8);
    if (!MessageDigest.isEqual(given, token)) {
      throw new AdminError(401, "the bearer token is not the admin-token");
    }
  }

  static void requireMethod(String method, String allowed) {
    if (!method.equals(allowed)) {
      throw AdminError.methodNotAllowed(method, allowed);
    }
  }

  private static byte[] readBody(HttpExchange exchange) {
    try (InputStream in = exchange.getRequestBody()) {
      byte[] body = in.readNBytes(MAX_BODY + 1);
      if (body.length > MAX_BODY) {
        throw new AdminError(413, "request body larger than " + MAX_BODY + " bytes");
      }
      return body;
    } catch (IOException e) {
      throw AdminError.badRequest("cannot read the request body: " + e.getMessage());
    }
  }

  private static Map<String, Object> error(String code, String message) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("error", code);
    m.put("message", message);
    return m;
  }

  private void sendJson(HttpExchange exchange, int status, Object body) throws IOException {
    byte[] bytes = json.writerWithDefaultPrettyPrinter().writeValueAsBytes(body);
    send(exchange, status, "application/json; charset=utf-8", bytes);
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] bytes) throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  /** Stops listening and ends the request threads; idempotent. */
  @Override
  public void close() {
    if (server != null) {
      server.stop(0);
      server = null;
    }
    if (pool != null) {
      pool.shutdownNow();
      try {
        pool.awaitTermination(2, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      pool = null;
    }
  }
}
