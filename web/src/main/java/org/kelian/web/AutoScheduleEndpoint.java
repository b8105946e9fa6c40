package org.kelian.web;

import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.Router;
import org.kelian.core.error.Validate;
import org.kelian.core.schedule.auto.AutoScheduler;

/** Automatic scheduling runs: submit (202), follow, apply in one transaction, or discard. */
final class AutoScheduleEndpoint {

  private final AutoScheduler scheduler;

  AutoScheduleEndpoint(AutoScheduler scheduler) {
    this.scheduler = scheduler;
  }

  void routes(Router r) {
    r.post("/api/v1/auto-schedules").handler(ctx -> Http.json(ctx, 202, () -> scheduler.submit(Http.user(ctx), Http.body(ctx)), job -> {
      ctx.response().putHeader("Location", "/api/v1/auto-schedules/" + job.id());
      return job.toJson();
    }));
    r.get("/api/v1/auto-schedules").handler(ctx -> {
      Paging p = Paging.of(ctx);
      Http.json(ctx, 200, () -> scheduler.list(Http.user(ctx), p.size(), p.offset()), page -> {
        JsonArray items = new JsonArray();
        page.items().forEach(j -> items.add(j.toJson()));
        return p.toJson(items, page.total());
      });
    });
    r.get("/api/v1/auto-schedules/:id").handler(ctx -> Http.json(ctx, 200,
        () -> scheduler.get(Http.user(ctx), Validate.uuid(ctx.pathParam("id"), "id")), job -> job.toJson()));
    r.post("/api/v1/auto-schedules/:id/apply").handler(ctx -> Http.json(ctx, 200,
        () -> scheduler.apply(Http.user(ctx), Validate.uuid(ctx.pathParam("id"), "id")), result -> result));
    r.post("/api/v1/auto-schedules/:id/discard").handler(ctx -> Http.json(ctx, 200,
        () -> scheduler.discard(Http.user(ctx), Validate.uuid(ctx.pathParam("id"), "id")), job -> job.toJson()));
  }
}
