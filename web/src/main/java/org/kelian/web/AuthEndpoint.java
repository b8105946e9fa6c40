package org.kelian.web;

import io.vertx.core.http.Cookie;
import io.vertx.core.http.CookieSameSite;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.time.Duration;
import java.time.OffsetDateTime;
import org.kelian.core.auth.AuthOptions;
import org.kelian.core.auth.AuthService;

/** Login, logout and "who am I". Login answers a bearer token and sets an HttpOnly, SameSite session cookie. */
final class AuthEndpoint {

  private final AuthService auth;
  private final AuthOptions options;

  AuthEndpoint(AuthService auth, AuthOptions options) {
    this.auth = auth;
    this.options = options;
  }

  void publicRoutes(Router r) {
    r.post("/api/v1/auth/login").handler(this::login);
  }

  void routes(Router r) {
    r.post("/api/v1/auth/logout").handler(this::logout);
    r.get("/api/v1/auth/me").handler(ctx -> ctx.json(new JsonObject().put("user", Http.user(ctx).toJson())));
  }

  private void login(RoutingContext ctx) {
    Http.json(ctx, 200, () -> {
      JsonObject b = Http.body(ctx);
      return auth.login(Http.string(b, "username"), Http.string(b, "password"));
    }, login -> {
      long maxAge = Math.max(0, Duration.between(OffsetDateTime.now(), login.expiresAt()).toSeconds());
      ctx.response().addCookie(cookie(login.token()).setMaxAge(maxAge));
      return new JsonObject().put("token", login.token()).put("expiresAt", login.expiresAt().toString())
          .put("user", login.user().toJson());
    });
  }

  private void logout(RoutingContext ctx) {
    Http.handle(ctx, () -> auth.logout(AuthHandler.token(ctx)), x -> {
      ctx.response().addCookie(cookie("").setMaxAge(0));
      ctx.response().setStatusCode(204).end();
      return null;
    });
  }

  private Cookie cookie(String value) {
    return Cookie.cookie(AuthHandler.COOKIE, value).setPath("/").setHttpOnly(true)
        .setSameSite(CookieSameSite.LAX).setSecure(options.secureCookie());
  }

}
