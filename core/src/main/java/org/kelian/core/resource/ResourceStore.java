package org.kelian.core.resource;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlClient;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.kelian.core.db.Db;

/** Resources, their catalog links and curation history in PostgreSQL. Every change that search sees adds an outbox row. */
public final class ResourceStore {

  private static final String INSERT = "insert into resources (id, title, description, type, scope, status, tags, owner_id, "
      + "owner_school_id, owner_region_code) values ($1, $2, $3, $4, $5, 'draft', $6, $7, $8, $9)";
  private static final String LINK = "insert into resource_catalog_nodes (resource_id, node_id) values ($1, $2)";
  private static final String TRANSITION = "insert into resource_transitions (resource_id, from_status, to_status, actor_id, reason) "
      + "values ($1, $2, $3, $4, $5)";
  private static final String OUTBOX = "insert into search_outbox (resource_id) values ($1)";
  private static final String SELECT = "select r.*, u.display_name as owner_name, "
      + "(select coalesce(json_agg(json_build_object('id', n.id, 'path', n.path_titles) order by n.path_titles), '[]') "
      + "   from resource_catalog_nodes rcn join catalog_nodes n on n.id = rcn.node_id where rcn.resource_id = r.id) as nodes "
      + "from resources r join users u on u.id = r.owner_id ";
  private static final String BY_ID = SELECT + "where r.id = $1";
  private static final String HISTORY = "select t.from_status, t.to_status, u.display_name, t.reason, t.at from resource_transitions t "
      + "join users u on u.id = t.actor_id where t.resource_id = $1 order by t.id";
  private static final String LOCK_STATUS = "select status from resources where id = $1 for update";
  private static final String CHANGE_STATUS = "update resources set status = $2, version = version + 1, updated_at = now(), "
      + "published_at = case when $2 = 'published' then now() else published_at end where id = $1";
  private static final String ATTACH_FILE = "update resources set file_object_key = $2, file_name = $3, file_size = $4, "
      + "file_sha256 = $5, file_content_type = $6, version = version + 1, updated_at = now() where id = $1 and status in ('draft', 'rejected')";
  // Edits race: the version read by the editor must still be the current one.
  private static final String UPDATE = "update resources set title = $3, description = $4, tags = $5, scope = $6, "
      + "version = version + 1, updated_at = now() where id = $1 and version = $2 and status in ('draft', 'rejected')";
  private static final String UNLINK = "delete from resource_catalog_nodes where resource_id = $1";
  private static final String LIST = SELECT + "where ($1::uuid is null or r.owner_id = $1) and ($2::text is null or r.status = $2) "
      + "and ($3::uuid is null or r.owner_school_id = $3) order by r.updated_at desc limit $4 offset $5";
  private static final String COUNT = "select count(*) as n from resources r where ($1::uuid is null or r.owner_id = $1) "
      + "and ($2::text is null or r.status = $2) and ($3::uuid is null or r.owner_school_id = $3)";
  private static final String COUNT_VIEW = "update resources set view_count = view_count + 1 where id = $1";
  private static final String COUNT_DOWNLOAD = "update resources set download_count = download_count + 1 where id = $1";

  private final Pool pool;

  public ResourceStore(Pool pool) {
    this.pool = pool;
  }

  public record Page(List<Resource> items, long total) {
  }

  public Future<Void> insert(Resource r, List<UUID> nodeIds) {
    return Db.recover(pool.withTransaction(c -> c.preparedQuery(INSERT).execute(Tuple.from(List.of(r.id(), r.title(),
            r.description(), r.type().wire(), r.scope().wire(), r.tags().toArray(String[]::new), r.ownerId())).addValue(r.ownerSchoolId())
            .addValue(r.ownerRegionCode()))
        .compose(x -> nodeIds.isEmpty() ? Future.succeededFuture()
            : c.preparedQuery(LINK).executeBatch(nodeIds.stream().map(n -> Tuple.of(r.id(), n)).toList()).mapEmpty())
        .compose(x -> c.preparedQuery(TRANSITION).execute(Tuple.of(r.id(), null, ResourceStatus.DRAFT.wire(), r.ownerId(), null)))
        .mapEmpty()));
  }

