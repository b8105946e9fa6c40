package org.kelian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kelian.deploy.Platform;

class UsersTest {

  static Platform platform;
  static Api admin;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start("users");
    admin = Api.login(platform.port(), "admin", TestPlatform.ADMIN_PASSWORD);
  }

  @AfterAll
  static void stop() {
    platform.close();
  }

  static JsonObject user(String name, String role) {
    return new JsonObject().put("username", name).put("password", "password-" + name).put("roles", new JsonArray().add(role))
        .put("displayName", "李老师");
  }

  @Test
  void adminCreatesUserWhoCanLogIn() {
    Api.Response r = admin.post("/api/v1/users", user("li.ming", "rural_teacher"));
    assertEquals(201, r.status(), r.body());
    assertEquals("/api/v1/users/" + r.json().getString("id"), r.header("Location"));
    assertEquals("李老师", r.json().getString("displayName"));
    Api li = Api.login(platform.port(), "li.ming", "password-li.ming");
    assertEquals("rural_teacher", li.get("/api/v1/auth/me").json().getJsonObject("user").getJsonArray("roles").getString(0));
  }

  @Test
  void duplicateUsernameIs409() {
    assertEquals(201, admin.post("/api/v1/users", user("wang.fang", "teacher")).status());
    Api.Response again = admin.post("/api/v1/users", user("Wang.Fang", "teacher"));
    assertEquals(409, again.status());
    assertEquals("username_taken", again.errorCode());
  }

  @Test
  void teacherMayNotCreateUsers() {
    assertEquals(201, admin.post("/api/v1/users", user("zhao.lei", "teacher")).status());
    Api zhao = Api.login(platform.port(), "zhao.lei", "password-zhao.lei");
    Api.Response r = zhao.post("/api/v1/users", user("someone", "teacher"));
    assertEquals(403, r.status());
    assertEquals("forbidden", r.errorCode());
    assertEquals(403, zhao.get("/api/v1/users").status());
  }

  @Test
  void invalidInputNamesTheProblem() {
    assertEquals("unknown_role", admin.post("/api/v1/users", user("x1", "principal")).errorCode());
    assertEquals("weak_password", admin.post("/api/v1/users", user("x2", "teacher").put("password", "short")).errorCode());
    assertEquals("invalid_username", admin.post("/api/v1/users", user("bad name!", "teacher")).errorCode());
    assertEquals("unknown_school", admin.post("/api/v1/users",
        user("x3", "teacher").put("schoolId", "00000000-0000-0000-0000-000000000001")).errorCode());
    assertEquals("invalid_id", admin.post("/api/v1/users", user("x4", "teacher").put("schoolId", "nope")).errorCode());
  }

  @Test
  void passwordResetRevokesSessionsAndTheNewPasswordWorks() {
    Api.Response created = admin.post("/api/v1/users", user("sun.li", "teacher"));
    String id = created.json().getString("id");
    Api sun = Api.login(platform.port(), "sun.li", "password-sun.li");
    assertEquals(200, sun.get("/api/v1/auth/me").status()); // the node now keeps the session for a while
    assertEquals(204, admin.post("/api/v1/users/" + id + "/password", new JsonObject().put("password", "brand-new-pass")).status());
    assertEquals(401, sun.get("/api/v1/auth/me").status());
    assertEquals(200, Api.login(platform.port(), "sun.li", "brand-new-pass").get("/api/v1/auth/me").status());
    assertEquals(404, admin.post("/api/v1/users/" + java.util.UUID.randomUUID() + "/password",
        new JsonObject().put("password", "brand-new-pass")).status());
  }

  @Test
  void listIsPaginated() {
    Api.Response r = admin.get("/api/v1/users?page=1&size=2");
    assertEquals(200, r.status());
    assertTrue(r.json().getJsonArray("items").size() <= 2);
    assertTrue(r.json().getLong("total") >= 1);
    assertEquals(400, admin.get("/api/v1/users?size=1000").status());
  }
}
