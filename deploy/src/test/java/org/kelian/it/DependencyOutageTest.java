package org.kelian.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kelian.core.db.PgOptions;
import org.kelian.core.upload.UploadOptions;
import org.kelian.deploy.Platform;
import org.kelian.media.StorageOptions;

/**
 * PostgreSQL and the object store reached through TCP proxies that the test cuts and restores: while one is
 * gone, requests that need it answer 503 with a clear message and nothing acknowledged is lost.
 */
class DependencyOutageTest {

  static final int PART = 5 * 1024 * 1024;
  static TcpProxy pg;
  static TcpProxy s3;
  static Platform platform;
  static Api admin;
  static Api teacher;
  static String lesson;

  @BeforeAll
  static void start() throws Exception {
    var stack = TestStack.get();
    String pgUrl = stack.createDatabase("t_outage");
    URI pgUri = URI.create(pgUrl.replace("postgresql://", "http://"));
    pg = new TcpProxy(pgUri.getHost(), pgUri.getPort());
    URI s3Uri = URI.create(stack.endpoints().s3Endpoint());
    s3 = new TcpProxy(s3Uri.getHost(), s3Uri.getPort());
    platform = TestPlatform.start("outage", Map.of(
        PgOptions.URL.env(), pgUrl.replace(":" + pgUri.getPort() + "/", ":" + pg.port() + "/"),
        StorageOptions.ENDPOINT.env(), "http://127.0.0.1:" + s3.port(),
        UploadOptions.PART_BYTES.env(), Integer.toString(PART)));
    admin = Api.login(platform.port(), "admin", TestPlatform.ADMIN_PASSWORD);
    Library.importCatalog(admin);
    teacher = Library.user(admin, platform.port(), "outage.teacher", "teacher", "371321");
    lesson = Library.node(admin, "小学", "数学", "人教版", "三年级", "上册", "6 多位数乘一位数");
  }

  @AfterAll
  static void stop() {
    platform.close();
    pg.close();
    s3.close();
  }

  @Test
  void objectStoreGoneMidUploadIs503AndTheUploadResumesAfterwards() throws Exception {
    byte[] file = UploadTest.mp4Like(2 * PART + 999);
    UUID id = Library.draft(teacher, "乘法 课例", "video", lesson);
    Tus tus = new Tus(teacher);
    String loc = tus.start(id, "乘法.mp4", file.length);
    assertEquals(204, tus.patch(loc, 0, Arrays.copyOfRange(file, 0, PART + 10)).status());
    s3.cut();
    try {
      Api.Response r = tus.patch(loc, PART + 10, Arrays.copyOfRange(file, PART + 10, file.length));
      assertEquals(503, r.status(), r.body());
      assertEquals("object_store_unavailable", r.errorCode());
      assertEquals(503, new Api(platform.port(), null).get("/health").status());
    } finally {
      s3.restore();
    }
    Api.Response done = UploadTest.resumeFromServerOffset(tus, loc, file);
    assertEquals(204, done.status(), done.body());
    assertArrayEquals(file, UploadTest.download(platform.port(), "outage.teacher", id));
  }

  @Test
  void databaseGoneIs503ThenEverythingWorksAgain() {
    pg.cut();
    try {
      Api.Response r = teacher.get("/api/v1/catalog/nodes");
      assertEquals(503, r.status(), r.body());
      assertEquals("database_unavailable", r.errorCode());
    } finally {
      pg.restore();
    }
    assertEquals(200, teacher.get("/api/v1/catalog/nodes").status());
    assertEquals(201, teacher.post("/api/v1/resources", new io.vertx.core.json.JsonObject().put("title", "恢复后").put("type", "exercise")
        .put("catalogNodeIds", new io.vertx.core.json.JsonArray().add(lesson))).status());
  }
}
