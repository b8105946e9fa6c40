package org.kelian.core.db;

import java.util.List;
import org.kelian.core.config.Config;
import org.kelian.core.config.Setting;

/** PostgreSQL, the system of record. In local mode the URL is the embedded server's and may be left unset. */
public record PgOptions(String url, int poolSize) {

  public static final Setting URL = Setting.of("KELIAN_PG_URL", "postgres.url", null,
      "PostgreSQL connection URI, e.g. postgresql://kelian:secret@db:5432/kelian (required in production; local mode uses the embedded server)");
  public static final Setting POOL_SIZE = Setting.of("KELIAN_PG_POOL_SIZE", "postgres.poolSize", "8",
      "Maximum connections in the pool");

  public static final List<Setting> SETTINGS = List.of(URL, POOL_SIZE);

  public static PgOptions from(Config c) {
    return new PgOptions(c.get(URL), c.getInt(POOL_SIZE));
  }

  public PgOptions withUrl(String newUrl) {
    return new PgOptions(newUrl, poolSize);
  }
}
