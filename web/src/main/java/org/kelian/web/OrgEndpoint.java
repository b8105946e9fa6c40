package org.kelian.web;

import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.kelian.core.error.KelianException;
import org.kelian.core.error.Validate;
import org.kelian.core.org.OrgService;
import org.kelian.core.org.OrgStore;
import org.kelian.core.org.SchoolGroup;

/** Schools, classrooms and classes (issue #4, first part). */
final class OrgEndpoint {

  private final OrgService org;

  OrgEndpoint(OrgService org) {
    this.org = org;
  }

  void routes(Router r) {
    r.post("/api/v1/schools").handler(ctx -> created(ctx, "schools", () -> org.createSchool(Http.user(ctx), fields(ctx)),
        s -> s.id(), s -> s.toJson()));
    r.get("/api/v1/schools").handler(ctx -> {
      Paging p = Paging.of(ctx);
      Http.json(ctx, 200, () -> org.schools(ctx.queryParams().get("kind"), ctx.queryParams().get("region"), p.size(), p.offset()),
          page -> page(p, page, s -> s.toJson()));
    });
    r.get("/api/v1/schools/:id").handler(ctx -> Http.json(ctx, 200, () -> org.school(id(ctx)), s -> s.toJson()));
    r.patch("/api/v1/schools/:id").handler(ctx -> Http.json(ctx, 200, () -> org.updateSchool(Http.user(ctx), id(ctx), fields(ctx)),
        s -> s.toJson()));

    r.post("/api/v1/classrooms").handler(ctx -> created(ctx, "classrooms", () -> org.createClassroom(Http.user(ctx), fields(ctx)),
        c -> c.id(), c -> c.toJson()));
    r.get("/api/v1/classrooms").handler(ctx -> {
      Paging p = Paging.of(ctx);
      Http.json(ctx, 200, () -> org.classrooms(Validate.optionalUuid(ctx.queryParams().get("schoolId"), "schoolId"), p.size(), p.offset()),
          page -> page(p, page, c -> c.toJson()));
    });
    r.get("/api/v1/classrooms/:id").handler(ctx -> Http.json(ctx, 200, () -> org.classroom(id(ctx)), c -> c.toJson()));
    r.patch("/api/v1/classrooms/:id").handler(ctx -> Http.json(ctx, 200,
        () -> org.updateClassroom(Http.user(ctx), id(ctx), fields(ctx)), c -> c.toJson()));
    r.delete("/api/v1/classrooms/:id").handler(ctx -> noContent(ctx, () -> org.deleteClassroom(Http.user(ctx), id(ctx))));

    r.post("/api/v1/classes").handler(ctx -> created(ctx, "classes", () -> org.createClass(Http.user(ctx), fields(ctx)),
        c -> c.id(), c -> c.toJson()));
    r.get("/api/v1/classes").handler(ctx -> {
      Paging p = Paging.of(ctx);
      Http.json(ctx, 200, () -> org.classes(Validate.optionalUuid(ctx.queryParams().get("schoolId"), "schoolId"), p.size(), p.offset()),
          page -> page(p, page, c -> c.toJson()));
    });
    r.get("/api/v1/classes/:id").handler(ctx -> Http.json(ctx, 200, () -> org.schoolClass(id(ctx)), c -> c.toJson()));
    r.patch("/api/v1/classes/:id").handler(ctx -> Http.json(ctx, 200,
        () -> org.updateClass(Http.user(ctx), id(ctx), fields(ctx)), c -> c.toJson()));
    r.delete("/api/v1/classes/:id").handler(ctx -> noContent(ctx, () -> org.deleteClass(Http.user(ctx), id(ctx))));

    r.get("/api/v1/schools/:id/bell-schedule").handler(ctx -> Http.json(ctx, 200, () -> org.bellSchedule(id(ctx)),
        b -> new JsonObject().put("periods", b.toJson())));
    r.put("/api/v1/schools/:id/bell-schedule").handler(ctx -> Http.json(ctx, 200,
        () -> org.saveBellSchedule(Http.user(ctx), id(ctx), Http.array(Http.body(ctx), "periods")), b -> new JsonObject().put("periods", b.toJson())));

    r.post("/api/v1/terms").handler(ctx -> created(ctx, "terms", () -> {
      JsonObject b = Http.body(ctx);
      return org.createTerm(Http.user(ctx), Http.string(b, "name"), Http.string(b, "startsOn"), Http.string(b, "endsOn"),
          Http.array(b, "holidays"), Http.array(b, "makeUpDays"));
    }, t -> t.id(), t -> t.toJson()));
    r.get("/api/v1/terms").handler(ctx -> {
      Paging p = Paging.of(ctx);
      Http.json(ctx, 200, () -> org.terms(p.size(), p.offset()), page -> page(p, page, t -> t.toJson()));
    });
    r.get("/api/v1/terms/:id").handler(ctx -> Http.json(ctx, 200, () -> org.term(id(ctx)), t -> t.toJson()));
    r.delete("/api/v1/terms/:id").handler(ctx -> noContent(ctx, () -> org.deleteTerm(Http.user(ctx), id(ctx))));

    r.post("/api/v1/regions").handler(ctx -> Http.json(ctx, 201, () -> {
      JsonObject b = Http.body(ctx);
      return org.createRegion(Http.user(ctx), Http.string(b, "code"), Http.string(b, "name"));
    }, region -> {
      ctx.response().putHeader("Location", "/api/v1/regions/" + region.code());
      return region.toJson();
    }));
    r.get("/api/v1/regions").handler(ctx -> {
      Paging p = Paging.of(ctx);
      Http.json(ctx, 200, () -> org.regions(ctx.queryParams().get("parent"), p.size(), p.offset()), page -> page(p, page, x -> x.toJson()));
    });
    r.get("/api/v1/regions/:code").handler(ctx -> Http.json(ctx, 200, () -> org.regionByCode(ctx.pathParam("code")), x -> x.toJson()));

    r.get("/api/v1/teachers").handler(ctx -> {
      Paging p = Paging.of(ctx);
      Http.json(ctx, 200, () -> org.teachers(Validate.optionalUuid(ctx.queryParams().get("schoolId"), "schoolId"),
          ctx.queryParams().get("subject"), p.size(), p.offset()), page -> page(p, page, t -> t.toJson()));
    });
    r.get("/api/v1/teachers/:id").handler(ctx -> Http.json(ctx, 200, () -> org.teacher(id(ctx)), t -> t.toJson()));
    r.put("/api/v1/teachers/:id").handler(ctx -> Http.json(ctx, 200, () -> {
      JsonObject b = Http.body(ctx);
      return org.saveTeacher(Http.user(ctx), id(ctx), strings(Http.array(b, "subjects")), integer(b, "maxWeeklyPeriods"));
    }, t -> t.toJson()));

    for (SchoolGroup.Kind kind : SchoolGroup.Kind.values()) {
      String path = "/api/v1/" + kind.collection();
      r.post(path).handler(ctx -> created(ctx, kind.collection(), () -> org.createGroup(Http.user(ctx), kind, group(ctx)),
          g -> g.id(), g -> g.toJson()));
      r.get(path).handler(ctx -> {
        Paging p = Paging.of(ctx);
        Http.json(ctx, 200, () -> org.groups(kind, Validate.optionalUuid(ctx.queryParams().get("schoolId"), "schoolId"), p.size(), p.offset()),
            page -> page(p, page, g -> g.toJson()));
      });
      r.get(path + "/:id").handler(ctx -> Http.json(ctx, 200, () -> org.group(kind, id(ctx)), g -> g.toJson()));
      r.delete(path + "/:id").handler(ctx -> noContent(ctx, () -> org.deleteGroup(Http.user(ctx), kind, id(ctx))));
    }
  }

