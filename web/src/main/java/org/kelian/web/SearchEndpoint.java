package org.kelian.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.kelian.core.error.Validate;
import org.kelian.core.search.SearchResult;
import org.kelian.core.search.SearchService;

/** Search with facets, suggestions as you type, and the admins' index rebuild. */
final class SearchEndpoint {

  private final SearchService search;

  SearchEndpoint(SearchService search) {
    this.search = search;
  }

  void routes(Router r) {
    r.get("/api/v1/search").handler(this::search);
    r.get("/api/v1/search/suggest").handler(ctx -> Http.json(ctx, 200, () -> search.suggest(Http.user(ctx), ctx.queryParams().get("q")),
        list -> {
          JsonArray out = new JsonArray();
          list.forEach(s -> out.add(new JsonObject().put("text", s.text()).put("kind", s.kind())));
          return new JsonObject().put("suggestions", out);
        }));
    r.post("/api/v1/search/reindex").handler(ctx -> Http.json(ctx, 200, () -> search.rebuild(Http.user(ctx)),
        n -> new JsonObject().put("indexed", n)));
  }

  private void search(RoutingContext ctx) {
    var q = ctx.queryParams();
    Paging p = Paging.of(ctx);
    Http.json(ctx, 200, () -> search.search(Http.user(ctx), new SearchService.Request(q.get("q"), q.get("stage"), q.get("subject"),
        q.get("edition"), q.get("grade"), q.get("type"), q.get("scope"), Validate.optionalUuid(q.get("node"), "node"), q.get("sort"), p.page(), p.size())), SearchEndpoint::toJson);
  }

  static JsonObject toJson(SearchResult r) {
    JsonArray hits = new JsonArray();
    r.hits().forEach(h -> {
      JsonObject hit = new JsonObject().put("id", h.id().toString()).put("title", h.title()).put("type", h.type())
          .put("catalogPath", h.catalogPath()).put("highlight", h.highlight());
      if (h.moment() != null) {
        hit.put("moment", new JsonObject().put("seconds", h.moment().seconds()).put("text", h.moment().text()));
      }
      hits.add(hit);
    });
    JsonObject facets = new JsonObject();
    r.facets().forEach((name, values) -> {
      JsonArray vs = new JsonArray();
      values.forEach(v -> vs.add(new JsonObject().put("value", v.value()).put("count", v.count())));
      facets.put(name, vs);
    });
    return new JsonObject().put("total", r.total()).put("hits", hits).put("facets", facets);
  }
}
