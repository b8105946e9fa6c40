package org.kelian.core.catalog;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.kelian.core.db.Db;

/** Catalog nodes in PostgreSQL, with materialized paths kept in step on rename and move. */
public final class CatalogStore {

  private static final String COLUMNS = "n.id, n.parent_id, n.kind, n.title, n.position, n.path_ids, n.path_titles, "
      + "(select count(*) from catalog_nodes c where c.parent_id = n.id) as child_count";
  private static final String CHILDREN = "select " + COLUMNS + " from catalog_nodes n where n.parent_id is not distinct from $1 "
      + "order by n.position, n.title";
  private static final String BY_ID = "select " + COLUMNS + " from catalog_nodes n where n.id = $1";
  private static final String BY_IDS = "select " + COLUMNS + " from catalog_nodes n where n.id = any($1)";
  private static final String INSERT = "insert into catalog_nodes (id, parent_id, kind, title, position, path_ids, path_titles) "
      + "values ($1, $2, $3, $4, $5, $6, $7) on conflict (id) do nothing";
  private static final String NEXT_POSITION = "select coalesce(max(position) + 1, 0) as p from catalog_nodes where parent_id is not distinct from $1";
  private static final String SIBLING_TITLE = "select 1 from catalog_nodes where parent_id is not distinct from $1 and title = $2 and id <> $3";
  // Renaming rewrites the title at this depth in every descendant's path.
  private static final String RENAME = "update catalog_nodes set path_titles[$2] = $3, "
      + "title = case when id = $1 then $3 else title end, updated_at = now() where path_ids @> array[$1::uuid]";
  // Moving replaces the path prefix above the moved node in the whole subtree.
  private static final String MOVE = "update catalog_nodes set "
      + "path_ids = $2::uuid[] || path_ids[$3:], path_titles = $4::text[] || path_titles[$3:], "
      + "parent_id = case when id = $1 then $5 else parent_id end, "
      + "position = case when id = $1 then $6 else position end, updated_at = now() where path_ids @> array[$1::uuid]";
  private static final String RESOURCES_IN_SUBTREE = "select count(distinct rcn.resource_id) as n from resource_catalog_nodes rcn "
      + "join catalog_nodes d on d.id = rcn.node_id where d.path_ids @> array[$1::uuid]";
  private static final String DELETE_SUBTREE = "delete from catalog_nodes where path_ids @> array[$1::uuid]";
  private static final String OUTBOX_SUBTREE = "insert into search_outbox (resource_id) select distinct rcn.resource_id "
      + "from resource_catalog_nodes rcn join catalog_nodes d on d.id = rcn.node_id where d.path_ids @> array[$1::uuid]";
  private static final String COUNT = "select count(*) as n from catalog_nodes";

  private final Pool pool;

  public CatalogStore(Pool pool) {
    this.pool = pool;
  }

  public Future<List<CatalogNode>> children(UUID parentId) {
    return Db.recover(pool.preparedQuery(CHILDREN).execute(Tuple.of(parentId)).map(CatalogStore::nodes));
  }

  public Future<Optional<CatalogNode>> find(UUID id) {
    return Db.recover(pool.preparedQuery(BY_ID).execute(Tuple.of(id)).map(rows -> nodes(rows).stream().findFirst()));
  }

  public Future<List<CatalogNode>> findAll(List<UUID> ids) {
    return Db.recover(pool.preparedQuery(BY_IDS).execute(Tuple.of(ids.toArray(UUID[]::new))).map(CatalogStore::nodes));
  }

  public Future<Long> count() {
    return Db.recover(pool.query(COUNT).execute().map(rows -> rows.iterator().next().getLong("n")));
  }

  /** Inserts the nodes that do not exist yet, in one transaction; answers how many were new. */
  public Future<Integer> insertMissing(List<Textbooks.NodeSpec> specs) {
    List<Tuple> batch = new ArrayList<>(specs.size());
    for (Textbooks.NodeSpec s : specs) {
      batch.add(Tuple.of(s.id(), s.parentId(), s.kind().wire(), s.title(), s.position(),
          s.pathIds().toArray(UUID[]::new), s.pathTitles().toArray(String[]::new)));
    }
    return Db.recover(pool.withTransaction(c -> c.preparedQuery(INSERT).executeBatch(batch).map(rows -> {
      int inserted = 0;
      for (RowSet<Row> r = rows; r != null; r = r.next()) {
        inserted += r.rowCount();
      }
      return inserted;
    })));
  }

