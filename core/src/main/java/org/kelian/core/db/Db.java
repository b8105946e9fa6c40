package org.kelian.core.db;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.pgclient.PgBuilder;
import io.vertx.pgclient.PgConnectOptions;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.PoolOptions;
import org.kelian.core.error.KelianException;
import org.kelian.core.health.HealthCheck;

/** The pool, its health check, and the one place where driver errors become domain errors. */
public final class Db {

  private Db() {
  }

  public static Pool pool(Vertx vertx, PgOptions options) {
    PgConnectOptions connect = PgConnectOptions.fromUri(options.url())
        .setCachePreparedStatements(true);
    return PgBuilder.pool()
        .with(new PoolOptions().setMaxSize(options.poolSize()).setName("kelian-pg").setShared(false))
        .connectingTo(connect)
        .using(vertx)
        .build();
  }

  public static HealthCheck health(Pool pool) {
    return new HealthCheck() {
      @Override
      public String name() {
        return "postgres";
      }

      @Override
      public Future<Void> check() {
        return pool.query("select 1").execute().mapEmpty();
      }
    };
  }

  /**
   * Turns a driver failure into a domain failure. Unique and foreign-key violations become conflicts with the
   * given wording; a lost connection becomes "unavailable"; anything else stays as it is (and ends as a 500).
   */
  public static Throwable translate(Throwable t) {
    if (t instanceof KelianException) {
      return t;
    }
    if (t instanceof PgException pg) {
      String state = pg.getSqlState();
      if ("23505".equals(state)) {
        return KelianException.conflict("duplicate", "已存在相同的记录", "A record with the same key already exists");
      }
      if ("23503".equals(state)) {
        return KelianException.conflict("still_referenced", "该记录仍被引用，不能删除或修改", "The record is still referenced");
      }
      if ("40001".equals(state) || "40P01".equals(state)) {
        return KelianException.conflict("concurrent_update", "记录正被他人修改，请重试", "The record was changed concurrently; try again");
      }
      return t;
    }
    if (t instanceof io.vertx.sqlclient.ClosedConnectionException || t instanceof java.io.IOException
        || t instanceof io.vertx.core.VertxException || t instanceof java.util.concurrent.TimeoutException) {
      return KelianException.unavailable("database_unavailable", "数据库暂时不可用，请稍后再试", "The database is unavailable; try again shortly", t);
    }
    return t;
  }

  /** A json/jsonb column, whichever form the driver hands it over in. */
  public static io.vertx.core.json.JsonArray jsonArray(io.vertx.sqlclient.Row row, String column) {
    Object raw = row.getValue(column);
    return raw instanceof io.vertx.core.json.JsonArray a ? a : new io.vertx.core.json.JsonArray(String.valueOf(raw));
  }

  public static <T> Future<T> recover(Future<T> f) {
    return f.recover(t -> Future.failedFuture(translate(t)));
  }
}
