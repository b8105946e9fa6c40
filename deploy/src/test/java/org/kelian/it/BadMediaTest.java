package org.kelian.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kelian.deploy.Platform;

/**
 * The bad-media set: each file ends as a failed job with a reason a teacher can read (or, where the upload itself
 * can tell, is refused before a job exists), the worker goes on to the next job, the platform stays healthy and the
 * original stays downloadable.
 */
class BadMediaTest {

  static Platform platform;
  static Api teacher;
  static String lesson;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start("badmedia");
    Api admin = Api.login(platform.port(), "admin", TestPlatform.ADMIN_PASSWORD);
    Library.importCatalog(admin);
    teacher = Library.user(admin, platform.port(), "bm.teacher", "teacher", "371321");
    lesson = Library.node(admin, "小学", "数学", "人教版", "三年级", "上册", "7 长方形和正方形");
  }

  @AfterAll
  static void stop() {
    platform.close();
  }

  static UUID upload(String name, byte[] bytes) {
    UUID id = Library.draft(teacher, "坏文件 " + name, "video", lesson);
    Api.Response up = new Tus(teacher).upload(id, name, bytes);
    assertEquals(204, up.status(), name + ": " + up.body());
    return id;
  }

  @Test
  void eachBadFileFailsWithItsReasonAndNothingElseSuffers() throws Exception {
    Path good = Clips.pattern("bad-good.mp4", 640, 360, 10, false, "-movflags", "+faststart");
    byte[] goodBytes = Files.readAllBytes(good);
    Path goodTs = Clips.pattern("bad-good.ts", 640, 360, 10, false, "-f", "mpegts");
    byte[] corruptTs = Files.readAllBytes(goodTs);
    Random rnd = new Random(7);
    int middle = corruptTs.length / 2;
    for (int i = middle; i < middle + corruptTs.length / 5; i++) {
      corruptTs[i] = (byte) rnd.nextInt(256);
    }
    byte[] random = new byte[300_000];
    rnd.nextBytes(random);
    Path wide = Clips.pattern("bad-wide.mp4", 10_000, 64, 1, true);
    Path plain = Clips.pattern("bad-short.mp4", 320, 180, 2, true);
    Path longClaim = Clips.dir().resolve("bad-100h.mkv");
    Clips.ffmpeg(List.of("-i", plain.toString(), "-c", "copy", "-output_ts_offset", "360000", longClaim.toString()));

    Map<String, byte[]> files = new LinkedHashMap<>();
    files.put("truncated.mp4", Arrays.copyOf(goodBytes, goodBytes.length / 3));
    files.put("random.mp4", random);
    files.put("corrupt-middle.ts", corruptTs);
    files.put("wide.mp4", Files.readAllBytes(wide));
    files.put("claims-100-hours.mkv", Files.readAllBytes(longClaim));
    Map<String, String> expected = Map.of("truncated.mp4", "damaged_media", "random.mp4", "not_media",
        "corrupt-middle.ts", "damaged_media", "wide.mp4", "too_large_picture", "claims-100-hours.mkv", "too_long");

    Map<String, UUID> ids = new LinkedHashMap<>();
    files.forEach((name, bytes) -> ids.put(name, upload(name, bytes)));
    UUID after = upload("good-after.mp4", goodBytes); // queued behind every bad one

    for (var e : ids.entrySet()) {
      JsonObject media = MediaWait.settled(teacher, e.getValue(), Duration.ofMinutes(2));
      assertEquals("failed", media.getString("status"), e.getKey() + ": " + media.encode());
      JsonObject error = media.getJsonObject("error");
      assertEquals(expected.get(e.getKey()), error.getString("code"), e.getKey() + ": " + media.encode());
      assertTrue(error.getString("message").matches(".*\\p{IsHan}.*"), "a reason in Chinese: " + error);
      Api.Response en = teacher.get("/api/v1/resources/" + e.getValue() + "/media", "Accept-Language", "en");
      assertTrue(en.json().getJsonObject("error").getString("message").matches("[ -~×]+"), "and in English: " + en.body());
      // The original is untouched and downloadable.
      Api.Response file = teacher.get("/api/v1/resources/" + e.getValue() + "/file?download=1");
      assertEquals(200, file.status());
      assertEquals(String.valueOf(files.get(e.getKey()).length), file.header("Content-Length"));
    }
    JsonObject ok = MediaWait.settled(teacher, after, Duration.ofMinutes(2));
    assertEquals("ready", ok.getString("status"), "the worker went on to the next job: " + ok.encode());
    assertEquals(200, new Api(platform.port(), null).get("/health").status());

    // Permanent failures are not retried: one attempt each.
    Api admin = Api.login(platform.port(), "admin", TestPlatform.ADMIN_PASSWORD);
    JsonObject failed = admin.get("/api/v1/transcode-jobs?status=failed&size=100").json();
    List<JsonObject> ours = failed.getJsonArray("items").stream().map(j -> (JsonObject) j)
        .filter(j -> ids.containsValue(UUID.fromString(j.getString("resourceId")))).toList();
    assertEquals(ids.size(), ours.size(), failed.encode());
    ours.forEach(j -> assertEquals(1, j.getInteger("attempts"), j.encode()));
  }

  @Test
  void emptyAndFakeFilesAreRefusedAtUpload() {
    UUID id = Library.draft(teacher, "空文件", "video", lesson);
    Api.Response empty = new Tus(teacher).create(id, "empty.mp4", 0);
    assertEquals(400, empty.status(), empty.body());
    assertEquals("empty_file", empty.errorCode());

    byte[] text = "这不是视频，只是一个改了扩展名的文本文件。\n".repeat(50).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Api.Response fake = new Tus(teacher).upload(id, "lesson.mp4", text);
    assertEquals(415, fake.status(), fake.body());
    assertEquals("unsupported_file_type", fake.errorCode());
    assertEquals(404, teacher.get("/api/v1/resources/" + id + "/file").status(), "nothing was attached");
    assertEquals("pending", teacher.get("/api/v1/resources/" + id + "/media").json().getString("status"));
  }

  @Test
  void adminsCancelAndRetryJobs() throws Exception {
    Api admin = Api.login(platform.port(), "admin", TestPlatform.ADMIN_PASSWORD);
    byte[] random = new byte[1000];
    new Random(3).nextBytes(random);
    UUID id = upload("retry-me.mp4", random);
    JsonObject media = MediaWait.settled(teacher, id, Duration.ofMinutes(2));
    String jobId = media.getString("jobId");
    assertEquals(403, teacher.get("/api/v1/transcode-jobs").status());
    assertEquals(403, teacher.post("/api/v1/transcode-jobs/" + jobId + "/retry", null).status());
    assertEquals(409, admin.post("/api/v1/transcode-jobs/" + jobId + "/cancel", null).status(), "a failed job cannot be cancelled");
    Api.Response retried = admin.post("/api/v1/transcode-jobs/" + jobId + "/retry", null);
    assertEquals(200, retried.status(), retried.body());
    assertTrue(List.of("queued", "running", "failed").contains(retried.json().getString("status")));
    JsonObject again = MediaWait.until(teacher, id, Duration.ofMinutes(2), s -> "failed".equals(s.getString("status"))
        && admin.get("/api/v1/transcode-jobs?status=failed&size=100").body().contains(jobId)
        && !admin.get("/api/v1/transcode-jobs?status=queued").body().contains(jobId));
    assertEquals("not_media", again.getJsonObject("error").getString("code"));
    assertEquals(404, admin.post("/api/v1/transcode-jobs/" + UUID.randomUUID() + "/retry", null).status());
    assertEquals(400, admin.post("/api/v1/transcode-jobs/not-a-uuid/retry", null).status());
    assertEquals(400, admin.get("/api/v1/transcode-jobs?status=nonsense").status());
  }
}
