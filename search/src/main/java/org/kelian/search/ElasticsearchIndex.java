package org.kelian.search;

import co.elastic.clients.elasticsearch.ElasticsearchAsyncClient;
import co.elastic.clients.elasticsearch._types.Refresh;
import co.elastic.clients.elasticsearch.core.BulkRequest;
import co.elastic.clients.elasticsearch.core.BulkResponse;
import co.elastic.clients.elasticsearch.core.SearchRequest;
import co.elastic.clients.elasticsearch.core.bulk.BulkOperation;
import co.elastic.clients.elasticsearch.core.bulk.BulkResponseItem;
import co.elastic.clients.elasticsearch.indices.update_aliases.Action;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.Future;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.Supplier;
import org.kelian.core.Classpath;
import org.kelian.core.health.HealthCheck;
import org.kelian.core.search.SearchDocument;
import org.kelian.core.search.SearchIndex;
import org.kelian.core.search.SearchQuery;
import org.kelian.core.search.SearchResult;
import org.kelian.core.search.Suggestion;

/**
 * The search port on Elasticsearch. Searches and writes go through the alias {@code <prefix>-resources}, which
 * points at one concrete index {@code <prefix>-resources-<millis>-<random>}; a rebuild fills a fresh concrete index
 * and moves the alias in one step.
 *
 * <p>Chinese with core analysis only: the standard tokenizer emits one token per Han character and a shingle filter
 * adds the bigrams at index time; queries are analysed into bigrams only (a lone character stays a unigram), so a
 * typed word matches where its characters are adjacent, and shingles never turn a query into a graph whose paths
 * multiply with its length. Pinyin and initials are computed in Java ({@link Pinyin}) into extra fields
 * ({@link IndexedResource}); how terms combine and rank is in {@link ResourceQueries}; the mapping is
 * {@code resources-index.json}.
 */
public final class ElasticsearchIndex implements SearchIndex {

  /** Documents per bulk request: large enough for throughput, small enough to stay far below http.max_content_length. */
  static final int BULK_BATCH = 1000;

  /** Bulk requests in flight at once for one call; see {@link #bulk}. */
  static final int BULK_LANES = 2;

  private static final String DEFINITION_SOURCE = Classpath.text("org/kelian/search/resources-index.json");
  /** The hash of the index definition this code writes; an index built from another one is rebuilt. */
  static final String DEFINITION_HASH = sha256(DEFINITION_SOURCE).substring(0, 16);
  private static final String DEFINITION = withMeta(DEFINITION_SOURCE, DEFINITION_HASH);

  private final Elasticsearch es;
  private final ElasticsearchAsyncClient client;
  private final String alias;
  private final boolean requestCache;

  /**
   * The index a rebuild in this process is filling: writes made meanwhile go to it too, so they survive the swap.
   * (A rebuild started on another node does not see them; its source snapshot decides there.)
   */
  private volatile String rebuilding;

  public ElasticsearchIndex(Elasticsearch es, SearchOptions options) {
    this.es = es;
    this.client = es.client();
    this.alias = options.indexPrefix() + "-resources";
    this.requestCache = options.requestCache();
  }

  /** The alias that searches use. */
  public String alias() {
    return alias;
  }

  @Override
  public HealthCheck health() {
    return es.health();
  }

  /**
   * Creates the live index when missing. Answers false when the live index was built from an older definition
   * than this code's (the definition's hash is kept in the mapping's {@code _meta}): a rebuild brings it up to date.
   */
  @Override
  public Future<Boolean> ensureIndex() {
    return aliasExists().compose(exists -> exists ? liveDefinitionIsCurrent()
        : createIndex(newIndexName(), false).map(true)
            // Two nodes starting together both create one: only one index may be the alias's write index, so
            // the loser's creation fails and it finds the winner's alias.
            .recover(failure -> aliasExists().compose(nowExists -> nowExists ? liveDefinitionIsCurrent()
                : Future.failedFuture(failure))));
  }

  private Future<Boolean> liveDefinitionIsCurrent() {
    return call(() -> client.indices().getMapping(m -> m.index(alias))).map(r -> r.result().values().stream().allMatch(m -> {
      var meta = m.mappings().meta();
      return meta != null && meta.containsKey("definition") && DEFINITION_HASH.equals(meta.get("definition").to(String.class));
    }));
  }


  @Override
  public Future<Void> upsert(Collection<SearchDocument> docs) {
    return write(docs, d -> indexOp(alias, d), this::alsoIntoRebuild);
  }

  @Override
  public Future<Void> delete(Collection<UUID> ids) {
    return write(ids, id -> BulkOperation.of(o -> o.delete(d -> d.index(alias).id(id.toString()))),
        id -> rebuilding == null ? null : BulkOperation.of(o -> o.delete(d -> d.index(rebuilding).id(id.toString()))));
  }

  @Override
  public Future<SearchResult> search(SearchQuery query) {
    return call(() -> client._transport().performRequestAsync(ResourceQueries.search(alias, query, requestCache), SearchAnswer.ENDPOINT,
        client._transportOptions()))
        .map(r -> ResourceHits.result(r, query.text()));
  }

