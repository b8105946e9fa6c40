package org.kelian.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import org.kelian.core.error.KelianException;
import org.kelian.core.error.Validate;
import org.kelian.core.resource.Resource;
import org.kelian.core.resource.ResourceService;

/** Resources: create, read, list mine or the review queue, and the curation transitions. */
final class ResourceEndpoint {

  private final ResourceService resources;

  ResourceEndpoint(ResourceService resources) {
    this.resources = resources;
  }

  void routes(Router r) {
    r.post("/api/v1/resources").handler(this::create);
    r.get("/api/v1/resources").handler(this::list);
    r.get("/api/v1/resources/:id").handler(this::get);
    r.patch("/api/v1/resources/:id").handler(this::update);
    r.post("/api/v1/resources/:id/submit").handler(ctx -> Http.json(ctx, 200,
        () -> resources.submit(Http.user(ctx), id(ctx)), Resource::toJson));
    r.post("/api/v1/resources/:id/approve").handler(ctx -> Http.json(ctx, 200,
        () -> resources.approve(Http.user(ctx), id(ctx)), Resource::toJson));
    r.post("/api/v1/resources/:id/reject").handler(ctx -> Http.json(ctx, 200,
        () -> resources.reject(Http.user(ctx), id(ctx), Http.string(Http.body(ctx), "reason")), Resource::toJson));
  }

  private void create(RoutingContext ctx) {
    Http.json(ctx, 201, () -> {
      JsonObject b = Http.body(ctx);
      var req = new ResourceService.NewResource(Http.string(b, "title"), Http.string(b, "type"), strings(b, "catalogNodeIds"),
          Http.string(b, "description"), strings(b, "tags"), Http.string(b, "scope"));
      return resources.create(Http.user(ctx), req);
    }, r -> {
      ctx.response().putHeader("Location", "/api/v1/resources/" + r.id());
      return r.toJson();
    });
  }

  private void get(RoutingContext ctx) {
    Http.json(ctx, 200, () -> resources.get(Http.user(ctx), id(ctx)), r -> withEtag(ctx, r));
  }

  /** Edits a draft; {@code If-Match} carries the ETag the editor read, so concurrent edits do not overwrite each other. */
  private void update(RoutingContext ctx) {
    Http.json(ctx, 200, () -> {
      JsonObject b = Http.body(ctx);
      var req = new ResourceService.NewResource(Http.string(b, "title"), Http.string(b, "type"), strings(b, "catalogNodeIds"),
          Http.string(b, "description"), strings(b, "tags"), Http.string(b, "scope"));
      return resources.update(Http.user(ctx), id(ctx), ifMatch(ctx.request().getHeader("If-Match")), req);
    }, r -> withEtag(ctx, r));
  }

  private static JsonObject withEtag(RoutingContext ctx, Resource r) {
    ctx.response().putHeader("ETag", "\"" + r.version() + "\"");
    return r.toJson();
  }

  /** {@code "3"} or {@code W/"3"} → 3; absent → null (the edit then applies to the version current now). */
  static Integer ifMatch(String header) {
    if (header == null || header.isBlank() || header.strip().equals("*")) {
      return null;
    }
    String v = header.strip();
    if (v.startsWith("W/")) {
      v = v.substring(2);
    }
    v = v.replace("\"", "");
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      throw KelianException.invalid("bad_if_match", "If-Match 应为资源的 ETag", "If-Match must be the resource's ETag");
    }
  }

  private void list(RoutingContext ctx) {
    Paging p = Paging.of(ctx);
    boolean mine = "true".equals(ctx.queryParams().get("mine"));
    Http.json(ctx, 200, () -> resources.list(Http.user(ctx), mine, ctx.queryParams().get("status"), p.size(), p.offset()), page -> {
      JsonArray items = new JsonArray();
      page.items().forEach(r -> items.add(r.toJson()));
      return p.toJson(items, page.total());
    });
  }

  static java.util.UUID id(RoutingContext ctx) {
    return Validate.uuid(ctx.pathParam("id"), "id");
  }

  private static List<String> strings(JsonObject b, String field) {
    JsonArray a = Http.array(b, field);
    if (a == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (Object o : a) {
      if (!(o instanceof String s)) {
        throw KelianException.invalid("field_type", "字段 " + field + " 应为字符串数组", "Field " + field + " must be an array of strings");
      }
      out.add(s);
    }
    return out;
  }
}
