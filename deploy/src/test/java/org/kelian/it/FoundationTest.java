package org.kelian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kelian.deploy.Platform;

class FoundationTest {

  static Platform platform;
  static Api anonymous;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start("foundation");
    anonymous = new Api(platform.port(), null);
  }

  @AfterAll
  static void stop() {
    platform.close();
  }

  @Test
  void healthShowsEveryDependencyUp() {
    Api.Response r = anonymous.get("/health");
    assertEquals(200, r.status(), r.body());
    JsonObject checks = r.json().getJsonObject("checks");
    for (String dep : new String[] {"postgres", "elasticsearch", "objectStore"}) {
      assertEquals("UP", checks.getJsonObject(dep).getString("status"), dep);
    }
  }

  @Test
  void metricsArePrometheusText() {
    Api.Response r = anonymous.get("/metrics");
    assertEquals(200, r.status());
    assertTrue(r.body().contains("jvm_memory_used_bytes"), "JVM metrics present");
  }

  @Test
  void loginGivesTokenAndHttpOnlyCookie() {
    Api.Response r = anonymous.post("/api/v1/auth/login", new JsonObject().put("username", "admin").put("password", TestPlatform.ADMIN_PASSWORD));
    assertEquals(200, r.status(), r.body());
    assertNotNull(r.json().getString("token"));
    assertEquals("admin", r.json().getJsonObject("user").getString("username"));
    assertEquals("district_admin", r.json().getJsonObject("user").getJsonArray("roles").getString(0));
    String cookie = r.header("set-cookie");
    assertTrue(cookie.contains("HTTPOnly") || cookie.contains("HttpOnly"), cookie);
    assertTrue(cookie.contains("SameSite=Lax"), cookie);
  }

  @Test
  void cookieAuthenticatesLikeBearer() {
    Api.Response login = anonymous.post("/api/v1/auth/login", new JsonObject().put("username", "admin").put("password", TestPlatform.ADMIN_PASSWORD));
    String cookie = login.header("set-cookie").split(";")[0];
    assertEquals(200, anonymous.get("/api/v1/auth/me", "Cookie", cookie).status());
  }

  @Test
  void wrongPasswordIs401InChineseByDefaultAndEnglishOnRequest() {
    JsonObject bad = new JsonObject().put("username", "admin").put("password", "nope-nope");
    Api.Response zh = anonymous.post("/api/v1/auth/login", bad);
    assertEquals(401, zh.status());
    assertEquals("bad_credentials", zh.errorCode());
    assertEquals("用户名或密码错误", zh.json().getJsonObject("error").getString("message"));
    Api.Response en = anonymous.post("/api/v1/auth/login", bad, "Accept-Language", "en-US,en;q=0.8");
    assertEquals("Wrong username or password", en.json().getJsonObject("error").getString("message"));
  }

  @Test
  void apiNeedsAuthentication() {
    Api.Response r = anonymous.get("/api/v1/auth/me");
    assertEquals(401, r.status());
    assertEquals("unauthenticated", r.errorCode());
    assertEquals(401, anonymous.get("/api/v1/users", "Authorization", "Bearer forged-token").status());
  }

  @Test
  void logoutRevokesTheToken() {
    Api admin = Api.login(platform.port(), "admin", TestPlatform.ADMIN_PASSWORD);
    assertEquals(200, admin.get("/api/v1/auth/me").status());
    assertEquals(204, admin.post("/api/v1/auth/logout", null).status());
    assertEquals(401, admin.get("/api/v1/auth/me").status());
  }

  /**
   * A node keeps a session it has looked up for a short while (AuthService.SESSION_CACHE) instead of reading it for
   * every request: revoked behind its back (as by another node), the session still works here until then; a logout
   * through this node ends it at once.
   */
  @Test
  void aNodeTrustsASessionBrieflyButALogoutHereEndsItAtOnce() {
    Api user = Api.login(platform.port(), "admin", TestPlatform.ADMIN_PASSWORD);
    assertEquals(200, user.get("/api/v1/auth/me").status());
    platform.pool().query("update auth_sessions set revoked_at = now() where revoked_at is null").execute().await();
    assertEquals(200, user.get("/api/v1/auth/me").status(), "kept by this node, not read again");
    assertEquals(204, user.post("/api/v1/auth/logout", null).status());
    assertEquals(401, user.get("/api/v1/auth/me").status());
  }

  @Test
  void malformedAndOversizedJsonAre4xxNever5xx() {
    assertEquals(400, anonymous.post("/api/v1/auth/login", "{\"username\": ").status());
    assertEquals(400, anonymous.post("/api/v1/auth/login", "[1,2]").status());
    assertEquals(400, anonymous.post("/api/v1/auth/login", "").status());
    Api.Response wrongTypes = anonymous.post("/api/v1/auth/login", new JsonObject().put("username", 5).put("password", true));
    assertEquals(400, wrongTypes.status());
    assertEquals("field_type", wrongTypes.errorCode());
    String huge = "{\"username\":\"" + "x".repeat(9 * 1024 * 1024) + "\"}";
    Api.Response r = anonymous.post("/api/v1/auth/login", huge);
    assertEquals(413, r.status());
    assertEquals("body_too_large", r.errorCode());
  }

  @Test
  void unknownApiRouteIsJson404() {
    Api admin = Api.login(platform.port(), "admin", TestPlatform.ADMIN_PASSWORD);
    Api.Response r = admin.get("/api/v1/no-such-thing");
    assertEquals(404, r.status());
    assertEquals("not_found", r.errorCode());
    assertNull(r.json().getJsonObject("error").getValue("stack"));
  }
}
