package org.kelian.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.kelian.core.error.KelianException;
import org.kelian.core.error.Validate;
import org.kelian.core.schedule.DeliveryReport;
import org.kelian.core.schedule.ScheduleService;
import org.kelian.core.schedule.SessionRequest;

/** Class sessions: create (409 with every conflict), check without storing, read, calendars, move or mark one occurrence, cancel a series. */
final class SessionEndpoint {

  private final ScheduleService schedule;
  private final DeliveryReport delivery;

  SessionEndpoint(ScheduleService schedule, DeliveryReport delivery) {
    this.schedule = schedule;
    this.delivery = delivery;
  }

  void routes(Router r) {
    r.post("/api/v1/sessions").handler(ctx -> Http.json(ctx, 201, () -> schedule.create(Http.user(ctx), request(ctx)), s -> {
      ctx.response().putHeader("Location", "/api/v1/sessions/" + s.id());
      return s.toJson();
    }));
    r.post("/api/v1/sessions/check").handler(ctx -> Http.json(ctx, 200, () -> schedule.check(Http.user(ctx), request(ctx)), list -> {
      JsonArray out = new JsonArray();
      list.forEach(c -> out.add(c.toJson()));
      return new JsonObject().put("conflicts", out);
    }));
    r.get("/api/v1/sessions/:id").handler(ctx -> Http.json(ctx, 200,
        () -> schedule.read(Http.user(ctx), Validate.uuid(ctx.pathParam("id"), "id")), s -> s.toJson()));
    r.get("/api/v1/sessions").handler(this::calendar);
    r.get("/api/v1/reports/delivery").handler(ctx -> {
      var q = ctx.queryParams();
      boolean csv = "csv".equals(q.get("format"));
      boolean en = Lang.english(ctx);
      Http.handle(ctx, () -> delivery.report(Http.user(ctx), q.get("kind"), q.get("from"), q.get("to")), report -> {
        if (csv) {
          ctx.response().putHeader("Content-Type", "text/csv; charset=utf-8")
              .putHeader("Content-Disposition", ContentDisposition.of(false, "开课情况-delivery.csv")).end(report.toCsv(en));
        } else {
          ctx.json(report.toJson());
        }
        return null;
      });
    });
    r.patch("/api/v1/sessions/:id").handler(ctx -> Http.json(ctx, 200, () -> {
      JsonObject b = Http.body(ctx);
      Object period = b.getValue("period");
      if (period != null && !(period instanceof Integer)) {
        throw KelianException.invalid("invalid_period", "period 应为节次编号（整数）", "period is a period number (a whole number)");
      }
      var change = new ScheduleService.SeriesChange(Http.string(b, "title"), Http.string(b, "start"), Http.string(b, "end"), (Integer) period,
          Validate.optionalUuid(Http.string(b, "leadClassroomId"), "leadClassroomId"), Validate.optionalUuid(Http.string(b, "leadTeacherId"),
          "leadTeacherId"), flag(b, "live"), flag(b, "recording"), flag(b, "replay"), Http.string(b, "liveAudience"),
          Http.string(b, "replayAudience"));
      return schedule.editSeries(Http.user(ctx), Validate.uuid(ctx.pathParam("id"), "id"), change);
    }, s -> s.toJson()));
    r.post("/api/v1/sessions/:id/receivers/:schoolId/confirm").handler(ctx -> Http.json(ctx, 200, () -> schedule.confirm(Http.user(ctx),
        Validate.uuid(ctx.pathParam("id"), "id"), Validate.uuid(ctx.pathParam("schoolId"), "schoolId")), s -> s.toJson()));
    r.patch("/api/v1/sessions/:id/occurrences/:occurrenceId").handler(ctx -> Http.json(ctx, 200, () -> {
      JsonObject b = Http.body(ctx);
      return schedule.move(Http.user(ctx), Validate.uuid(ctx.pathParam("id"), "id"), Validate.uuid(ctx.pathParam("occurrenceId"), "occurrenceId"),
          Http.string(b, "date"), Http.string(b, "start"), Http.string(b, "end"));
    }, s -> s.toJson()));
    r.post("/api/v1/sessions/:id/occurrences/:occurrenceId/status").handler(ctx -> Http.json(ctx, 200, () -> {
      JsonObject b = Http.body(ctx);
      return schedule.setStatus(Http.user(ctx), Validate.uuid(ctx.pathParam("id"), "id"), Validate.uuid(ctx.pathParam("occurrenceId"), "occurrenceId"),
          Http.string(b, "status"), Http.string(b, "actualStart"), Http.string(b, "actualEnd"));
    }, s -> s.toJson()));
    r.post("/api/v1/sessions/:id/cancel").handler(ctx -> Http.json(ctx, 200,
        () -> schedule.cancelSeries(Http.user(ctx), Validate.uuid(ctx.pathParam("id"), "id")), n -> new JsonObject().put("cancelled", n)));
  }

