package org.kelian.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import co.elastic.clients.elasticsearch._types.ElasticsearchException;
import co.elastic.clients.elasticsearch.core.SearchResponse;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.kelian.core.error.KelianException;
import org.kelian.core.search.SearchQuery;

/**
 * The Elasticsearch client over {@link VertxHttpTransport}, against small HTTP servers that stand in for nodes
 * answering, refusing, breaking connections or answering an error: what goes on the wire, and how nodes are chosen.
 * (Every integration test talks to the real Elasticsearch through the same transport.)
 */
class VertxHttpTransportTest {

  private static final String ANSWER = "{\"took\":1,\"timed_out\":false,\"_shards\":{\"total\":1,\"successful\":1,\"skipped\":0,"
      + "\"failed\":0},\"hits\":{\"total\":{\"value\":7,\"relation\":\"eq\"},\"max_score\":null,\"hits\":[]}}";
  private static final String BAD_REQUEST = "{\"error\":{\"type\":\"parsing_exception\",\"reason\":\"bad\"},\"status\":400}";

  record Seen(String method, String uri, String contentLength, String transferEncoding, String authorization, String body) {
  }

  private Vertx vertx;
  private final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final AtomicInteger broken = new AtomicInteger();

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() {
    vertx.close().await();
  }

  @Test
  void aSearchGoesWithContentLengthItsParametersAndTheApiKey() throws Exception {
    String node = answering(200, ANSWER);
    try (Elasticsearch es = new Elasticsearch(vertx, new SearchOptions(List.of(node), "a2V5OnNlY3JldA==", "t"))) {
      SearchResponse<Void> r = search(es);
      assertEquals(7, r.hits().total().value(), "the node's answer is read");
    }
    assertEquals(1, seen.size());
    Seen s = seen.get(0);
    assertEquals("POST", s.method());
    assertTrue(s.uri().startsWith("/t-resources/_search?"), s.uri());
    assertTrue(s.uri().contains("request_cache=true"), s.uri());
    assertEquals(String.valueOf(s.body().getBytes(java.nio.charset.StandardCharsets.UTF_8).length), s.contentLength());
    assertNull(s.transferEncoding(), "not chunked");
    assertEquals("ApiKey a2V5OnNlY3JldA==", s.authorization());
    assertEquals(20, new JsonObject(s.body()).getInteger("size"));
  }

  @Test
  void aNodeThatBreaksTheConnectionIsPassedOverAndLeftToRest() throws Exception {
    String breaking = breaking();
    String node = answering(200, ANSWER);
    try (Elasticsearch es = new Elasticsearch(vertx, new SearchOptions(List.of(breaking, node), null, "t"))) {
      for (int i = 0; i < 4; i++) {
        assertEquals(7, search(es).hits().total().value(), "answered by the node that works");
      }
    }
    assertEquals(4, seen.size());
    assertEquals(1, broken.get(), "once failed, the node rests: the next searches go to the other one first");
  }

  @Test
  void withNoNodeToAnswerASearchIsUnavailable() throws Exception {
    try (Elasticsearch es = new Elasticsearch(vertx, new SearchOptions(List.of(refusing(), breaking()), null, "t"))) {
      ElasticsearchIndex index = new ElasticsearchIndex(es, new SearchOptions(List.of("http://unused"), null, "t"));
      Throwable t = assertThrows(Throwable.class, () -> index.search(query()).await());
      KelianException k = assertInstanceOf(KelianException.class, t);
      assertEquals("search_unavailable", k.code());
    }
    assertEquals(1, broken.get());
  }

  @Test
  void anErrorAnswerIsFinalNotTriedOnAnotherNode() throws Exception {
    String a = answering(400, BAD_REQUEST);
    String b = answering(400, BAD_REQUEST);
    try (Elasticsearch es = new Elasticsearch(vertx, new SearchOptions(List.of(a, b), null, "t"))) {
      Exception e = assertThrows(Exception.class, () -> search(es));
      ElasticsearchException ee = assertInstanceOf(ElasticsearchException.class, e.getCause());
      assertEquals(400, ee.status());
    }
    assertEquals(1, seen.size());
  }

  @Test
  void blockingCallsAreRefusedOnAnEventLoop() throws Exception {
    String node = answering(200, ANSWER);
    VertxHttpTransport t = new VertxHttpTransport(vertx, List.of(node), java.util.Map.of(), 1000, 1000, 4);
    Throwable refused = io.vertx.core.Future.<Throwable>future(p -> vertx.runOnContext(x -> {
      try {
        t.performRequest("search", null, new co.elastic.clients.transport.http.TransportHttpClient.Request("GET", "/", java.util.Map.of(),
            java.util.Map.of(), null), null);
        p.complete(null);
      } catch (Throwable e) {
        p.complete(e);
      }
    })).await();
    assertInstanceOf(IllegalStateException.class, refused);
    t.close();
  }

  private static SearchResponse<Void> search(Elasticsearch es) throws Exception {
    return es.client().search(ResourceQueries.search("t-resources", query()), Void.class).get();
  }

  private static SearchQuery query() {
    return new SearchQuery("分数", null, null, null, null, null, null, null, SearchQuery.Sort.RELEVANCE, 1, 20, null);
  }

  private String answering(int status, String json) {
    HttpServer server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
      seen.add(new Seen(req.method().name(), req.uri(), req.getHeader("Content-Length"), req.getHeader("Transfer-Encoding"),
          req.getHeader("Authorization"), body.toString()));
      req.response().setStatusCode(status).putHeader("Content-Type", "application/json")
          .putHeader("X-Elastic-Product", "Elasticsearch").end(json);
    }));
    return "http://127.0.0.1:" + server.listen(0, "127.0.0.1").await().actualPort();
  }

  /** A node that accepts connections and closes them at once. */
  private String breaking() {
    var server = vertx.createNetServer().connectHandler(socket -> {
      broken.incrementAndGet();
      socket.close();
    });
    return "http://127.0.0.1:" + server.listen(0, "127.0.0.1").await().actualPort();
  }

  /** A port where nothing listens. */
  private static String refusing() throws Exception {
    try (ServerSocket s = new ServerSocket(0)) {
      return "http://127.0.0.1:" + s.getLocalPort();
    }
  }
}
