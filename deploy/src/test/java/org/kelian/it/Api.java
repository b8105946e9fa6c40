package org.kelian.it;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

/** A small blocking HTTP client for tests: real requests to the running platform. */
public final class Api {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final String base;
  private final String token;

  public Api(int port, String token) {
    this.base = "http://127.0.0.1:" + port;
    this.token = token;
  }

  public String token() {
    return token;
  }

  /** The same session against another platform on the same database (after a restart). */
  public Api at(int port) {
    return new Api(port, token);
  }

  public static String loginToken(int port, String username, String password) {
    Response r = new Api(port, null).post("/api/v1/auth/login", new JsonObject().put("username", username).put("password", password));
    if (r.status() != 200) {
      throw new AssertionError("login of " + username + " failed: " + r.status() + " " + r.body());
    }
    return r.json().getString("token");
  }

  public static Api login(int port, String username, String password) {
    Response r = new Api(port, null).post("/api/v1/auth/login", new JsonObject().put("username", username).put("password", password));
    if (r.status() != 200) {
      throw new AssertionError("login of " + username + " failed: " + r.status() + " " + r.body());
    }
    return new Api(port, r.json().getString("token"));
  }

  public record Response(int status, String body, Map<String, java.util.List<String>> headers) {
    public JsonObject json() {
      return new JsonObject(body);
    }

    public JsonArray jsonArray() {
      return new JsonArray(body);
    }

    public String header(String name) {
      return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name)).findFirst()
          .map(e -> e.getValue().get(0)).orElse(null);
    }

    public String errorCode() {
      return json().getJsonObject("error").getString("code");
    }
  }

  public Response get(String path, String... headers) {
    return send(builder(path, headers).GET());
  }

  /** A GET whose body is bytes (media, images), written to {@code file}; answers the status. */
  public int download(String path, java.nio.file.Path file, String... headers) {
    try {
      return HTTP.send(builder(path, headers).GET().build(), HttpResponse.BodyHandlers.ofFile(file)).statusCode();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public Response post(String path, Object json, String... headers) {
    String body = json == null ? "" : json instanceof String s ? s : json.toString();
    return send(builder(path, headers).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)));
  }

  public Response put(String path, Object json, String... headers) {
    return send(builder(path, headers).header("Content-Type", "application/json")
        .PUT(HttpRequest.BodyPublishers.ofString(json.toString(), StandardCharsets.UTF_8)));
  }

  public Response patch(String path, Object json, String... headers) {
    return send(builder(path, headers).header("Content-Type", "application/json")
        .method("PATCH", HttpRequest.BodyPublishers.ofString(json.toString(), StandardCharsets.UTF_8)));
  }

  public Response delete(String path, String... headers) {
    return send(builder(path, headers).DELETE());
  }

  public Response request(String method, String path, byte[] body, String... headers) {
    return send(builder(path, headers).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  private HttpRequest.Builder builder(String path, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(60));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    for (int i = 0; i + 1 < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return b;
  }

  private static Response send(HttpRequest.Builder b) {
    try {
      HttpResponse<String> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      return new Response(r.statusCode(), r.body(), r.headers().map());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
