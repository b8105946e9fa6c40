package org.kelian.deploy;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.sqlclient.Pool;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.kelian.core.auth.AuthService;
import org.kelian.core.auth.UserStore;
import org.kelian.core.db.Db;
import org.kelian.core.db.Migrations;
import org.kelian.media.MinioObjectStore;
import org.kelian.search.Elasticsearch;
import org.kelian.web.ApiRouter;
import org.kelian.web.WebServices;
import org.kelian.web.WebVerticle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running platform: Vert.x, the clients of the three real servers, the services, and the HTTP server. The
 * same wiring serves local mode, production and the tests; only the endpoints differ.
 */
public final class Platform implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(Platform.class);

  private final Vertx vertx;
  private final Pool pool;
  private final Elasticsearch elasticsearch;
  private final WebServices web;
  private int port;
  private Optional<String> generatedAdminPassword = Optional.empty();

  private Platform(PlatformOptions o) {
    String registry = "kelian-" + UUID.randomUUID();
    this.vertx = Vertx.vertx(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
        .setJvmMetricsEnabled(true).setRegistryName(registry).setEnabled(true)));
    this.pool = Db.pool(vertx, o.pg());
    this.elasticsearch = new Elasticsearch(vertx, o.search());
    MinioObjectStore objects = new MinioObjectStore(vertx, o.storage());
    AuthService auth = new AuthService(vertx, new UserStore(pool), o.auth());
    this.web = new WebServices(o.http(), registry, o.auth(), auth,
        List.of(Db.health(pool), elasticsearch.health(), objects.health()));
    this.objects = objects;
  }

  private final MinioObjectStore objects;

  public static Future<Platform> start(PlatformOptions o) {
    Platform p;
    try {
      p = new Platform(o);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    return p.boot().map(x -> p).recover(t -> p.closeAsync().transform(ignored -> Future.failedFuture(t)));
  }

  private Future<Void> boot() {
    return Migrations.migrate(pool)
        .compose(v -> objects.ensureBucket())
        .compose(x -> web.auth().ensureAdmin())
        .compose(pw -> {
          generatedAdminPassword = pw;
          WebVerticle verticle = new WebVerticle(web);
          return vertx.deployVerticle(verticle, new DeploymentOptions()).map(id -> verticle.actualPort());
        })
        .map(actual -> {
          port = actual;
          LOG.info("Kelian is serving on port {}", port);
          return null;
        });
  }

  public int port() {
    return port;
  }

  public Vertx vertx() {
    return vertx;
  }

  public Pool pool() {
    return pool;
  }

  /** The password generated for {@code admin} on this start, when none was configured and the account was new. */
  public Optional<String> generatedAdminPassword() {
    return generatedAdminPassword;
  }

  /** The router as it serves, for checks such as "every route is in the OpenAPI document". */
  public io.vertx.ext.web.Router router() {
    return ApiRouter.create(vertx, web);
  }

  /** Stops everything; used on a failed boot, where the caller may still be on one of this Vert.x's threads. */
  private Future<Void> closeAsync() {
    closeSearchClient();
    return pool.close().transform(x -> vertx.close());
  }

  private void closeSearchClient() {
    try {
      elasticsearch.close();
    } catch (Exception e) {
      LOG.warn("closing Elasticsearch client: {}", e.getMessage());
    }
  }

  @Override
  public void close() {
    // Called from outside Vert.x (shutdown hook, tests): wait on plain futures, never on the closing event loops.
    try {
      pool.close().toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("closing the database pool: {}", e.getMessage());
    }
    closeSearchClient();
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("closing Vert.x: {}", e.getMessage());
    }
  }
}
