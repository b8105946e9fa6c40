package org.kelian.search;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.json.jackson.JacksonJsonpMapper;
import co.elastic.clients.transport.rest_client.RestClientTransport;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.util.concurrent.CompletableFuture;
import org.apache.http.Header;
import org.apache.http.HttpHost;
import org.apache.http.message.BasicHeader;
import org.elasticsearch.client.RestClient;
import org.kelian.core.health.HealthCheck;

/** The Elasticsearch async client, built once from {@link SearchOptions}, with its health check. */
public final class Elasticsearch implements AutoCloseable {

  static final int MAX_CONNECTIONS_PER_NODE = 64;
  static final int MAX_CONNECTIONS = 128;

  private final Vertx vertx;
  private final RestClient rest;
  private final ElasticsearchAsyncClient client;

  public Elasticsearch(Vertx vertx, SearchOptions options) {
    this.vertx = vertx;
    if (options.urls().isEmpty()) {
      throw new IllegalArgumentException("KELIAN_ES_URLS is empty");
    }
    var builder = RestClient.builder(options.urls().stream().map(HttpHost::create).toArray(HttpHost[]::new))
        .setRequestConfigCallback(rc -> rc.setConnectTimeout(3000).setSocketTimeout(30_000))
        // The low-level client's defaults (10 connections per node, 30 in all) would queue searches in this JVM as
        // soon as more than 10 run at once: let Elasticsearch's own search queue decide.
        // Authentication is an API key header, and Elasticsearch sets no cookies: without the HTTP client's auth cache
        // (which deserializes a cached BasicScheme on every request: 5% of the search benchmark's JVM samples) and
        // cookie handling, a request does neither.
        .setHttpClientConfigCallback(hc -> hc.setMaxConnPerRoute(MAX_CONNECTIONS_PER_NODE).setMaxConnTotal(MAX_CONNECTIONS)
            .disableAuthCaching().disableCookieManagement());
    if (options.apiKey() != null) {
      builder.setDefaultHeaders(new Header[] {new BasicHeader("Authorization", "ApiKey " + options.apiKey())});
    }
    this.rest = builder.build();
    this.client = new ElasticsearchAsyncClient(new RestClientTransport(rest, new JacksonJsonpMapper()));
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
    rest.close();
  }
}
