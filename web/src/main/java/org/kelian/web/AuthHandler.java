package org.kelian.web;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.http.Cookie;
import io.vertx.ext.web.RoutingContext;
import org.kelian.core.auth.AuthService;
import org.kelian.core.auth.User;
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
    authenticate(ctx).onSuccess(u -> ctx.next()).onFailure(ctx::fail);
  }

  /** Resolves the caller and remembers it on the context; fails with 401 when there is no live session. */
  Future<User> authenticate(RoutingContext ctx) {
    return auth.authenticate(token(ctx)).map(found -> {
      User u = found.orElseThrow(KelianException::unauthenticated);
      ctx.put(Http.USER, u);
      return u;
    });
  }
}