  @Override
  public Future<List<Suggestion>> suggest(String prefix, List<String> visibility, int size) {
    if (prefix == null || ResourceQueries.suggestKeys(prefix).isEmpty() || size <= 0) {
      return Future.succeededFuture(List.of());
    }
    return call(() -> client.search(ResourceQueries.suggest(alias, prefix, visibility, size), Void.class))
        .map(r -> ResourceHits.suggestions(r, size));
  }

  @Override
  public Future<Rebuild> beginRebuild() {
    String index = newIndexName();
    return createIndex(index, true).map(v -> {
      rebuilding = index;
      return new IndexRebuild(index);
    });
  }

  /** A fresh index being filled; searches keep using the live one until {@link #commit()}. */
  private final class IndexRebuild implements Rebuild {
    private final String index;

    IndexRebuild(String index) {
      this.index = index;
    }

    @Override
    public Future<Void> add(Collection<SearchDocument> docs) {
      return bulk(docs, d -> indexOp(index, d), Refresh.False);
    }

    @Override
    public Future<Void> commit() {
      // Merged into one segment while nothing searches it yet: a bulk load leaves a dozen segments, and every search
      // pays per segment (measured on 200,000 resources: 13 segments → 1 halved the query time, for ~12 s here).
      // Then back to live settings and searchable, then one alias update: no moment where the alias is missing.
      return forceMerge(index).compose(v -> call(() -> client.indices().putSettings(p -> p.index(index)
              .settings(s -> s.refreshInterval(t -> t.time("1s")).autoExpandReplicas("0-1")))))
          .compose(v -> call(() -> client.indices().refresh(r -> r.index(index))))
          .compose(v -> liveIndices())
          .compose(old -> {
            List<Action> actions = new ArrayList<>();
            old.forEach(o -> actions.add(Action.of(a -> a.remove(r -> r.index(o).alias(alias)))));
            actions.add(Action.of(a -> a.add(r -> r.index(index).alias(alias).isWriteIndex(true))));
            return call(() -> client.indices().updateAliases(u -> u.actions(actions)))
                .compose(v -> {
                  rebuilding = null;
                  return old.isEmpty() ? Future.succeededFuture()
                      : call(() -> client.indices().delete(d -> d.index(old))).<Void>mapEmpty();
                });
          })
          .mapEmpty();
    }

    @Override
    public Future<Void> abort() {
      rebuilding = null;
      return call(() -> client.indices().delete(d -> d.index(index).ignoreUnavailable(true))).mapEmpty();
    }
  }

  /**
   * Merges an index into one segment. Run as a task and polled, since a large merge outlasts the client's socket
   * timeout.
   */
  private Future<Void> forceMerge(String index) {
    return call(() -> client.indices().forcemerge(f -> f.index(index).maxNumSegments(1L).waitForCompletion(false)))
        .compose(r -> r.task() == null ? Future.<Void>succeededFuture() : awaitTask(r.task()));
  }

  private Future<Void> awaitTask(String task) {
    return call(() -> client.tasks().get(g -> g.taskId(task))).compose(r -> {
      if (!r.completed()) {
        return es.vertx().timer(500).compose(v -> awaitTask(task));
      }
      return r.error() == null ? Future.<Void>succeededFuture()
          : Future.failedFuture(new IllegalStateException("force merge of the rebuilt index failed: " + r.error().reason()));
    });
  }

  private Future<Boolean> aliasExists() {
    return call(() -> client.indices().existsAlias(a -> a.name(alias))).map(r -> r.value());
  }

  /** The concrete indices the alias points at now (one, unless something outside Kelian added more). */
  private Future<List<String>> liveIndices() {
    return aliasExists().compose(exists -> exists
        ? call(() -> client.indices().getAlias(g -> g.name(alias))).map(r -> List.copyOf(r.result().keySet()))
        : Future.succeededFuture(List.of()));
  }

