package org.kelian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.fail;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** A signaling client for tests: the JDK's WebSocket, each server message queued for the test to take in order. */
final class Signal implements AutoCloseable {

  private static final HttpClient HTTP = HttpClient.newHttpClient();
  static final Duration WAIT = Duration.ofSeconds(10);

  final BlockingQueue<JsonObject> received = new LinkedBlockingQueue<>();
  final CompletableFuture<Integer> closedWith = new CompletableFuture<>();
  final WebSocket ws;

  Signal(String url) {
    ws = HTTP.newWebSocketBuilder().buildAsync(URI.create(url), new WebSocket.Listener() {
      private final StringBuilder partial = new StringBuilder();

      @Override
      public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
          received.add(new JsonObject(partial.toString()));
          partial.setLength(0);
        }
        webSocket.request(1);
        return null;
      }

      @Override
      public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
        closedWith.complete(statusCode);
        return null;
      }

      @Override
      public void onError(WebSocket webSocket, Throwable error) {
        closedWith.complete(-1);
      }
    }).join();
  }

  /** Opens a connection and joins with the token; answers the welcome. */
  static Signal joined(String url, String token) {
    Signal s = new Signal(url);
    s.send(new JsonObject().put("type", "join").put("token", token));
    JsonObject w = s.next("welcome");
    assertNotNull(w.getJsonObject("you"));
    return s;
  }

  void send(JsonObject m) {
    sendText(m.encode());
  }

  void sendText(String text) {
    ws.sendText(text, true).join();
  }

  void sendBinary(byte[] bytes) {
    ws.sendBinary(ByteBuffer.wrap(bytes), true).join();
  }

  /** The next message of this type, skipping others (heartbeat answers, presence news). */
  JsonObject next(String type) {
    return next(m -> type.equals(m.getString("type")), type);
  }

  JsonObject next(Predicate<JsonObject> which, String what) {
    return next(which, what, WAIT);
  }

  JsonObject next(Predicate<JsonObject> which, String what, Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    try {
      while (true) {
        JsonObject m = received.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (m == null) {
          return fail("no " + what + " message within " + wait.toSeconds() + " s");
        }
        if (which.test(m)) {
          return m;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** The next error, which must carry this code and a message in both languages. */
  JsonObject error(String code) {
    return error(code, WAIT);
  }

  JsonObject error(String code, Duration wait) {
    JsonObject e = next(m -> "error".equals(m.getString("type")), "error", wait);
    assertEquals(code, e.getString("code"), e.encode());
    assertNotNull(e.getString("message"));
    assertNotNull(e.getString("messageEn"));
    return e;
  }

  /** Nothing of this type arrives for a short while (what another room must never see). */
  boolean quietAbout(String type, Duration d) {
    long deadline = System.nanoTime() + d.toNanos();
    try {
      while (System.nanoTime() < deadline) {
        JsonObject m = received.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        if (m != null && type.equals(m.getString("type"))) {
          return false;
        }
      }
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  int closeCode() {
    try {
      return closedWith.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (Exception e) {
      return fail("the connection was not closed within " + WAIT.toSeconds() + " s");
    }
  }

  @Override
  public void close() {
    if (!ws.isOutputClosed()) {
      ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye");
    }
    ws.abort();
  }
}