  private static Boolean flag(JsonObject b, String field) {
    Object v = b.getValue(field);
    if (v != null && !(v instanceof Boolean)) {
      throw KelianException.invalid("invalid_flag", "字段 " + field + " 应为 true 或 false", "Field " + field + " must be true or false");
    }
    return (Boolean) v;
  }

  private void calendar(RoutingContext ctx) {
    Http.json(ctx, 200, () -> {
      var q = ctx.queryParams();
      String kind = null;
      UUID id = null;
      for (String k : List.of("teacher", "classroom", "class", "school")) {
        String v = q.get(k + "Id");
        if (v != null) {
          if (kind != null) {
            throw KelianException.invalid("invalid_filter", "一次只能按一种对象筛选", "Filter by one of teacherId, classroomId, classId, schoolId");
          }
          kind = k;
          id = Validate.uuid(v, k + "Id");
        }
      }
      return schedule.calendar(Http.user(ctx), q.get("from"), q.get("to"), kind, id);
    }, entries -> {
      JsonArray items = new JsonArray();
      entries.forEach(e -> items.add(e.toJson()));
      return new JsonObject().put("items", items);
    });
  }

  private static SessionRequest request(RoutingContext ctx) {
    JsonObject b = Http.body(ctx);
    List<SessionRequest.Receiver> receivers = new ArrayList<>();
    JsonArray rs = Http.array(b, "receivers");
    if (rs != null) {
      if (rs.size() > 50) {
        throw KelianException.invalid("too_many_receivers", "接收方最多 50 个", "At most 50 receiving sides");
      }
      for (Object o : rs) {
        if (!(o instanceof JsonObject r)) {
          throw KelianException.invalid("field_type", "receivers 中每项应为对象", "Each receiver must be an object");
        }
        receivers.add(new SessionRequest.Receiver(uuid(r, "schoolId"), uuid(r, "classroomId"), uuid(r, "classId"), uuid(r, "teacherId")));
      }
    }
    Object period = b.getValue("period");
    if (period != null && !(period instanceof Integer)) {
      throw KelianException.invalid("field_type", "字段 period 应为整数", "Field period must be a whole number");
    }
    return new SessionRequest(Http.string(b, "type"), Http.string(b, "title"), uuid(b, "leadSchoolId"), uuid(b, "leadClassroomId"),
        uuid(b, "leadTeacherId"), uuid(b, "leadClassId"), Http.string(b, "subject"), Http.string(b, "grade"), uuid(b, "catalogNodeId"),
        Http.string(b, "date"), Http.string(b, "start"), Http.string(b, "end"), (Integer) period, uuid(b, "termId"),
        bool(b, "weekly") == Boolean.TRUE, receivers, bool(b, "live"), bool(b, "recording"), bool(b, "replay"),
        Http.string(b, "liveAudience"), Http.string(b, "replayAudience"), Http.string(b, "bellOverride"), Http.string(b, "pairingOverride"));
  }

  private static UUID uuid(JsonObject o, String field) {
    return Validate.optionalUuid(Http.string(o, field), field);
  }

  private static Boolean bool(JsonObject o, String field) {
    Object v = o.getValue(field);
    if (v == null || v instanceof Boolean) {
      return (Boolean) v;
    }
    throw KelianException.invalid("field_type", "字段 " + field + " 应为 true 或 false", "Field " + field + " must be true or false");
  }
}