  private static OrgService.NewGroup group(RoutingContext ctx) {
    JsonObject b = Http.body(ctx);
    JsonArray members = Http.array(b, "memberSchoolIds");
    List<UUID> ids = new ArrayList<>();
    if (members != null) {
      members.forEach(m -> ids.add(Validate.uuid(m instanceof String s ? s : null, "memberSchoolIds")));
    }
    List<String> names = strings(Http.array(b, "subjects"));
    return new OrgService.NewGroup(Http.string(b, "name"), Validate.optionalUuid(Http.string(b, "coreSchoolId"), "coreSchoolId"), ids,
        Http.string(b, "startsOn"), Http.string(b, "endsOn"), names);
  }

  /** A JSON array of strings (null when absent); a non-string element becomes null, which validation refuses. */
  private static List<String> strings(JsonArray a) {
    if (a == null) {
      return null;
    }
    List<String> out = new ArrayList<>();
    a.forEach(x -> out.add(x instanceof String s ? s : null));
    return out;
  }

  private static <T> void created(RoutingContext ctx, String collection, java.util.function.Supplier<Future<T>> call,
                                  Function<T, UUID> id, Function<T, JsonObject> json) {
    Http.json(ctx, 201, call, t -> {
      ctx.response().putHeader("Location", "/api/v1/" + collection + "/" + id.apply(t));
      return json.apply(t);
    });
  }

  private static void noContent(RoutingContext ctx, java.util.function.Supplier<Future<Void>> call) {
    Http.handle(ctx, call, x -> {
      ctx.response().setStatusCode(204).end();
      return null;
    });
  }

  private static <T> JsonObject page(Paging p, OrgStore.Page<T> page, Function<T, JsonObject> json) {
    JsonArray items = new JsonArray();
    page.items().forEach(t -> items.add(json.apply(t)));
    return p.toJson(items, page.total());
  }

  private static OrgService.Fields fields(RoutingContext ctx) {
    JsonObject b = Http.body(ctx);
    return new OrgService.Fields(Http.string(b, "name"), Http.string(b, "kind"), Http.string(b, "regionCode"),
        Validate.optionalUuid(Http.string(b, "schoolId"), "schoolId"), integer(b, "capacity"), Http.string(b, "grade"), integer(b, "size"));
  }

  private static Integer integer(JsonObject b, String field) {
    Object v = b.getValue(field);
    if (v == null) {
      return null;
    }
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && Math.abs(n.doubleValue()) < 1e9) {
      return n.intValue();
    }
    throw KelianException.invalid("field_type", "字段 " + field + " 应为整数", "Field " + field + " must be a whole number");
  }

  private static UUID id(RoutingContext ctx) {
    return Validate.uuid(ctx.pathParam("id"), "id");
  }
}
