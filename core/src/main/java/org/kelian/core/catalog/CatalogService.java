package org.kelian.core.catalog;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import java.util.List;
import java.util.UUID;
import org.kelian.core.auth.Role;
import org.kelian.core.auth.User;
import org.kelian.core.error.KelianException;
import org.kelian.core.error.Validate;

/** Browsing the catalog (everyone) and curating it (district admins). */
public final class CatalogService {

  private final CatalogStore store;

  public CatalogService(CatalogStore store) {
    this.store = store;
  }

  public record ImportResult(int books, int nodes, int created) {
  }

  public Future<List<CatalogNode>> children(UUID parentId) {
    if (parentId == null) {
      return store.children(null);
    }
    return get(parentId).compose(p -> store.children(parentId));
  }

  public Future<CatalogNode> get(UUID id) {
    return store.find(id).map(found -> found.orElseThrow(CatalogService::notFound));
  }

  /** Imports textbooks in the shared table-of-contents format; importing the same books twice changes nothing. */
  public Future<ImportResult> importBooks(User actor, JsonArray books) {
    requireCurator(actor);
    List<Textbooks.NodeSpec> specs = Textbooks.parse(books);
    return store.insertMissing(specs).map(created -> new ImportResult(books.size(), specs.size(), created));
  }

  /** Seeds an empty catalog (first start of the default mode); answers how many nodes were created. */
  public Future<Integer> seedIfEmpty(JsonArray books) {
    return store.count().compose(n -> n > 0 ? Future.succeededFuture(0) : store.insertMissing(Textbooks.parse(books)));
  }

  public Future<CatalogNode> create(User actor, UUID parentId, String kindName, String rawTitle) {
    requireCurator(actor);
    String title = Validate.text(rawTitle, "title", Textbooks.MAX_TITLE);
    Future<CatalogNode> parent = parentId == null ? Future.succeededFuture(null) : get(parentId);
    return parent.compose(p -> {
      CatalogKind expected = p == null ? CatalogKind.STAGE : p.kind().childKind();
      if (kindName != null && CatalogKind.parse(kindName).orElse(null) != expected) {
        throw KelianException.invalid("invalid_kind", "此处只能添加" + expected.wire() + "节点", "Only a " + expected.wire() + " can be added here");
      }
      return store.insert(parentId, expected, title, p == null ? List.of() : p.pathIds(), p == null ? List.of() : p.pathTitles());
    });
  }

  public Future<CatalogNode> rename(User actor, UUID id, String rawTitle) {
    requireCurator(actor);
    String title = Validate.text(rawTitle, "title", Textbooks.MAX_TITLE);
    return get(id).compose(n -> store.rename(n, title)).compose(x -> get(id));
  }

  /** Moves a node under a new parent of the level above it; a node never moves into its own subtree. */
  public Future<CatalogNode> move(User actor, UUID id, UUID newParentId) {
    requireCurator(actor);
    return get(id).compose(node -> get(newParentId).compose(parent -> {
      if (parent.pathIds().contains(node.id())) {
        throw KelianException.invalid("move_into_self", "不能把节点移动到它自己的下级", "A node cannot move into its own subtree");
      }
      if (parent.kind().childKind() != node.kind()) {
        throw KelianException.invalid("invalid_move", "节点只能移动到上一层级的节点下（" + node.kind().wire() + " 需要放在 "
            + parentKindOf(node.kind()) + " 下）", "A " + node.kind().wire() + " can only move under a " + parentKindOf(node.kind()));
      }
      return store.move(node, parent);
    })).compose(x -> get(id));
  }

  /** Deletes a node and its subtree, refusing while any resource is attached anywhere in it. */
  public Future<Void> delete(User actor, UUID id) {
    requireCurator(actor);
    return get(id).compose(n -> store.resourcesInSubtree(id)).compose(count -> {
      if (count > 0) {
        return Future.failedFuture(KelianException.conflict("node_has_resources",
            "该节点（或其下级）仍挂有 " + count + " 个资源，请先移走资源再删除",
            "This node (or one below it) still carries " + count + " resource(s); move them before deleting").withDetails(
                new io.vertx.core.json.JsonObject().put("resourceCount", count)));
      }
      return store.deleteSubtree(id).mapEmpty();
    });
  }

  private static String parentKindOf(CatalogKind kind) {
    for (CatalogKind k : CatalogKind.values()) {
      if (k.childKind() == kind) {
        return k.wire();
      }
    }
    return "-";
  }

  static void requireCurator(User actor) {
    if (!actor.has(Role.DISTRICT_ADMIN)) {
      throw KelianException.forbidden();
    }
  }

  static KelianException notFound() {
    return KelianException.notFound("catalog_node_not_found", "目录节点不存在", "Catalog node not found");
  }
}
