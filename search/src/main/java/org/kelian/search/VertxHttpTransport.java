package org.kelian.search;

import co.elastic.clients.transport.TransportOptions;
import co.elastic.clients.transport.http.TransportHttpClient;
import co.elastic.clients.util.BinaryData;
import io.netty.handler.codec.http.QueryStringEncoder;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Elasticsearch client's HTTP layer on Vert.x's own HTTP client, in place of the low-level REST client (Apache
 * HttpAsyncClient with its own I/O threads). A request is sent from, and its answer read on, the calling Vert.x
 * context: no thread hop each way, no second connection pool and reactor beside Vert.x's. On the search benchmark the
 * REST client's request set-up alone was a tenth of the platform's CPU per search.
 *
 * <p>Several nodes are taken in turn. A node that cannot be reached (no connection, or the connection failed before
 * an answer) is passed over for {@link #REST_MILLIS} and the request goes to the next one, as the REST client does;
 * an answer, even an error status, is final. Bodies go with a Content-Length, not chunked.
 */
final class VertxHttpTransport implements TransportHttpClient {

  static final long REST_MILLIS = 30_000;

  private final Vertx vertx;
  private final HttpClient http;
  private final List<Node> nodes;
  private final Map<String, String> defaultHeaders;
  private final int idleTimeoutMillis;
  private final AtomicInteger next = new AtomicInteger();
  private final Map<Node, Long> restingUntil = new ConcurrentHashMap<>();

  VertxHttpTransport(Vertx vertx, List<String> urls, Map<String, String> defaultHeaders, int connectTimeoutMillis,
      int idleTimeoutMillis, int maxConnectionsPerNode) {
    this.vertx = vertx;
    this.nodes = urls.stream().map(u -> new Node(URI.create(u))).toList();
    this.defaultHeaders = Map.copyOf(defaultHeaders);
    this.idleTimeoutMillis = idleTimeoutMillis;
    this.http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(connectTimeoutMillis).setKeepAlive(true)
        .setTcpNoDelay(true), new PoolOptions().setHttp1MaxSize(maxConnectionsPerNode));
  }

  @Override
  public Response performRequest(String endpointId, Node node, Request request, TransportOptions options) throws IOException {
    if (io.vertx.core.Context.isOnEventLoopThread()) {
      throw new IllegalStateException("a blocking Elasticsearch call on an event loop");
    }
    try {
      return performRequestAsync(endpointId, node, request, options).get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof IOException io ? io : new IOException(e.getCause());
    }
  }

  @Override
  public CompletableFuture<Response> performRequestAsync(String endpointId, Node node, Request request, TransportOptions options) {
    CompletableFuture<Response> result = new CompletableFuture<>();
    Buffer body = body(request.body());
    String pathAndQuery = pathAndQuery(request, options);
    List<Node> order = node != null ? List.of(node) : order();
    attempt(order, 0, request, options, pathAndQuery, body, result);
    return result;
  }

  private void attempt(List<Node> order, int i, Request request, TransportOptions options, String pathAndQuery, Buffer body,
      CompletableFuture<Response> result) {
    Node node = order.get(i);
    RequestOptions ro = new RequestOptions().setMethod(HttpMethod.valueOf(request.method()))
        .setAbsoluteURI(base(node) + pathAndQuery).setIdleTimeout(idleTimeoutMillis);
    defaultHeaders.forEach(ro::putHeader);
    if (options != null) {
      options.headers().forEach(h -> ro.putHeader(h.getKey(), h.getValue()));
    }
    request.headers().forEach(ro::putHeader);
    Future<Response> answer = http.request(ro)
        .compose(req -> body == null ? req.send() : req.send(body))
        .compose(resp -> resp.body().map(b -> (Response) new Answer(node, resp, b)));
    answer.onComplete(ar -> {
      if (ar.succeeded()) {
        restingUntil.remove(node);
        result.complete(ar.result());
      } else {
        restingUntil.put(node, System.currentTimeMillis() + REST_MILLIS);
        if (i + 1 < order.size()) {
          attempt(order, i + 1, request, options, pathAndQuery, body, result);
        } else {
          Throwable t = ar.cause();
          result.completeExceptionally(t instanceof IOException ? t
              : new IOException("Elasticsearch at " + node.uri() + ": " + t.getMessage(), t));
        }
      }
    });
  }

  /** Every node once, starting with the next in turn; the ones resting since a failure last. */
  private List<Node> order() {
    int n = nodes.size();
    if (n == 1) {
      return nodes;
    }
    int start = Math.floorMod(next.getAndIncrement(), n);
    long now = System.currentTimeMillis();
    List<Node> awake = new ArrayList<>(n);
    List<Node> resting = new ArrayList<>();
    for (int k = 0; k < n; k++) {
      Node node = nodes.get((start + k) % n);
      Long until = restingUntil.get(node);
      (until != null && until > now ? resting : awake).add(node);
    }
    awake.addAll(resting);
    return awake;
  }

  /** A node's URL without its trailing slash (Node adds one), to put a request's path after. */
  private static String base(Node node) {
    String u = node.uri().toString();
    return u.endsWith("/") ? u.substring(0, u.length() - 1) : u;
  }

  private static String pathAndQuery(Request request, TransportOptions options) {
    QueryStringEncoder q = new QueryStringEncoder(request.path());
    request.queryParams().forEach(q::addParam);
    if (options != null) {
      options.queryParameters().forEach((k, v) -> {
        if (!request.queryParams().containsKey(k)) {
          q.addParam(k, v);
        }
      });
    }
    return q.toString();
  }

  private static Buffer body(Iterable<ByteBuffer> parts) {
    if (parts == null) {
      return null;
    }
    Buffer b = Buffer.buffer();
    for (ByteBuffer part : parts) {
      ByteBuffer p = part.duplicate();
      byte[] bytes = new byte[p.remaining()];
      p.get(bytes);
      b.appendBytes(bytes);
    }
    return b;
  }

  @Override
  public void close() throws IOException {
    try {
      http.close().await();
    } catch (RuntimeException e) {
      throw new IOException(e);
    }
  }

  /** An answer read whole (search answers are small; bulk answers are bounded by the batch size). */
  private record Answer(Node node, HttpClientResponse response, Buffer bytes) implements Response {
    @Override
    public int statusCode() {
      return response.statusCode();
    }

    @Override
    public String header(String name) {
      return response.getHeader(name);
    }

    @Override
    public List<String> headers(String name) {
      return response.headers().getAll(name);
    }

    @Override
    public BinaryData body() {
      return bytes.length() == 0 ? null : BinaryData.of(bytes.getBytes(), response.getHeader("Content-Type"));
    }

    @Override
    public Object originalResponse() {
      return response;
    }

    @Override
    public void close() {
    }
  }
}
