package org.kelian.deploy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.kelian.core.auth.AuthOptions;
import org.kelian.core.config.Config;
import org.kelian.core.config.Config.ConfigException;
import org.kelian.core.config.Setting;
import org.kelian.core.db.PgOptions;
import org.kelian.core.media.TranscodeOptions;
import org.kelian.core.live.LiveOptions;
import org.kelian.core.schedule.ScheduleOptions;
import org.kelian.media.live.IceOptions;
import org.kelian.media.live.KurentoOptions;
import org.kelian.core.upload.UploadOptions;
import org.kelian.deploy.stack.StackOptions;
import org.kelian.media.StorageOptions;
import org.kelian.search.SearchOptions;
import org.kelian.web.HlsCacheOptions;
import org.kelian.web.HttpOptions;

/** Every subsystem's options, read from one {@link Config}; the list of all settings feeds the README check. */
public record PlatformOptions(Mode mode, HttpOptions http, PgOptions pg, SearchOptions search, StorageOptions storage,
                              AuthOptions auth, UploadOptions upload, TranscodeOptions transcode, ScheduleOptions schedule, SeedOptions seed,
                              StackOptions stack, LiveOptions live, IceOptions ice, HlsCacheOptions hlsCache,
                              KurentoOptions kurento) {

  public static final Setting MODE = Setting.of("KELIAN_MODE", "mode", "local",
      "local (default: starts its own PostgreSQL, Elasticsearch and S3Proxy under the data folder) or production (external servers, every endpoint and secret required)");
  public static final Setting CONFIG_FILE = Setting.of("KELIAN_CONFIG_FILE", "-", "./kelian.yaml",
      "YAML file with any of these settings (nested keys as in the second column); environment variables win over it");

  public static List<Setting> allSettings() {
    return Stream.of(List.of(MODE, CONFIG_FILE), HttpOptions.SETTINGS, StackOptions.SETTINGS, AuthOptions.SETTINGS,
        PgOptions.SETTINGS, SearchOptions.SETTINGS, StorageOptions.SETTINGS, UploadOptions.SETTINGS, TranscodeOptions.SETTINGS, ScheduleOptions.SETTINGS, LiveOptions.SETTINGS, IceOptions.SETTINGS, KurentoOptions.SETTINGS, HlsCacheOptions.SETTINGS, SeedOptions.SETTINGS).flatMap(List::stream).toList();
  }

  public static PlatformOptions from(Config c, Path defaultStackDir) {
    Mode mode = Mode.parse(c.require(MODE));
    StackOptions stack = StackOptions.from(c, defaultStackDir);
    Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
    Path spool = mode == Mode.LOCAL ? stack.dataDir().resolve("spool") : tmp.resolve("kelian-spool");
    Path work = mode == Mode.LOCAL ? stack.dataDir().resolve("transcode") : tmp.resolve("kelian-transcode");
    Path hlsCache = mode == Mode.LOCAL ? stack.dataDir().resolve("hls-cache") : tmp.resolve("kelian-hls-cache");
    PlatformOptions o = new PlatformOptions(mode, HttpOptions.from(c), PgOptions.from(c), SearchOptions.from(c),
        StorageOptions.from(c), AuthOptions.from(c), UploadOptions.from(c, spool), TranscodeOptions.from(c, work), ScheduleOptions.from(c), SeedOptions.from(c), stack,
        LiveOptions.from(c), IceOptions.from(c), HlsCacheOptions.from(c, hlsCache), KurentoOptions.from(c));
    if (mode == Mode.PRODUCTION) {
      o.requireProductionSettings(c);
    }
    return o;
  }

  /** Production refuses to start while anything it needs is missing, and names all of it at once. */
  private void requireProductionSettings(Config c) {
    List<String> missing = new ArrayList<>();
    for (Setting s : List.of(PgOptions.URL, SearchOptions.URLS, StorageOptions.ENDPOINT, StorageOptions.ACCESS_KEY,
        StorageOptions.SECRET_KEY, AuthOptions.ADMIN_PASSWORD)) {
      if (c.find(s).isEmpty()) {
        missing.add(s.env());
      }
    }
    if (!auth.secureCookie()) {
      missing.add("KELIAN_SECURE_COOKIE=true (production serves the session cookie over HTTPS only)");
    }
    if (!missing.isEmpty()) {
      throw new ConfigException("production mode needs: " + String.join(", ", missing));
    }
  }

  public PlatformOptions withEndpoints(String pgUrl, String esUrl, String s3Endpoint, String s3AccessKey, String s3SecretKey) {
    return new PlatformOptions(mode, http, pg.withUrl(pgUrl), search.withUrls(List.of(esUrl)),
        storage.withEndpoint(s3Endpoint, s3AccessKey, s3SecretKey), auth, upload, transcode, schedule, seed, stack, live, ice, hlsCache, kurento);
  }
}
