package org.kelian.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Map;
import org.kelian.core.auth.AuthOptions;
import org.kelian.core.config.Config;
import org.kelian.core.db.PgOptions;
import org.kelian.core.media.TranscodeOptions;
import org.kelian.deploy.Platform;
import org.kelian.deploy.PlatformOptions;
import org.kelian.deploy.SeedOptions;
import org.kelian.deploy.stack.LocalStack;
import org.kelian.deploy.stack.StackOptions;
import org.kelian.media.StorageOptions;
import org.kelian.search.SearchOptions;
import org.kelian.web.HttpOptions;

/** A platform of its own for one test class, on the shared stack: own database, index prefix and bucket. */
public final class TestPlatform {

  public static final String ADMIN_PASSWORD = "admin-password-1";

  private TestPlatform() {
  }

  public static PlatformOptions options(String name, Map<String, String> extra) {
    String id = name.toLowerCase().replaceAll("[^a-z0-9]", "");
    LocalStack stack = TestStack.get();
    String pgUrl;
    try {
      pgUrl = stack.createDatabase("t_" + id);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    LocalStack.Endpoints e = stack.endpoints();
    Map<String, String> env = new HashMap<>();
    env.put(PgOptions.URL.env(), pgUrl);
    env.put(SearchOptions.URLS.env(), e.esUrl());
    env.put(StorageOptions.ENDPOINT.env(), e.s3Endpoint());
    env.put(StorageOptions.ACCESS_KEY.env(), e.s3AccessKey());
    env.put(StorageOptions.SECRET_KEY.env(), e.s3SecretKey());
    env.put(StackOptions.DATA_DIR.env(), TestStack.dataDir().toString());
    env.put(HttpOptions.PORT.env(), "0");
    env.put(HttpOptions.HOST.env(), "127.0.0.1");
    env.put(AuthOptions.ADMIN_PASSWORD.env(), ADMIN_PASSWORD);
    env.put(SearchOptions.INDEX_PREFIX.env(), "t-" + id);
    env.put(StorageOptions.BUCKET.env(), "t-" + id);
    env.put(SeedOptions.SEED_CATALOG.env(), "false");
    env.put(TranscodeOptions.WORK_DIR.env(), TestStack.dataDir().resolve("transcode-" + id).toString());
    env.putAll(extra);
    return PlatformOptions.from(Config.of(Map.of(), env), TestStack.dataDir());
  }

  public static Platform start(String name) {
    return start(name, Map.of());
  }

  public static Platform start(String name, Map<String, String> extra) {
    return Platform.start(options(name, extra)).await();
  }

  public static Platform start(String name, Map<String, String> extra, java.time.Clock clock) {
    return start(name, extra, clock, null);
  }

  /** With a media server for Kurento mode (see {@link BrowserSfu}). */
  public static Platform start(String name, Map<String, String> extra, java.time.Clock clock, org.kelian.media.live.SfuBackend media) {
    return Platform.start(options(name, extra), clock, media).await();
  }
}
