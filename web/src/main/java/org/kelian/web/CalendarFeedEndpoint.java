package org.kelian.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import org.kelian.core.error.Validate;
import org.kelian.core.schedule.CalendarFeedService;

/** iCalendar feeds: made, listed and revoked through the API; fetched by calendar apps at their secret URL. */
final class CalendarFeedEndpoint {

  private final CalendarFeedService feeds;

  CalendarFeedEndpoint(CalendarFeedService feeds) {
    this.feeds = feeds;
  }

  /**
   * The feed itself, outside {@code /api/v1} and so outside the authentication handler: calendar apps cannot log
   * in, the secret in the path is the credential. Private caching for five minutes spares the database the apps
   * that poll too often, and keeps a shared proxy from holding a teacher's timetable.
   */
  void publicRoutes(Router r) {
    r.get("/calendar/:token.ics").handler(ctx -> Http.handle(ctx, () -> feeds.render(ctx.pathParam("token")), ics -> {
      ctx.response().putHeader("Content-Type", "text/calendar; charset=utf-8").putHeader("Cache-Control", "private, max-age=300").end(ics);
      return null;
    }));
  }

  void routes(Router r) {
    r.post("/api/v1/calendar-feeds").handler(ctx -> Http.json(ctx, 201, () -> {
      JsonObject b = Http.body(ctx);
      return feeds.create(Http.user(ctx), Http.string(b, "kind"), Http.string(b, "id"));
    }, created -> {
      ctx.response().putHeader("Location", "/api/v1/calendar-feeds/" + created.feed().id());
      return created.feed().toJson().put("url", created.path());
    }));
    r.get("/api/v1/calendar-feeds").handler(ctx -> Http.json(ctx, 200, () -> feeds.mine(Http.user(ctx)), list -> {
      JsonArray items = new JsonArray();
      list.forEach(f -> items.add(f.toJson()));
      return new JsonObject().put("items", items);
    }));
    r.delete("/api/v1/calendar-feeds/:id").handler(ctx -> Http.handle(ctx,
        () -> feeds.revoke(Http.user(ctx), Validate.uuid(ctx.pathParam("id"), "id")), x -> {
          ctx.response().setStatusCode(204).end();
          return null;
        }));
  }
}
