package org.kelian.deploy;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.sqlclient.Pool;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.kelian.core.Classpath;
import org.kelian.core.auth.AuthService;
import org.kelian.core.auth.UserStore;
import org.kelian.core.catalog.CatalogService;
import org.kelian.core.catalog.CatalogStore;
import org.kelian.core.coverage.CoverageService;
import org.kelian.core.db.Db;
import org.kelian.core.db.Migrations;
import org.kelian.core.imports.ImportService;
import org.kelian.core.imports.ImportStore;
import org.kelian.core.media.CaptionStore;
import org.kelian.core.media.MediaEvents;
import org.kelian.core.media.MediaService;
import org.kelian.core.media.TranscodeStore;
import org.kelian.core.media.TranscodeWorker;
import org.kelian.core.org.OrgService;
import org.kelian.core.org.OrgStore;
import org.kelian.core.schedule.CalendarFeedService;
import org.kelian.core.schedule.CalendarFeedStore;
import org.kelian.core.schedule.DeliveryReport;
import org.kelian.core.live.LiveService;
import org.kelian.core.live.LiveStore;
import org.kelian.core.schedule.ScheduleService;
import org.kelian.core.schedule.ScheduleStore;
import org.kelian.core.schedule.auto.AutoScheduleStore;
import org.kelian.media.live.IceServers;
import org.kelian.media.live.LiveHls;
import org.kelian.media.live.KurentoBackend;
import org.kelian.media.live.KurentoRecordings;
import org.kelian.media.live.SfuBackend;
import org.kelian.media.live.SfuRooms;
import org.kelian.media.live.SignalingHub;
import org.kelian.core.schedule.auto.AutoScheduler;
import org.kelian.core.resource.ResourceService;
import org.kelian.core.resource.ResourceStore;
import org.kelian.core.search.SearchIndexer;
import org.kelian.core.search.SearchOutbox;
import org.kelian.core.search.SearchService;
import org.kelian.core.upload.UploadService;
import org.kelian.core.upload.UploadStore;
import org.kelian.media.MinioObjectStore;
import org.kelian.media.transcode.FfmpegBinaries;
import org.kelian.media.transcode.FfmpegTranscoder;
import org.kelian.search.Elasticsearch;
import org.kelian.search.ElasticsearchIndex;
import org.kelian.web.ApiRouter;
import org.kelian.web.FileCache;
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
  private static final long EXPIRY_SWEEP_MS = 15 * 60 * 1000;

  private final Vertx vertx;
  private final Pool pool;
  private final Elasticsearch elasticsearch;
  private final MinioObjectStore objects;
  private final SearchIndexer indexer;
  private final WebServices web;
  private final TranscodeWorker worker;
  private final MediaService media;
  private final AutoScheduler autoScheduler;
  private final LiveService live;
  private final SignalingHub hub;
  private final LiveHls liveHls;
  private final JsonArray seedBooks;
  private int port;
  private Optional<String> generatedAdminPassword = Optional.empty();

  private Platform(PlatformOptions o, Clock clock, SfuBackend mediaServer) {
    // Read here, on the starting thread, rather than on an event loop during boot.
    this.seedBooks = o.seed().seedCatalog() ? seedBooks() : null;
    String registry = "kelian-" + UUID.randomUUID();
    this.vertx = Vertx.vertx(new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true))
        .setJvmMetricsEnabled(true).setRegistryName(registry).setEnabled(true)));
    this.pool = Db.pool(vertx, o.pg());
    this.elasticsearch = new Elasticsearch(vertx, o.search());
    this.objects = new MinioObjectStore(vertx, o.storage());
    ElasticsearchIndex searchIndex = new ElasticsearchIndex(elasticsearch, o.search());
    this.indexer = new SearchIndexer(vertx, new SearchOutbox(pool), searchIndex);
    CatalogStore catalogStore = new CatalogStore(pool);
    ResourceService resources = new ResourceService(new ResourceStore(pool), catalogStore, indexer::flush);
    TranscodeStore transcodeStore = new TranscodeStore(pool);
    CaptionStore captionStore = new CaptionStore(pool);
    OrgService org = new OrgService(new OrgStore(pool));
    UserStore userStore = new UserStore(pool);
    MediaEvents mediaEvents = new MediaEvents(vertx);
    FfmpegBinaries ffmpeg = FfmpegBinaries.load();
    FfmpegTranscoder transcoder = new FfmpegTranscoder(ffmpeg, o.transcode().preset());
    this.worker = new TranscodeWorker(vertx, transcodeStore, objects, transcoder, o.transcode(), mediaEvents);
    this.media = new MediaService(vertx, transcodeStore, resources, objects, transcoder, o.transcode(), worker, mediaEvents,
        captionStore, indexer::flush);
    ScheduleStore sessions = new ScheduleStore(pool);
    ScheduleService schedule = new ScheduleService(sessions, org, userStore, o.schedule());
    UploadService uploads = new UploadService(vertx, new UploadStore(pool), objects, resources, o.upload(), media::fileAttached);
    this.liveHls = new LiveHls(ffmpeg, o.transcode().workDir().resolve("live-hls"));
    this.live = new LiveService(schedule, sessions, org, new LiveStore(pool), resources, uploads, liveHls, o.live(), clock);
    SfuBackend sfuMedia = mediaServer != null ? mediaServer
        : o.kurento().enabled() ? new KurentoBackend(o.kurento().urls(), o.ice(), clock) : null;
    SfuRooms sfu = sfuMedia == null ? null : new SfuRooms(vertx, sfuMedia);
    KurentoRecordings kurentoRecordings = o.kurento().recordingBaseUrl() == null ? null
        : new KurentoRecordings(live, uploads, userStore::findById, o.kurento().recordingBaseUrl());
    this.hub = new SignalingHub(vertx, live, SignalingHub.Limits.defaults(), sfu, o.kurento().roomLimit(), kurentoRecordings);
    this.autoScheduler = new AutoScheduler(vertx, new AutoScheduleStore(pool), org, schedule, o.schedule());
    this.web = new WebServices(o.http(), registry, o.auth(), new AuthService(vertx, userStore, o.auth()),
        new CatalogService(catalogStore), resources, new SearchService(searchIndex, indexer, captionStore::moments),
        uploads, new CoverageService(pool),
        media, org, schedule, new DeliveryReport(pool), autoScheduler, new CalendarFeedService(new CalendarFeedStore(pool), org, userStore),
        objects, List.of(Db.health(pool), elasticsearch.health(), objects.health(), worker.health()), new ImportService(vertx, new ImportStore(pool)),
        live, hub, new IceServers(o.ice()), liveHls,
        o.hlsCache().enabled() ? FileCache.open(vertx, o.hlsCache().dir(), o.hlsCache().capacityBytes()) : null);
  }

  public static Future<Platform> start(PlatformOptions o) {
    return start(o, Clock.systemUTC());
  }

  /** With the clock the class rooms read (whether a room is open, token expiry): tests choose the day and hour. */
  public static Future<Platform> start(PlatformOptions o, Clock clock) {
    return start(o, clock, null);
  }

  /**
   * With the media server of Kurento mode given rather than made from {@code KELIAN_KURENTO_URL} (tests drive the
   * class room pages through one of their own); null: as configured.
   */
  public static Future<Platform> start(PlatformOptions o, Clock clock, SfuBackend mediaServer) {
    Platform p;
    try {
      p = new Platform(o, clock, mediaServer);
    } catch (RuntimeException e) {
      return Future.failedFuture(e);
    }
    // A failed boot is reported on an event loop, which must not wait for Vert.x to close: close elsewhere, then
    // fail a promise of no context (one of the closed Vert.x would never deliver the failure).
    io.vertx.core.Promise<Platform> started = io.vertx.core.Promise.promise();
    p.boot().onComplete(ar -> {
      if (ar.succeeded()) {
        started.complete(p);
      } else {
        java.util.concurrent.CompletableFuture.runAsync(p::close).whenComplete((x, e) -> started.fail(ar.cause()));
      }
    });
    return started.future();
  }

  private Future<Void> boot() {
    return Migrations.migrate(pool)
        .compose(v -> live.start())
        .compose(v -> objects.ensureBucket())
        .compose(x -> web.auth().ensureAdmin())
        .compose(pw -> {
          generatedAdminPassword = pw;
          return seedBooks == null ? Future.succeededFuture(0) : web.catalog().seedIfEmpty(seedBooks);
        })
        .compose(seeded -> {
          if (seeded > 0) {
            LOG.info("seeded the catalog with {} nodes from the bundled textbooks", seeded);
          }
          // Search may be down at start: writes still succeed and the indexer catches up when it returns.
          indexer.start();
          return media.enqueueMissing();
        })
        .compose(queued -> {
          if (queued > 0) {
            LOG.info("queued {} transcode job(s) for video files that had none", queued);
          }
          vertx.setPeriodic(0, EXPIRY_SWEEP_MS, id -> web.uploads().expire()
              .onFailure(t -> LOG.warn("expiring unfinished uploads: {}", t.getMessage())));
          // Runs waiting auto-schedule jobs, and those a stopped or dead node left running, from the start.
          autoScheduler.start();
          return worker.start();
        })
        .compose(x -> {
          WebVerticle verticle = new WebVerticle(web, web.http().port());
          return vertx.deployVerticle(verticle, new DeploymentOptions()).map(id -> verticle.actualPort());
        })
        .map(actual -> {
          port = actual;
          LOG.info("Kelian is serving on port {}", port);
          return null;
        });
  }

  static JsonArray seedBooks() {
    return new JsonArray(Classpath.text("seed/textbooks.json"));
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

  public SearchIndexer indexer() {
    return indexer;
  }

  /** The object store the platform writes to (tests look behind the API with it). */
  public MinioObjectStore objects() {
    return objects;
  }

  public MediaService media() {
    return media;
  }

  public SignalingHub hub() {
    return hub;
  }

  public LiveService live() {
    return live;
  }

  public UploadService uploads() {
    return web.uploads();
  }

  /** The password generated for {@code admin} on this start, when none was configured and the account was new. */
  public Optional<String> generatedAdminPassword() {
    return generatedAdminPassword;
  }

  /** The router as it serves, for checks such as "every route is in the OpenAPI document". */
  public io.vertx.ext.web.Router router() {
    return ApiRouter.create(vertx, web);
  }

  @Override
  public void close() {
    // Called from outside Vert.x (shutdown hook, tests) or after a failed boot: wait on plain futures, never on the
    // closing event loops.
    indexer.stop();
    try {
      // classrooms still connected are let go, their leaves written while the database is there
      hub.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("closing the class rooms: {}", e.getMessage());
    }
    liveHls.close();
    autoScheduler.stop();
    worker.stop();
    try {
      pool.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("closing the database pool: {}", e.getMessage());
    }
    try {
      elasticsearch.close();
    } catch (Exception e) {
      LOG.warn("closing Elasticsearch client: {}", e.getMessage());
    }
    try {
      vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      LOG.warn("closing Vert.x: {}", e.getMessage());
    }
  }
}
