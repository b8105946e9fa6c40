package org.kelian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.kelian.core.media.TranscodeOptions;
import org.kelian.deploy.Platform;

/** With KELIAN_HLS_REDIRECT=true, segments are answered with a redirect to the object store, which serves them. */
class HlsRedirectTest {

  @Test
  void segmentsRedirectToPresignedStoreUrls() throws Exception {
    try (Platform p = TestPlatform.start("hlsredirect", Map.of(TranscodeOptions.HLS_REDIRECT.env(), "true"))) {
      Api admin = Api.login(p.port(), "admin", TestPlatform.ADMIN_PASSWORD);
      Library.importCatalog(admin);
      Api teacher = Library.user(admin, p.port(), "rd.teacher", "teacher", "371321");
      UUID id = Library.draft(teacher, "重定向课例", "video", Library.node(admin, "小学", "数学", "人教版", "三年级", "上册", "7 长方形和正方形"));
      byte[] clip = Files.readAllBytes(Clips.pattern("redirect.mp4", 640, 360, 3, false));
      assertEquals(204, new Tus(teacher).upload(id, "redirect.mp4", clip).status());
      JsonObject media = MediaWait.settled(teacher, id, Duration.ofMinutes(2));
      String hls = media.getString("hls");
      String base = hls.substring(0, hls.lastIndexOf('/') + 1);

      assertEquals(200, teacher.get(hls).status(), "playlists still come from the platform, with authorization");
      Api.Response seg = teacher.get(base + "360p/seg-00000.ts");
      assertEquals(302, seg.status());
      String location = seg.header("Location");
      assertTrue(location.startsWith(TestStack.get().endpoints().s3Endpoint()), location);
      assertEquals(401, new Api(p.port(), null).get(base + "360p/seg-00000.ts").status(), "no redirect without a login");
      HttpResponse<byte[]> direct = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(location)).build(),
          HttpResponse.BodyHandlers.ofByteArray());
      assertEquals(200, direct.statusCode());
      assertEquals(0x47, direct.body()[0], "an MPEG-TS segment");
    }
  }
}