  private String newIndexName() {
    return alias + "-" + System.currentTimeMillis() + "-" + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000, 0x10000));
  }

  /**
   * Creates a concrete index from the definition. The live one carries the alias from birth; a rebuild target starts
   * without it, unreplicated and without periodic refresh, which roughly halves bulk loading time.
   */
  private Future<Void> createIndex(String name, boolean forRebuild) {
    String json = forRebuild ? rebuildDefinition() : DEFINITION;
    return call(() -> client.indices().create(c -> {
      c.index(name).withJson(new StringReader(json));
      if (!forRebuild) {
        c.aliases(alias, a -> a.isWriteIndex(true));
      }
      return c;
    })).mapEmpty();
  }

  private static String rebuildDefinition() {
    try {
      ObjectMapper json = new ObjectMapper();
      ObjectNode root = (ObjectNode) json.readTree(DEFINITION);
      ObjectNode index = (ObjectNode) root.path("settings").path("index");
      index.put("auto_expand_replicas", "false");
      index.put("number_of_replicas", 0);
      index.put("refresh_interval", "-1");
      return json.writeValueAsString(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String withMeta(String definition, String hash) {
    try {
      ObjectMapper json = new ObjectMapper();
      ObjectNode root = (ObjectNode) json.readTree(definition);
      ((ObjectNode) root.path("mappings")).putObject("_meta").put("definition", hash);
      return json.writeValueAsString(root);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String sha256(String text) {
    try {
      return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
          .digest(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static BulkOperation indexOp(String index, SearchDocument d) {
    Map<String, Object> source = IndexedResource.source(d);
    return BulkOperation.of(o -> o.index(i -> i.index(index).id(d.id().toString()).document(source)));
  }

  private BulkOperation alsoIntoRebuild(SearchDocument d) {
    String target = rebuilding;
    return target == null ? null : indexOp(target, d);
  }

  /** A live write, visible to searches when it completes; mirrored into a running rebuild. */
  private <T> Future<Void> write(Collection<T> items, Function<T, BulkOperation> live, Function<T, BulkOperation> mirror) {
    return bulk(items, live, Refresh.WaitFor).compose(v -> rebuilding == null ? Future.<Void>succeededFuture()
        : bulk(items, mirror, Refresh.False));
  }

  /**
   * Sends the operations in batches over {@link #BULK_LANES} concurrent lanes: one bulk request is indexed by one
   * write thread on a one-shard index, so two in flight keep two cores busy. Building the operations (pinyin, JSON
   * trees) is CPU work, so it happens on a worker thread; the requests themselves are asynchronous.
   */
  private <T> Future<Void> bulk(Collection<T> items, Function<T, BulkOperation> op, Refresh refresh) {
    List<T> all = List.copyOf(items);
    List<Future<Void>> lanes = new ArrayList<>();
    for (int lane = 0; lane < BULK_LANES; lane++) {
      Future<Void> chain = Future.succeededFuture();
      for (int from = lane * BULK_BATCH; from < all.size(); from += BULK_LANES * BULK_BATCH) {
        List<T> batch = all.subList(from, Math.min(all.size(), from + BULK_BATCH));
        chain = chain.compose(v -> bulkBatch(batch, op, refresh));
      }
      lanes.add(chain);
    }
    return Future.all(lanes).mapEmpty();
  }

  private <T> Future<Void> bulkBatch(List<T> batch, Function<T, BulkOperation> op, Refresh refresh) {
    return es.vertx().executeBlocking(() -> batch.stream().map(op).filter(o -> o != null).toList(), false)
        .compose(ops -> ops.isEmpty() ? Future.<Void>succeededFuture()
            : call(() -> client.bulk(BulkRequest.of(b -> b.operations(ops).refresh(refresh))))
                .compose(ElasticsearchIndex::checkItems));
  }

  /** A bulk request succeeds as a whole even when items fail; a delete of a missing id is not a failure. */
  private static Future<Void> checkItems(BulkResponse response) {
    if (!response.errors()) {
      return Future.succeededFuture();
    }
    List<BulkResponseItem> failed = response.items().stream().filter(i -> i.error() != null).toList();
    BulkResponseItem first = failed.get(0);
    RuntimeException e = new IllegalStateException(failed.size() + " of " + response.items().size()
        + " search index writes failed; first: " + first.id() + " " + first.error().type() + ": " + first.error().reason());
    boolean transientOnly = failed.stream().allMatch(i -> SearchFailures.isTransient(i.status()));
    return Future.failedFuture(transientOnly ? SearchFailures.unavailable(e) : e);
  }

  /** Every client call goes through here: bridged to the caller's context, failures translated once. */
  private <T> Future<T> call(Supplier<CompletableFuture<T>> request) {
    Future<T> f;
    try {
      f = es.call(request.get());
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    return f.recover(t -> Future.failedFuture(SearchFailures.translate(t)));
  }

  /**
   * The exact request body this adapter sends for a query, and the index it goes to; benchmarks send it straight
   * to Elasticsearch to measure what the platform adds on top.
   */
  public String requestJson(SearchQuery query) {
    return co.elastic.clients.json.JsonpUtils.toJsonString(ResourceQueries.search(alias, query, requestCache), client._jsonpMapper());
  }

  /**
   * The path and parameters of this adapter's search for a query, read from the client's endpoint for the very
   * request {@link #requestJson} writes (so the benchmark's raw side asks for the same cache use).
   */
  public String requestPath(SearchQuery query) {
    SearchRequest r = ResourceQueries.search(alias, query, requestCache);
    var endpoint = SearchRequest._ENDPOINT;
    StringBuilder b = new StringBuilder(endpoint.requestUrl(r));
    char separator = '?';
    for (Map.Entry<String, String> p : endpoint.queryParameters(r).entrySet()) {
      b.append(separator).append(URLEncoder.encode(p.getKey(), StandardCharsets.UTF_8)).append('=')
          .append(URLEncoder.encode(p.getValue(), StandardCharsets.UTF_8));
      separator = '&';
    }
    return b.toString();
  }
}
