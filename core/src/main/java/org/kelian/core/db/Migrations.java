package org.kelian.core.db;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.kelian.core.Classpath;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned schema migrations: {@code db/migration/001.sql}, {@code 002.sql}, ... on the classpath, applied in
 * order, each in its own transaction, recorded in {@code schema_version}. An advisory lock keeps two nodes that
 * start together from applying the same script twice.
 */
public final class Migrations {

  private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
  private static final long LOCK_KEY = 0x6b656c69616eL; // "kelian"

  private Migrations() {
  }

  static List<String> scripts() {
    List<String> out = new ArrayList<>();
    for (int v = 1; ; v++) {
      String name = String.format("db/migration/%03d.sql", v);
      Optional<String> script = Classpath.find(name);
      if (script.isEmpty()) {
        return out;
      }
      out.add(script.get());
    }
  }

  /** Applies every script not applied yet; answers the schema version reached. */
  public static Future<Integer> migrate(Pool pool) {
    List<String> scripts = scripts();
    return pool.getConnection().compose(conn -> conn
        .preparedQuery("select pg_advisory_lock($1)").execute(Tuple.of(LOCK_KEY))
        .compose(x -> conn.query("select to_regclass('schema_version') is not null as present").execute())
        .compose(rows -> rows.iterator().next().getBoolean("present") ? Future.succeededFuture()
            : conn.query("create table schema_version (version int primary key, applied_at timestamptz not null default now())").execute())
        .compose(x -> conn.query("select coalesce(max(version), 0) as v from schema_version").execute())
        .compose(rows -> applyFrom(conn, scripts, rows.iterator().next().getInteger("v")))
        .eventually(() -> conn.preparedQuery("select pg_advisory_unlock($1)").execute(Tuple.of(LOCK_KEY))
            .eventually(conn::close)));
  }

  private static Future<Integer> applyFrom(SqlConnection conn, List<String> scripts, int current) {
    if (current >= scripts.size()) {
      return Future.succeededFuture(current);
    }
    int next = current + 1;
    LOG.info("applying schema migration {}", next);
    return conn.begin().compose(tx -> conn.query(scripts.get(next - 1)).execute()
            .compose(x -> conn.preparedQuery("insert into schema_version(version) values ($1)").execute(Tuple.of(next)))
            .compose(x -> tx.commit())
            .recover(t -> tx.rollback().transform(ignored -> Future.failedFuture(
                new IllegalStateException("schema migration " + next + " failed: " + t.getMessage(), t)))))
        .compose(x -> applyFrom(conn, scripts, next));
  }
}
