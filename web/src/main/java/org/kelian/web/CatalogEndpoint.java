package org.kelian.web;

import io.vertx.core.Future;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.kelian.core.catalog.CatalogNode;
import org.kelian.core.catalog.CatalogService;
import org.kelian.core.error.KelianException;
import org.kelian.core.error.Validate;

/** Browse the textbook catalog; district admins import, add, rename, move and delete nodes. */
final class CatalogEndpoint {

  private final CatalogService catalog;

  CatalogEndpoint(CatalogService catalog) {
    this.catalog = catalog;
  }

  void routes(Router r) {
    r.get("/api/v1/catalog/nodes").handler(this::children);
    r.post("/api/v1/catalog/nodes").handler(this::create);
    r.get("/api/v1/catalog/nodes/:id").handler(this::get);
    r.patch("/api/v1/catalog/nodes/:id").handler(this::update);
    r.delete("/api/v1/catalog/nodes/:id").handler(this::delete);
    r.post("/api/v1/catalog/import").handler(this::importBooks);
  }

  private void children(RoutingContext ctx) {
    Http.json(ctx, 200, () -> catalog.children(Validate.optionalUuid(ctx.queryParams().get("parentId"), "parentId")), nodes -> {
      JsonArray out = new JsonArray();
      nodes.forEach(n -> out.add(n.toSummaryJson()));
      return out;
    });
  }

  private void get(RoutingContext ctx) {
    Http.json(ctx, 200, () -> catalog.get(Validate.uuid(ctx.pathParam("id"), "id")), CatalogNode::toJson);
  }

  private void create(RoutingContext ctx) {
    Http.json(ctx, 201, () -> {
      JsonObject b = Http.body(ctx);
      return catalog.create(Http.user(ctx), Validate.optionalUuid(Http.string(b, "parentId"), "parentId"), Http.string(b, "kind"),
          Http.string(b, "title"));
    }, node -> {
      ctx.response().putHeader("Location", "/api/v1/catalog/nodes/" + node.id());
      return node.toJson();
    });
  }

  /** {@code {title}} renames, {@code {parentId}} moves; both may come together. */
  private void update(RoutingContext ctx) {
    Http.json(ctx, 200, () -> {
      JsonObject b = Http.body(ctx);
      var id = Validate.uuid(ctx.pathParam("id"), "id");
      String title = Http.string(b, "title");
      String parent = Http.string(b, "parentId");
      if (title == null && parent == null) {
        throw KelianException.invalid("nothing_to_change", "请提供 title（重命名）或 parentId（移动）", "Give title (rename) or parentId (move)");
      }
      Future<CatalogNode> renamed = title == null ? catalog.get(id) : catalog.rename(Http.user(ctx), id, title);
      return parent == null ? renamed : renamed.compose(n -> catalog.move(Http.user(ctx), id, Validate.uuid(parent, "parentId")));
    }, CatalogNode::toJson);
  }

  private void delete(RoutingContext ctx) {
    Http.handle(ctx, () -> catalog.delete(Http.user(ctx), Validate.uuid(ctx.pathParam("id"), "id")), x -> {
      ctx.response().setStatusCode(204).end();
      return null;
    });
  }

  private void importBooks(RoutingContext ctx) {
    Http.json(ctx, 200, () -> catalog.importBooks(Http.user(ctx), bodyArray(ctx)), r -> new JsonObject()
        .put("books", r.books()).put("nodes", r.nodes()).put("created", r.created()).put("existing", r.nodes() - r.created()));
  }

  private static JsonArray bodyArray(RoutingContext ctx) {
    try {
      if (ctx.body() != null && ctx.body().length() > 0) {
        Object v = ctx.body().buffer().toJsonValue();
        if (v instanceof JsonArray a) {
          return a;
        }
      }
    } catch (DecodeException e) {
      // answered below
    }
    throw KelianException.invalid("malformed_json", "请求体应为教材数组（JSON）", "The body must be a JSON array of textbooks");
  }
}
