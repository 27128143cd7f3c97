package io.berth.broker.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Talks to the admin HTTP API of a running broker with {@link HttpClient}: one request per call, the
 * bearer token when one is given, the answer parsed as JSON. A 4xx/5xx answer becomes a
 * {@link Failure} carrying the broker's message.
 */
final class AdminClient {
  private static final Duration TIMEOUT = Duration.ofSeconds(15);

  private final URI base;
  private final String token;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final ObjectMapper json = new ObjectMapper();

  AdminClient(String url, String token) {
    this.base = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    this.token = token;
  }

  /** A request the broker refused or that did not reach it; the message says which and why. */
  static final class Failure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final int status;

    Failure(int status, String message) {
      super(message);
      this.status = status;
    }
  }

  static String segment(String clientId) {
    return URLEncoder.encode(clientId, StandardCharsets.UTF_8).replace("+", "%20");
  }

  static String param(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  JsonNode get(String path) {
    return send(request(path).GET());
  }

  JsonNode post(String path, Object body) {
    try {
      return send(request(path).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(body))));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  JsonNode delete(String path) {
    return send(request(path).DELETE());
  }

  /** The raw text of {@code path} (for {@code /metrics}). */
  String text(String path) {
    return exchange(request(path).GET()).body();
  }

  private HttpRequest.Builder request(String path) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(TIMEOUT);
    if (token != null && !token.isEmpty()) {
      b.header("Authorization", "Bearer " + token);
    }
    return b;
  }

  private JsonNode send(HttpRequest.Builder request) {
    HttpResponse<String> response = exchange(request);
    try {
      return json.readTree(response.body());
    } catch (IOException e) {
      throw new Failure(0, "the broker answered with something that is not JSON: " + e.getMessage());
    }
  }

  private HttpResponse<String> exchange(HttpRequest.Builder request) {
    HttpRequest r = request.build();
    HttpResponse<String> response;
    try {
      response = http.send(r, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new Failure(0, "cannot reach the admin API at " + base + ": " + e
          + " (is the broker running? see --url, --config)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new Failure(0, "interrupted");
    }
    if (response.statusCode() >= 400) {
      String message = response.body();
      try {
        JsonNode error = json.readTree(response.body());
        if (error != null && error.hasNonNull("message")) {
          message = error.get("message").asText();
        }
      } catch (IOException e) {
        // not JSON: show it as it is
      }
      throw new Failure(response.statusCode(), "HTTP " + response.statusCode() + ": " + message);
    }
    return response;
  }
}
