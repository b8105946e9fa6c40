package org.kelian.deploy.stack;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** PostgreSQL from Maven-provided binaries (zonky), data under {@code <data>/pg}, kept across runs. */
final class LocalPostgres implements AutoCloseable {

  static final String DATABASE = "kelian";

  private final StackOptions options;
  private EmbeddedPostgres pg;

  private final boolean fresh;

  LocalPostgres(StackOptions options, boolean fresh) {
    this.options = options;
    this.fresh = fresh;
  }

  /** Starts the server and answers the URI of database {@code kelian}. */
  String start() throws IOException {
    Path dir = options.dataDir().resolve("pg");
    ChildProcess.reclaim("postgres", dir.toString());
    if (fresh) {
      LocalElasticsearch.deleteTree(dir);
    }
    Files.createDirectories(dir);
    pg = EmbeddedPostgres.builder()
        .setDataDirectory(dir)
        .setCleanDataDirectory(false)
        .setPort(Ports.free())
        .setServerConfig("max_connections", "200")
        .setServerConfig("timezone", "UTC")
        .start();
    createDatabase(DATABASE);
    return uri(DATABASE);
  }

  String uri(String database) {
    return "postgresql://postgres:postgres@127.0.0.1:" + pg.getPort() + "/" + database;
  }

  /** Creates a database unless it exists (tests use one per test class). */
  void createDatabase(String name) throws IOException {
    if (!name.matches("[a-z0-9_]{1,60}")) {
      throw new IllegalArgumentException("database names are lower-case letters, digits and _: " + name);
    }
    try (Connection c = pg.getPostgresDatabase().getConnection(); Statement s = c.createStatement()) {
      try (var rs = s.executeQuery("select 1 from pg_database where datname = '" + name + "'")) {
        if (rs.next()) {
          return;
        }
      }
      s.execute("create database " + name + " encoding 'UTF8' template template0");
    } catch (SQLException e) {
      throw new IOException("cannot create database " + name + ": " + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws IOException {
    if (pg != null) {
      pg.close();
      pg = null;
    }
  }
}
