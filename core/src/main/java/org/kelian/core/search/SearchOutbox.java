package org.kelian.core.search;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.kelian.core.db.Db;

/** The search outbox and the documents built from PostgreSQL, the system of record. */
public final class SearchOutbox {

  private static final String PENDING = "select id, resource_id from search_outbox order by id limit $1";
  private static final String REMOVE = "delete from search_outbox where id = any($1)";
  private static final String DOCS = "select r.id, r.title, r.description, r.tags, r.type, r.scope, r.owner_region_code, "
      + "r.owner_school_id, r.featured, r.view_count, r.published_at, "
      + "(select coalesce(json_agg(n.path_titles order by n.path_titles), '[]') from resource_catalog_nodes rcn "
      + "   join catalog_nodes n on n.id = rcn.node_id where rcn.resource_id = r.id) as paths, "
      // path_ids holds each attached node's ancestors and itself: the nodes a "search under this node" may name.
      + "(select coalesce(array_agg(distinct p.id), '{}') from resource_catalog_nodes rcn "
      + "   join catalog_nodes n on n.id = rcn.node_id cross join unnest(n.path_ids) as p(id) where rcn.resource_id = r.id) as node_ids, "
      + "(select coalesce(array_agg(c->>'t' order by cap.lang, (c->>'s')::float), '{}') from captions cap "
      + "   cross join jsonb_array_elements(cap.cues) c where cap.resource_id = r.id) as captions "
      + "from resources r where r.status = 'published' ";
  private static final String DOCS_BY_ID = DOCS + "and r.id = any($1)";
  private static final String DOCS_PAGE = DOCS + "and r.id > $1 order by r.id limit $2";
  private static final String ENQUEUE_CHANGED = "insert into search_outbox (resource_id) select id from resources where updated_at >= $1";
  private static final String BACKLOG = "select count(*) as n from search_outbox";

  private final Pool pool;

  public SearchOutbox(Pool pool) {
    this.pool = pool;
  }

  public record Entry(long id, UUID resourceId) {
  }

  public Future<List<Entry>> pending(int limit) {
    return Db.recover(pool.preparedQuery(PENDING).execute(Tuple.of(limit)).map(rows -> {
      List<Entry> out = new ArrayList<>();
      rows.forEach(r -> out.add(new Entry(r.getLong("id"), r.getUUID("resource_id"))));
      return out;
    }));
  }

  public Future<Void> remove(List<Entry> entries) {
    return Db.recover(pool.preparedQuery(REMOVE).execute(Tuple.of(entries.stream().map(Entry::id).toArray(Long[]::new))).mapEmpty());
  }

  public Future<Long> backlog() {
    return Db.recover(pool.query(BACKLOG).execute().map(rows -> rows.iterator().next().getLong("n")));
  }

  /** The documents of those resources that are published now; the others are to be removed from the index. */
  public Future<List<SearchDocument>> documents(Set<UUID> resourceIds) {
    return Db.recover(pool.preparedQuery(DOCS_BY_ID).execute(Tuple.of(resourceIds.toArray(UUID[]::new))).map(SearchOutbox::docs));
  }

  /** Published documents in id order after {@code afterId}, for a full rebuild. */
  public Future<List<SearchDocument>> page(UUID afterId, int limit) {
    return Db.recover(pool.preparedQuery(DOCS_PAGE).execute(Tuple.of(afterId, limit)).map(SearchOutbox::docs));
  }

  /** Re-queues everything changed since a rebuild started, so the new index misses nothing written meanwhile. */
  public Future<Void> enqueueChangedSince(Instant since) {
    return Db.recover(pool.preparedQuery(ENQUEUE_CHANGED).execute(Tuple.of(OffsetDateTime.ofInstant(since, java.time.ZoneOffset.UTC))).mapEmpty());
  }

  private static List<SearchDocument> docs(Iterable<Row> rows) {
    List<SearchDocument> out = new ArrayList<>();
    for (Row r : rows) {
      List<List<String>> paths = new ArrayList<>();
      JsonArray arr = Db.jsonArray(r, "paths");
      for (Object p : arr) {
        List<String> path = new ArrayList<>();
        ((JsonArray) p).forEach(t -> path.add(String.valueOf(t)));
        paths.add(path);
      }
      String scope = r.getString("scope");
      OffsetDateTime published = r.getOffsetDateTime("published_at");
      out.add(new SearchDocument(r.getUUID("id"), r.getString("title"), r.getString("description"),
          Arrays.asList(r.getArrayOfStrings("tags")), r.getString("type"), scope,
          List.of(Visibility.documentKey(scope, r.getString("owner_region_code"), r.getUUID("owner_school_id"))),
          paths, Arrays.asList(r.getArrayOfUUIDs("node_ids")), level(paths, 0), level(paths, 1), level(paths, 2), level(paths, 3), r.getBoolean("featured"),
          r.getLong("view_count"), published == null ? null : published.toInstant(), Arrays.asList(r.getArrayOfStrings("captions"))));
    }
    return out;
  }

  /** The distinct titles at one depth of the paths: 0 = stage, 1 = subject, 2 = edition, 3 = grade. */
  private static List<String> level(List<List<String>> paths, int depth) {
    Set<String> out = new LinkedHashSet<>();
    paths.stream().filter(p -> p.size() > depth).forEach(p -> out.add(p.get(depth)));
    return new ArrayList<>(out);
  }
}
