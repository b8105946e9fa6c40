package org.kelian.web;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.EnumSet;
import java.util.Set;
import org.kelian.core.auth.AuthService;
import org.kelian.core.auth.Role;
import org.kelian.core.error.KelianException;
import org.kelian.core.error.Validate;

/** User administration for school and district admins. */
final class UserEndpoint {

  private final AuthService auth;

  UserEndpoint(AuthService auth) {
    this.auth = auth;
  }

  void routes(Router r) {
    r.post("/api/v1/users").handler(this::create);
    r.get("/api/v1/users").handler(this::list);
    r.post("/api/v1/users/:id/password").handler(this::resetPassword);
  }

  private void create(RoutingContext ctx) {
    Http.json(ctx, 201, () -> {
      JsonObject b = Http.body(ctx);
      var req = new AuthService.NewUser(Http.string(b, "username"), Http.string(b, "password"), roles(Http.array(b, "roles")),
          Http.string(b, "displayName"), Validate.optionalUuid(Http.string(b, "schoolId"), "schoolId"), Http.string(b, "regionCode"));
      return auth.createUser(Http.user(ctx), req);
    }, user -> {
      ctx.response().putHeader("Location", "/api/v1/users/" + user.id());
      return user.toJson();
    });
  }

  private void list(RoutingContext ctx) {
    Paging p = Paging.of(ctx);
    Http.json(ctx, 200, () -> auth.listUsers(Http.user(ctx), p.size(), p.offset()), page -> {
      JsonArray items = new JsonArray();
      page.users().forEach(u -> items.add(u.toJson()));
      return p.toJson(items, page.total());
    });
  }

  private void resetPassword(RoutingContext ctx) {
    Http.handle(ctx, () -> auth.resetPassword(Http.user(ctx), Validate.uuid(ctx.pathParam("id"), "id"),
        Http.string(Http.body(ctx), "password")), x -> {
          ctx.response().setStatusCode(204).end();
          return null;
        });
  }

  static Set<Role> roles(JsonArray a) {
    if (a == null || a.isEmpty()) {
      throw KelianException.invalid("roles_required", "至少需要一个角色", "At least one role is required");
    }
    Set<Role> out = EnumSet.noneOf(Role.class);
    for (Object o : a) {
      out.add(Role.parse(String.valueOf(o)).orElseThrow(() -> KelianException.invalid("unknown_role",
          "未知角色：" + o + "（可选 rural_teacher、teacher、school_admin、district_admin）",
          "Unknown role: " + o + " (one of rural_teacher, teacher, school_admin, district_admin)")));
    }
    return out;
  }
}
