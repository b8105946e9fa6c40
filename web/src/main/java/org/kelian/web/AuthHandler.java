package org.kelian.web;

import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import org.kelian.core.auth.AuthService;
import org.kelian.core.error.KelianException;

/**
 * Authenticates every API request by {@code Authorization: Bearer <token>} or by the web UI's session cookie,
 * and answers 401 when neither names a live session.
 */
final class AuthHandler implements Handler<RoutingContext> {

  static final String COOKIE = "kelian_session";

  private final AuthService auth;

  AuthHandler(AuthService auth) {
    this.auth = auth;
  }

  static String token(RoutingContext ctx) {
    String header = ctx.request().getHeader("Authorization");
    if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return header.substring(7).strip();
    }
    Cookie c = ctx.request().getCookie(COOKIE);
    return c == null ? null : c.getValue();
  }

  @Override
  public void handle(RoutingContext ctx) {
    auth.authenticate(token(ctx)).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
      } else if (ar.result().isEmpty()) {
        ctx.fail(KelianException.unauthenticated());
      } else {
        ctx.put(Http.USER, ar.result().get());
        ctx.next();
      }
    });
  }
}
