package org.kelian.web;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.kelian.core.health.HealthCheck;

/** {@code GET /health}: 200 only when every required dependency answers, with each one's status in the body. */
final class HealthEndpoint {

  private static final long TIMEOUT_MS = 3000;

  private final Vertx vertx;
  private final List<HealthCheck> checks;

  HealthEndpoint(Vertx vertx, List<HealthCheck> checks) {
    this.vertx = vertx;
    this.checks = checks;
  }

  void routes(Router r) {
    r.get("/health").handler(this::health);
  }

  private void health(RoutingContext ctx) {
    List<Future<JsonObject>> results = checks.stream().map(this::run).toList();
    Future.join(results).onComplete(ar -> {
      JsonObject deps = new JsonObject();
      boolean up = true;
      for (int i = 0; i < checks.size(); i++) {
        JsonObject one = results.get(i).result();
        up &= "UP".equals(one.getString("status")) || !checks.get(i).required();
        deps.put(checks.get(i).name(), one);
      }
      ctx.response().setStatusCode(up ? 200 : 503).putHeader("Content-Type", "application/json; charset=utf-8")
          .putHeader("Cache-Control", "no-store")
          .end(new JsonObject().put("status", up ? "UP" : "DOWN").put("checks", deps).encode());
    });
  }

  private Future<JsonObject> run(HealthCheck check) {
    long t0 = System.nanoTime();
    Future<Void> f;
    try {
      f = check.check();
    } catch (RuntimeException e) {
      f = Future.failedFuture(e);
    }
    return f.timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS)
        .map(x -> new JsonObject().put("status", "UP").put("ms", (System.nanoTime() - t0) / 1_000_000))
        .otherwise(t -> new JsonObject().put("status", "DOWN").put("error", String.valueOf(t.getMessage())));
  }
}
