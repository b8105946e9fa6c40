package org.kelian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.vertx.core.json.JsonObject;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.kelian.deploy.Platform;
import org.kelian.deploy.PlatformOptions;

/** A dependency that cannot be reached turns /health into 503 and names it; the others stay UP. */
class HealthWhenDependencyDownTest {

  @Test
  void unreachableElasticsearchIs503() throws Exception {
    int deadPort;
    try (ServerSocket s = new ServerSocket(0)) {
      deadPort = s.getLocalPort();
    }
    PlatformOptions o = TestPlatform.options("healthdown", java.util.Map.of());
    o = new PlatformOptions(o.mode(), o.http(), o.pg(), o.search().withUrls(List.of("http://127.0.0.1:" + deadPort)),
        o.storage(), o.auth(), o.upload(), o.transcode(), o.schedule(), o.seed(), o.stack(), o.live(), o.ice(), o.hlsCache(), o.kurento());
    try (Platform p = Platform.start(o).await()) {
      Api.Response r = new Api(p.port(), null).get("/health");
      assertEquals(503, r.status(), r.body());
      JsonObject checks = r.json().getJsonObject("checks");
      assertEquals("DOWN", checks.getJsonObject("elasticsearch").getString("status"));
      assertNotNull(checks.getJsonObject("elasticsearch").getString("error"));
      assertEquals("UP", checks.getJsonObject("postgres").getString("status"));
      assertEquals("UP", checks.getJsonObject("objectStore").getString("status"));
    }
  }
}
