package org.kelian.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import org.kelian.core.error.Validate;

/** {@code ?page=1&size=20}: every list is paginated the same way. */
record Paging(int page, int size) {

  static final int MAX_SIZE = 100;

  static Paging of(RoutingContext ctx) {
    return new Paging(Validate.intInRange(ctx.queryParams().get("page"), "page", 1, 1, 10_000),
        Validate.intInRange(ctx.queryParams().get("size"), "size", 20, 1, MAX_SIZE));
  }

  int offset() {
    return (page - 1) * size;
  }

  JsonObject toJson(JsonArray items, long total) {
    return new JsonObject().put("items", items).put("total", total).put("page", page).put("size", size);
  }
}
