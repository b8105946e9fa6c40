package org.kelian.search;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.DefaultTransportOptions;
import co.elastic.clients.transport.ElasticsearchTransportBase;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import java.util.Map;
import org.kelian.core.health.HealthCheck;

/** The Elasticsearch async client, built once from {@link SearchOptions} over {@link VertxHttpTransport}, with its health check. */
public final class Elasticsearch implements AutoCloseable {

  static final int MAX_CONNECTIONS_PER_NODE = 64;
  static final int CONNECT_TIMEOUT_MILLIS = 3000;
  static final int IDLE_TIMEOUT_MILLIS = 30_000;

  private final Vertx vertx;
  private final VertxHttpTransport http;
  private final ElasticsearchAsyncClient client;

  public Elasticsearch(Vertx vertx, SearchOptions options) {
    this.vertx = vertx;
    if (options.urls().isEmpty()) {
      throw new IllegalArgumentException("KELIAN_ES_URLS is empty");
    }
    // Up to 64 connections per node: the client must not queue searches in this JVM while Elasticsearch's own search
    // queue has room (16 concurrent searches waited here with the REST client's 10).
    this.http = new VertxHttpTransport(vertx, options.urls(),
        options.apiKey() == null ? Map.of() : Map.of("Authorization", "ApiKey " + options.apiKey()),
        CONNECT_TIMEOUT_MILLIS, IDLE_TIMEOUT_MILLIS, MAX_CONNECTIONS_PER_NODE);
    this.client = new ElasticsearchAsyncClient(new ElasticsearchTransportBase(http, new DefaultTransportOptions(), new JacksonJsonpMapper()) {
    });
  }

  public ElasticsearchAsyncClient client() {
    return client;
  }

  public Vertx vertx() {
    return vertx;
  }

  /** Bridges a client call back onto the caller's Vert.x context. */
  public <T> Future<T> call(CompletableFuture<T> cf) {
    return Future.fromCompletionStage(cf, vertx.getOrCreateContext());
  }

  public HealthCheck health() {
    return new HealthCheck() {
      @Override
      public String name() {
        return "elasticsearch";
      }

      @Override
      public Future<Void> check() {
        // The cluster health API, not info(): the local distribution answers GET / with 405.
        return call(client.cluster().health()).compose(h -> switch (h.status()) {
          case Red -> Future.failedFuture("cluster status red");
          default -> Future.<Void>succeededFuture();
        });
      }
    };
  }

  @Override
  public void close() throws java.io.IOException {
    http.close();
  }
}