  public Future<Optional<Resource>> find(UUID id) {
    return Db.recover(pool.preparedQuery(BY_ID).execute(Tuple.of(id)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(Optional.empty());
      }
      Row row = rows.iterator().next();
      return pool.preparedQuery(HISTORY).execute(Tuple.of(id)).map(h -> {
        List<Resource.Transition> history = new ArrayList<>();
        for (Row t : h) {
          history.add(new Resource.Transition(t.getString("from_status"), t.getString("to_status"), t.getString("display_name"),
              t.getString("reason"), t.getOffsetDateTime("at")));
        }
        return Optional.of(resource(row, history));
      });
    }));
  }

  /** Moves the status if it is still one of {@code from}; answers false when it is not (someone else moved it first). */
  public Future<Boolean> changeStatus(UUID id, List<ResourceStatus> from, ResourceStatus to, UUID actor, String reason) {
    return Db.recover(pool.withTransaction(c -> c.preparedQuery(LOCK_STATUS).execute(Tuple.of(id)).compose(rows -> {
      String old = rows.size() == 0 ? null : rows.iterator().next().getString("status");
      if (old == null || from.stream().noneMatch(f -> f.wire().equals(old))) {
        return Future.succeededFuture(false);
      }
      return c.preparedQuery(CHANGE_STATUS).execute(Tuple.of(id, to.wire()))
          .compose(x -> c.preparedQuery(TRANSITION).execute(Tuple.of(id, old, to.wire(), actor, reason)))
          .compose(x -> outbox(c, id))
          .map(x -> true);
    })));
  }

  /** Applies an edit if the resource is still at {@code version} and editable; answers whether it was. */
  public Future<Boolean> update(UUID id, int version, String title, String description, List<String> tags, Scope scope,
                                List<UUID> nodeIds) {
    return Db.recover(pool.withTransaction(c -> c.preparedQuery(UPDATE)
        .execute(Tuple.of(id, version, title, description, tags.toArray(String[]::new), scope.wire()))
        .compose(rows -> {
          if (rows.rowCount() == 0) {
            return Future.succeededFuture(false);
          }
          return c.preparedQuery(UNLINK).execute(Tuple.of(id))
              .compose(x -> c.preparedQuery(LINK).executeBatch(nodeIds.stream().map(n -> Tuple.of(id, n)).toList()))
              .compose(x -> outbox(c, id))
              .map(x -> true);
        })));
  }

  /** Records the uploaded file; only drafts and rejected resources take a new file. */
  public Future<Boolean> attachFile(UUID id, Resource.StoredFile f) {
    return Db.recover(pool.preparedQuery(ATTACH_FILE)
        .execute(Tuple.of(id, f.objectKey(), f.name(), f.size(), f.sha256(), f.contentType()))
        .map(rows -> rows.rowCount() == 1));
  }

  public Future<Page> list(UUID ownerId, ResourceStatus status, UUID ownerSchoolId, int limit, int offset) {
    String s = status == null ? null : status.wire();
    return Db.recover(pool.preparedQuery(COUNT).execute(Tuple.of(ownerId, s, ownerSchoolId))
        .compose(count -> pool.preparedQuery(LIST).execute(Tuple.of(ownerId, s, ownerSchoolId, limit, offset)).map(rows -> {
          List<Resource> items = new ArrayList<>();
          rows.forEach(r -> items.add(resource(r, List.of())));
          return new Page(items, count.iterator().next().getLong("n"));
        })));
  }

  public Future<Void> countView(UUID id) {
    return Db.recover(pool.preparedQuery(COUNT_VIEW).execute(Tuple.of(id)).mapEmpty());
  }

  public Future<Void> countDownload(UUID id) {
    return Db.recover(pool.preparedQuery(COUNT_DOWNLOAD).execute(Tuple.of(id)).mapEmpty());
  }

  static Future<RowSet<Row>> outbox(SqlClient c, UUID id) {
    return c.preparedQuery(OUTBOX).execute(Tuple.of(id));
  }

  static Resource resource(Row r, List<Resource.Transition> history) {
    List<Resource.NodeRef> nodes = new ArrayList<>();
    JsonArray arr = Db.jsonArray(r, "nodes");
    for (Object o : arr) {
      io.vertx.core.json.JsonObject n = (io.vertx.core.json.JsonObject) o;
      List<String> path = new ArrayList<>();
      n.getJsonArray("path").forEach(p -> path.add(String.valueOf(p)));
      nodes.add(new Resource.NodeRef(UUID.fromString(n.getString("id")), path));
    }
    String key = r.getString("file_object_key");
    Resource.StoredFile file = key == null ? null : new Resource.StoredFile(key, r.getString("file_name"), r.getLong("file_size"),
        r.getString("file_sha256"), r.getString("file_content_type"));
    return new Resource(r.getUUID("id"), r.getString("title"), r.getString("description"),
        ResourceType.parse(r.getString("type")).orElseThrow(), Scope.parse(r.getString("scope")).orElseThrow(),
        ResourceStatus.parse(r.getString("status")).orElseThrow(), Arrays.asList(r.getArrayOfStrings("tags")),
        r.getBoolean("featured"), r.getUUID("owner_id"), r.getString("owner_name"), r.getUUID("owner_school_id"),
        r.getString("owner_region_code"), file, nodes, r.getLong("view_count"), r.getLong("download_count"),
        r.getInteger("version"), r.getOffsetDateTime("created_at"), r.getOffsetDateTime("updated_at"),
        r.getOffsetDateTime("published_at"), history);
  }
}