  public Future<CatalogNode> insert(UUID parentId, CatalogKind kind, String title, List<UUID> parentPathIds, List<String> parentPathTitles) {
    UUID id = UUID.randomUUID();
    List<UUID> pathIds = new ArrayList<>(parentPathIds);
    pathIds.add(id);
    List<String> pathTitles = new ArrayList<>(parentPathTitles);
    pathTitles.add(title);
    return Db.recover(pool.withTransaction(c -> requireUniqueTitle(c, parentId, title, id)
        .compose(x -> c.preparedQuery(NEXT_POSITION).execute(Tuple.of(parentId)))
        .compose(rows -> c.preparedQuery(INSERT).execute(Tuple.of(id, parentId, kind.wire(), title,
            rows.iterator().next().getInteger("p"), pathIds.toArray(UUID[]::new), pathTitles.toArray(String[]::new))))
        .compose(x -> c.preparedQuery(BY_ID).execute(Tuple.of(id)))
        .map(rows -> nodes(rows).get(0))));
  }

  public Future<Void> rename(CatalogNode node, String title) {
    return Db.recover(pool.withTransaction(c -> requireUniqueTitle(c, node.parentId(), title, node.id())
        .compose(x -> c.preparedQuery(RENAME).execute(Tuple.of(node.id(), node.depth(), title)))
        .compose(x -> c.preparedQuery(OUTBOX_SUBTREE).execute(Tuple.of(node.id())))
        .mapEmpty()));
  }

  /** Moves the node (with its subtree) under {@code newParent}, last among its new siblings. */
  public Future<Void> move(CatalogNode node, CatalogNode newParent) {
    return Db.recover(pool.withTransaction(c -> requireUniqueTitle(c, newParent.id(), node.title(), node.id())
        .compose(x -> c.preparedQuery(NEXT_POSITION).execute(Tuple.of(newParent.id())))
        .compose(rows -> c.preparedQuery(MOVE).execute(Tuple.of(node.id(), newParent.pathIds().toArray(UUID[]::new),
            node.depth(), newParent.pathTitles().toArray(String[]::new), newParent.id(), rows.iterator().next().getInteger("p"))))
        .compose(x -> c.preparedQuery(OUTBOX_SUBTREE).execute(Tuple.of(node.id())))
        .mapEmpty()));
  }

  public Future<Long> resourcesInSubtree(UUID id) {
    return Db.recover(pool.preparedQuery(RESOURCES_IN_SUBTREE).execute(Tuple.of(id)).map(rows -> rows.iterator().next().getLong("n")));
  }

  /** Deletes the subtree; the foreign key from resources makes this fail if a resource was attached meanwhile. */
  public Future<Integer> deleteSubtree(UUID id) {
    return Db.recover(pool.preparedQuery(DELETE_SUBTREE).execute(Tuple.of(id)).map(RowSet::rowCount));
  }

  private static Future<Void> requireUniqueTitle(SqlConnection c, UUID parentId, String title, UUID self) {
    return c.preparedQuery(SIBLING_TITLE).execute(Tuple.of(parentId, title, self)).compose(rows -> rows.size() == 0
        ? Future.succeededFuture()
        : Future.failedFuture(org.kelian.core.error.KelianException.conflict("duplicate_title",
            "同一层级下已有同名节点：" + title, "A sibling already has this title: " + title)));
  }

  static List<CatalogNode> nodes(RowSet<Row> rows) {
    List<CatalogNode> out = new ArrayList<>();
    for (Row r : rows) {
      out.add(new CatalogNode(r.getUUID("id"), r.getUUID("parent_id"), CatalogKind.parse(r.getString("kind")).orElseThrow(),
          r.getString("title"), r.getInteger("position"), Arrays.asList(r.getArrayOfUUIDs("path_ids")),
          Arrays.asList(r.getArrayOfStrings("path_titles")), r.getLong("child_count")));
    }
    return out;
  }
}
