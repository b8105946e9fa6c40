package org.kelian.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.kelian.deploy.Platform;
import org.openqa.selenium.By;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * An open class (名校网络课堂) with more viewers than its mesh holds (two observers here): the next viewer's class-room
 * page in headless Chromium is given the live stream made from the lead's recording, waits for it, and plays it. The
 * lead and the observers who fill the mesh are signaling clients of the test; the recording is sent by tus as the
 * lead's page sends it.
 */
class WebUiLiveStreamTest {

  @RegisterExtension
  static final Browser viewer = new Browser("--autoplay-policy=no-user-gesture-required");

  static final TestClock CLOCK = new TestClock(Instant.parse("2026-12-09T23:58:00Z")); // 07:58 on 10 Dec in Beijing
  static Platform platform;
  static Api admin;
  static String sessionId;
  static Api lead;

  @BeforeAll
  static void start() {
    platform = TestPlatform.start("webuilivestream", Map.of("KELIAN_LIVE_MESH_LIMIT", "2"), CLOCK);
    viewer.base("http://127.0.0.1:" + platform.port());
    admin = Api.login(platform.port(), "admin", TestPlatform.ADMIN_PASSWORD);
    String famous = LiveTest.school(admin, "实验小学", "urban", "371321");
    String other = LiveTest.school(admin, "南村小学", "rural", "371321101");
    String studio = LiveTest.room(admin, famous, "录播室", "recording");
    String leadId = LiveTest.teacher(admin, "famous.lead", famous);
    LiveTest.teacher(admin, "watcher.one", other);
    LiveTest.teacher(admin, "watcher.two", other);
    Api.Response s = admin.post("/api/v1/sessions", new JsonObject().put("type", "open_school").put("title", "名校网络课堂：春")
        .put("subject", "语文").put("grade", "三年级").put("leadSchoolId", famous).put("leadClassroomId", studio).put("leadTeacherId", leadId)
        .put("date", "2026-12-10").put("start", "08:00").put("end", "08:40").put("liveAudience", "logged_in"));
    assertEquals(201, s.status(), s.body());
    sessionId = s.json().getString("id");
    lead = Api.login(platform.port(), "famous.lead", "password-famous.lead");
  }

  @AfterAll
  static void stop() {
    platform.close();
  }

  static String token(Api who) {
    Api.Response r = who.post("/api/v1/sessions/" + sessionId + "/join", new JsonObject());
    assertEquals(200, r.status(), r.body());
    assertEquals("mesh", r.json().getString("mode"));
    return r.json().getString("token");
  }

  @Test
  void aViewerBeyondTheMeshWatchesTheLiveStream() throws Exception {
    String url = "ws://127.0.0.1:" + platform.port() + "/live/signal";
    try (Signal leadRoom = Signal.joined(url, token(lead));
         Signal one = Signal.joined(url, token(Api.login(platform.port(), "watcher.one", "password-watcher.one")));
         Signal two = Signal.joined(url, token(admin))) {
      leadRoom.send(new JsonObject().put("type", "start"));
      leadRoom.next("status");

      viewer.signIn("watcher.two", "password-watcher.two", Browser.nav("today"));
      viewer.open("#/room/" + sessionId);
      viewer.visible(By.id("room-live"));
      viewer.visible(By.cssSelector("#room-banner .notice"));

      // the lead's page records and sends its pieces
      UUID rec = UUID.fromString(lead.post("/api/v1/sessions/" + sessionId + "/recordings", new JsonObject()).json().getString("id"));
      Tus tus = new Tus(lead);
      String upload = tus.createDeferred(rec, "class-recording.webm").header("Location");
      byte[] webm = LiveTest.webmRecording();
      int piece = webm.length / 4;
      for (int i = 0; i < 3; i++) {
        assertEquals(204, tus.patch(upload, (long) i * piece, Arrays.copyOfRange(webm, i * piece, (i + 1) * piece)).status());
      }
      new WebDriverWait(viewer.driver(), Duration.ofSeconds(60)).withMessage("the live stream should play")
          .until(d -> ((Number) viewer.driver().executeScript("return document.getElementById('room-live').currentTime")).doubleValue() > 1);
      assertEquals(204, tus.patchLast(upload, 3L * piece, Arrays.copyOfRange(webm, 3 * piece, webm.length), webm.length).status());
      leadRoom.send(new JsonObject().put("type", "end"));
      assertEquals(1000, leadRoom.closeCode());
    }
  }
}
