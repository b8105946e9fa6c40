package org.kelian.web;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import org.kelian.core.Classpath;

/** Builds the whole HTTP surface: public routes, then authentication, then the API, with one failure handler. */
public final class ApiRouter {

  private ApiRouter() {
  }

  public static Router create(Vertx vertx, WebServices s) {
    Router r = Router.router(vertx);
    r.route().failureHandler(new FailureHandler());
    String openApi = Classpath.text("openapi.yaml");

    new HealthEndpoint(vertx, s.healthChecks()).routes(r);
    r.get("/metrics").handler(PrometheusScrapingHandler.create(s.metricsRegistry()));
    r.get("/api/v1/openapi.yaml").handler(ctx -> ctx.response()
        .putHeader("Content-Type", "application/yaml; charset=utf-8").end(openApi));

    AuthHandler authHandler = new AuthHandler(s.auth());
    // Uploads stream: their routes come before the body handler, and authenticate with the body paused.
    new UploadEndpoint(s.uploads(), authHandler).routes(r);
    // JSON bodies are bounded.
    r.route("/api/v1/*").handler(BodyHandler.create(false).setBodyLimit(s.http().jsonBodyLimitBytes()));
    AuthEndpoint auth = new AuthEndpoint(s.auth(), s.authOptions());
    auth.publicRoutes(r);
    CalendarFeedEndpoint calendarFeeds = new CalendarFeedEndpoint(s.calendarFeeds());
    calendarFeeds.publicRoutes(r);
    LiveEndpoint live = new LiveEndpoint(s.live(), s.hub(), s.ice(), s.liveHls());
    live.publicRoutes(r);
    r.route("/api/v1/*").handler(authHandler);
    auth.routes(r);
    new UserEndpoint(s.auth()).routes(r);
    new CatalogEndpoint(s.catalog()).routes(r);
    new ResourceEndpoint(s.resources()).routes(r);
    ObjectRelay relay = new ObjectRelay(vertx, s.objects(), vertx.createHttpClient(new HttpClientOptions(),
        new io.vertx.core.http.PoolOptions().setHttp1MaxSize(64)), s.hlsCache());
    new FileEndpoint(s.resources(), relay).routes(r);
    new MediaEndpoint(s.media(), s.objects(), relay).routes(r);
    new SearchEndpoint(s.search()).routes(r);
    new OrgEndpoint(s.org()).routes(r);
    new SessionEndpoint(s.schedule(), s.delivery()).routes(r);
    new AutoScheduleEndpoint(s.autoSchedule()).routes(r);
    calendarFeeds.routes(r);
    new ImportEndpoint(s.imports()).routes(r);
    live.routes(r);
    new CoverageEndpoint(s.coverage()).routes(r);
    r.route("/api/v1/*").handler(ctx -> ctx.fail(404));
    webUi(r);
    return r;
  }

  /**
   * The web UI from the classpath folder {@code webroot}, last so that the API, health and metrics win.
   * StaticHandler marks files {@code immutable}, but ours are not fingerprinted: browsers must revalidate
   * (a small 304 by Last-Modified, even on a village link) rather than run a stale app.js after an upgrade.
   */
  private static void webUi(Router r) {
    // Browser libraries come from their WebJars; the version is in the URL of the jar's folder, not in our pages.
    StaticHandler hls = StaticHandler.create("META-INF/resources/webjars/hls.js/" + webJarVersion("org.webjars.npm", "hls.js"))
        .setMaxAgeSeconds(86400);
    r.route("/vendor/hls.js/*").handler(hls);
    StaticHandler files = StaticHandler.create("webroot");
    r.route().handler(ctx -> {
      ctx.addHeadersEndHandler(v -> ctx.response().headers().set(HttpHeaders.CACHE_CONTROL, "no-cache"));
      files.handle(ctx);
    });
  }

  static String webJarVersion(String group, String artifact) {
    String props = org.kelian.core.Classpath.text("META-INF/maven/" + group + "/" + artifact + "/pom.properties");
    return props.lines().filter(l -> l.startsWith("version=")).findFirst()
        .map(l -> l.substring("version=".length()).strip())
        .orElseThrow(() -> new IllegalStateException("no version in the WebJar of " + artifact));
  }
}
