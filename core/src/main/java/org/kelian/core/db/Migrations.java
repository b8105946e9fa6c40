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
  private static final int MAX_GAP = 10;

  private Migrations() {
  }

  /**
   * The scripts by version. Versions may have gaps: branches developed in parallel each claim a number, and one
   * may be merged before another; the scan stops after {@link #MAX_GAP} missing numbers in a row.
   */
  static java.util.SortedMap<Integer, String> scripts() {
    java.util.SortedMap<Integer, String> out = new java.util.TreeMap<>();
    for (int v = 1, missing = 0; missing < MAX_GAP; v++) {
      Optional<String> script = Classpath.find(String.format("db/migration/%03d.sql", v));
      if (script.isPresent()) {
        out.put(v, script.get());
        missing = 0;
      } else {
        missing++;
      }
    }
    return out;
  }

  /**
   * Applies, in order, every script whose version is not recorded yet (a version merged late still runs);
   * answers the highest version applied.
   */
  public static Future<Integer> migrate(Pool pool) {
    java.util.SortedMap<Integer, String> scripts = scripts();
    return pool.getConnection().compose(conn -> conn
        .preparedQuery("select pg_advisory_lock($1)").execute(Tuple.of(LOCK_KEY))
        .compose(x -> conn.query("select to_regclass('schema_version') is not null as present").execute())
        .compose(rows -> rows.iterator().next().getBoolean("present") ? Future.succeededFuture()
            : conn.query("create table schema_version (version int primary key, applied_at timestamptz not null default now())").execute())
        .compose(x -> conn.query("select version from schema_version").execute())
        .compose(rows -> {
          java.util.Set<Integer> applied = new java.util.HashSet<>();
          rows.forEach(r -> applied.add(r.getInteger("version")));
          List<Integer> pending = new ArrayList<>(scripts.keySet());
          pending.removeAll(applied);
          return applyAll(conn, scripts, pending, 0);
        })
        .map(x -> scripts.isEmpty() ? 0 : scripts.lastKey())
        .eventually(() -> conn.preparedQuery("select pg_advisory_unlock($1)").execute(Tuple.of(LOCK_KEY))
            .eventually(conn::close)));
  }

  private static Future<Void> applyAll(SqlConnection conn, java.util.SortedMap<Integer, String> scripts, List<Integer> pending, int i) {
    if (i >= pending.size()) {
      return Future.succeededFuture();
    }
    int next = pending.get(i);
    LOG.info("applying schema migration {}", next);
    return conn.begin().compose(tx -> conn.query(scripts.get(next)).execute()
            .compose(x -> conn.preparedQuery("insert into schema_version(version) values ($1)").execute(Tuple.of(next)))
            .compose(x -> tx.commit())
            .recover(t -> tx.rollback().transform(ignored -> Future.failedFuture(
                new IllegalStateException("schema migration " + next + " failed: " + t.getMessage(), t)))))
        .compose(x -> applyAll(conn, scripts, pending, i + 1));
  }
}
