package org.kelian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.kelian.core.media.TranscodeOptions;
import org.kelian.deploy.Platform;
import org.kelian.media.StorageOptions;

/**
 * A transcoding node that loses the object store: the job fails its attempt for a transient reason, waits its
 * backoff, and succeeds once the store is back; the original is untouched and nothing is published twice.
 */
class TranscodeOutageTest {

  @Test
  void anUnreachableStoreIsRetriedWithBackoffUntilItReturns() throws Exception {
    URI s3Uri = URI.create(TestStack.get().endpoints().s3Endpoint());
    try (TcpProxy s3 = new TcpProxy(s3Uri.getHost(), s3Uri.getPort());
         Platform uploader = TestPlatform.start("transcodeoutage", Map.of(TranscodeOptions.CONCURRENCY.env(), "0"));
         Platform worker = TestPlatform.start("transcodeoutage", Map.of(StorageOptions.ENDPOINT.env(), "http://127.0.0.1:" + s3.port(),
             TranscodeOptions.RETRY_SECONDS.env(), "1"))) {
      s3.cut(); // the worker's node can no longer reach the store; the uploader's can
      Api admin = Api.login(uploader.port(), "admin", TestPlatform.ADMIN_PASSWORD);
      Library.importCatalog(admin);
      Api teacher = Library.user(admin, uploader.port(), "out.teacher", "teacher", "371321");
      String lesson = Library.node(admin, "小学", "数学", "人教版", "三年级", "上册", "7 长方形和正方形");
      UUID id = Library.draft(teacher, "断网时的课例", "video", lesson);
      byte[] clip = Files.readAllBytes(Clips.pattern("outage.mp4", 320, 180, 3, false));
      assertEquals(204, new Tus(teacher).upload(id, "outage.mp4", clip).status());

      JsonObject waiting = MediaWait.until(teacher, id, Duration.ofMinutes(2), s -> s.getJsonObject("error") != null);
      assertEquals("pending", waiting.getString("status"), "a transient failure queues the job again: " + waiting.encode());
      assertEquals("retrying", waiting.getJsonObject("error").getString("code"));
      assertTrue(waiting.getJsonObject("error").getString("message").contains("稍后自动重试"), waiting.encode());
      JsonObject job = admin.get("/api/v1/transcode-jobs?status=queued").json().getJsonArray("items").getJsonObject(0);
      assertTrue(job.getInteger("attempts") >= 1);
      assertTrue(job.containsKey("retryAt") || job.getInteger("attempts") >= 1, job.encode());

      s3.restore();
      JsonObject ready = MediaWait.settled(teacher, id, Duration.ofMinutes(3));
      assertEquals("ready", ready.getString("status"), ready.encode());
      JsonObject done = admin.get("/api/v1/transcode-jobs?status=succeeded").json().getJsonArray("items").getJsonObject(0);
      assertTrue(done.getInteger("attempts") >= 2, "failed at least once, then succeeded: " + done.encode());
      Api.Response original = teacher.get("/api/v1/resources/" + id + "/file?download=1");
      assertEquals(200, original.status());
      assertEquals(String.valueOf(clip.length), original.header("Content-Length"));
    }
  }
}
